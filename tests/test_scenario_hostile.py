"""The corpus of broken and hostile scenario files: each is refused with its exact messages.

Every file in ``data/bad_scenarios/`` states the lines ``negsim validate`` must print, one
``# expect: ...`` comment per line (at the end of the file, so line numbers are not shifted).
``data/bad_scenarios/support/`` holds the files that the ``extends`` cases point to.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from negsim.cli import main
from negsim.scenario import ScenarioError, load_scenario, parse_scenario
from negsim.scenario.yamltree import MAX_FILE_BYTES

BAD = Path(__file__).parent / "data" / "bad_scenarios"
CASES = sorted(BAD.glob("*.yaml"))


def expected_lines(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return [line[len("# expect: "):] for line in text.splitlines() if line.startswith("# expect: ")]


def test_the_corpus_is_large_enough_and_every_case_states_its_messages():
    assert len(CASES) >= 25
    for path in CASES:
        assert expected_lines(path), f"{path.name} states no expected message"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_bad_scenario_is_refused_with_exact_messages(path, monkeypatch, capsys):
    monkeypatch.chdir(BAD)
    code = main(["validate", path.name])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.splitlines() == expected_lines(path)
    assert "Traceback" not in err


def test_every_problem_of_every_file_is_reported_in_one_run(monkeypatch, capsys):
    monkeypatch.chdir(BAD)
    names = ["unknown_keys.yaml", "table_coverage.yaml", "wrong_types.yaml"]
    code = main(["validate", *names])
    _out, err = capsys.readouterr()
    assert code == 2
    assert err.splitlines() == [line for n in names for line in expected_lines(BAD / n)]


def test_valid_and_invalid_files_together(monkeypatch, capsys):
    good = Path(__file__).parent / "data" / "scenarios" / "s400-mini.yaml"
    monkeypatch.chdir(BAD)
    code = main(["validate", str(good), "wrong_version.yaml"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == f"ok  {good}  (id: s400-mini, 2 players, 3x2)\n"
    assert err.splitlines() == expected_lines(BAD / "wrong_version.yaml")


@pytest.mark.parametrize("name", ["alias_bomb.yaml", "deep_nesting.yaml", "huge_integer.yaml"])
def test_hostile_files_are_refused_quickly(name):
    start = time.perf_counter()
    with pytest.raises(ScenarioError):
        load_scenario(BAD / name)
    assert time.perf_counter() - start < 1.0


def test_a_huge_file_is_refused_before_parsing(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text("negsim: 1\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"{path}: file too large (more than {MAX_FILE_BYTES} bytes)\n"
    )


def test_huge_text_is_refused_by_parse_scenario():
    with pytest.raises(ScenarioError, match="file too large"):
        parse_scenario("a: 1\n" * (MAX_FILE_BYTES // 5 + 1))


def test_an_endless_file_is_read_only_up_to_the_limit(capsys):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    start = time.perf_counter()
    assert main(["validate", "/dev/zero"]) == 2
    assert "file too large" in capsys.readouterr().err
    assert time.perf_counter() - start < 2.0


def test_a_folder_or_a_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path), str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path}: is a folder, not a scenario file",
        f"{tmp_path / 'nope.yaml'}: no such file",
    ]


def test_extends_through_a_link_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    inside = tmp_path / "inside"
    outside.mkdir()
    inside.mkdir()
    (outside / "secret.yaml").write_text("negsim: 1\nid: secret\n")
    (inside / "link.yaml").symlink_to(outside / "secret.yaml")
    (inside / "variant.yaml").write_text("negsim: 1\nid: variant\nextends: link.yaml\n")
    with pytest.raises(ScenarioError, match="outside the scenario's folder"):
        load_scenario(inside / "variant.yaml")


@pytest.mark.parametrize("name", ["alias_bomb.yaml", "deep_nesting.yaml"])
def test_hostile_files_are_refused_in_little_memory(name):
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError):
            load_scenario(BAD / name)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000
