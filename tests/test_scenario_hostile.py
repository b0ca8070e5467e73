"""The corpus of broken and hostile scenario files: each is refused with its exact messages.

Every file in ``data/bad_scenarios/`` states the lines ``negsim validate`` must print, one
``# expect: ...`` comment per line (at the end of the file, so line numbers are not shifted).
``data/bad_scenarios/support/`` holds the files that the ``extends`` cases point to.

Messages are negsim's own and pinned exactly. The one thing a YAML library words itself, what
is wrong with text that is not YAML at all, is written ``<the parser's words>`` and matches any
non-empty text: the corpus is read with libyaml and with PyYAML's pure-Python parser, whose
words differ, and gives the same lines otherwise.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml

from negsim.cli import main
from negsim.scenario import ScenarioError, load_scenario, parse_scenario, yamltree
from negsim.scenario.yamltree import MAX_DEPTH, MAX_FILE_BYTES

BAD = Path(__file__).parent / "data" / "bad_scenarios"
CASES = sorted(BAD.glob("*.yaml"))
PARSERS_WORDS = "<the parser's words>"


def expected_lines(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return [line[len("# expect: "):] for line in text.splitlines() if line.startswith("# expect: ")]


def matches(lines: list[str], expected: list[str]) -> bool:
    if len(lines) != len(expected):
        return False
    for line, want in zip(lines, expected):
        pattern = re.escape(want).replace(re.escape(PARSERS_WORDS), ".+")
        if not re.fullmatch(pattern, line):
            return False
    return True


def test_only_the_yaml_syntax_case_leaves_the_words_to_the_parser():
    free = [p.name for p in CASES if any(PARSERS_WORDS in line for line in expected_lines(p))]
    assert free == ["not_yaml.yaml"]


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
    assert matches(err.splitlines(), expected_lines(path)), err
    assert "Traceback" not in err


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_same_messages_with_the_pure_python_parser(path, monkeypatch, capsys):
    # Without libyaml (and so without libyaml's own nesting limit) every line is the same.
    monkeypatch.setattr(yamltree, "_FAST_LOADER", yaml.SafeLoader)
    monkeypatch.chdir(BAD)
    assert main(["validate", path.name]) == 2
    assert matches(capsys.readouterr().err.splitlines(), expected_lines(path))


def _limited_loader(limit: int) -> type:
    """A YAML library with a nesting limit of its own, smaller than negsim's, in its own words."""

    class Limited(yaml.SafeLoader):
        def fetch_flow_collection_start(self, TokenClass):  # noqa: N803
            if self.flow_level + len(self.indents) >= limit:
                raise yaml.scanner.ScannerError(None, None, "zu tief verschachtelt", self.get_mark())
            super().fetch_flow_collection_start(TokenClass)

    return Limited


def test_deep_nesting_gets_negsims_message_whatever_the_librarys_own_limit(monkeypatch):
    text = (BAD / "deep_nesting.yaml").read_text()
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader), _limited_loader(5)):
        monkeypatch.setattr(yamltree, "_FAST_LOADER", loader)
        tree, problems = yamltree.read_tree(text, "deep.yaml")
        assert tree is None
        assert [(p.message, p.mark.line, p.mark.column) for p in problems] == [
            (f"nested too deeply (at most {MAX_DEPTH} levels)", 3, 46)
        ], loader


def test_nesting_within_negsims_limit_is_read_whatever_the_librarys_own_limit(monkeypatch):
    # 30 levels: below negsim's limit, above the stand-in library's 5: the careful second
    # reading (negsim's limits in the scanner) reads it.
    text = "tags: " + "[" * 29 + "x" + "]" * 29 + "\n"
    monkeypatch.setattr(yamltree, "_FAST_LOADER", _limited_loader(5))
    tree, problems = yamltree.read_tree(text, "ok.yaml")
    assert problems == []
    value = tree.data["tags"]
    for _ in range(28):
        value = value[0]
    assert value == ["x"]


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "], ids=["flow-lists", "flow-maps", "block-lists"])
def test_one_level_too_many_is_refused_at_its_opening(opening, monkeypatch):
    depth = MAX_DEPTH + 3
    if opening == "- ":
        text = "".join("  " * k + "-\n" for k in range(depth)) + "  " * depth + "x\n"
    else:
        text = opening * depth + "x" + ("]" if opening == "[" else "}") * depth + "\n"
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        monkeypatch.setattr(yamltree, "_FAST_LOADER", loader)
        _tree, problems = yamltree.read_tree(text, "t.yaml")
        assert [p.message for p in problems] == [f"nested too deeply (at most {MAX_DEPTH} levels)"]
        mark = problems[0].mark
        if opening == "- ":
            assert (mark.line, mark.column) == (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)
        else:
            assert (mark.line, mark.column) == (1, MAX_DEPTH * len(opening) + 1)


def test_every_problem_of_every_file_is_reported_in_one_run(monkeypatch, capsys):
    monkeypatch.chdir(BAD)
    names = ["unknown_keys.yaml", "table_coverage.yaml", "wrong_types.yaml"]
    code = main(["validate", *names])
    _out, err = capsys.readouterr()
    assert code == 2
    assert matches(err.splitlines(), [line for n in names for line in expected_lines(BAD / n)])


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
