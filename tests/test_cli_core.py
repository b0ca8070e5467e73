"""The run, solve and convert commands: output, the JSON contract, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from negsim.cli import main

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "scenarios" / "s400-mini.yaml")
BOS_NFG = """NFG 1 R "Battle of the sexes" { "Alice" "Bob" }
{ { "Opera" "Football" } { "Opera" "Football" } }
""
2 1 0 0 0 0 1 2
"""


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def bos(tmp_path):
    path = tmp_path / "bos.nfg"
    path.write_text(BOS_NFG)
    return path


def test_solve_json_follows_the_contract(capsys, bos):
    code, out, err = run(capsys, "solve", str(bos), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["scenario"] == "bos"
    assert data["players"] == ["Alice", "Bob"]
    assert data["strategies"] == {"Alice": ["Opera", "Football"], "Bob": ["Opera", "Football"]}
    assert data["parameters"] == {}
    assert data["degenerate"] is False
    kinds = [e["kind"] for e in data["equilibria"]]
    assert kinds == ["pure", "pure", "mixed"]
    first = data["equilibria"][0]
    assert first["profile"] == [[1, 0], [1, 0]]
    assert first["strategies"] == {"Alice": {"Opera": 1.0}, "Bob": {"Opera": 1.0}}
    assert first["payoffs"] == {"Alice": 2.0, "Bob": 1.0}
    mixed = data["equilibria"][2]
    assert mixed["profile"][0] == pytest.approx([2 / 3, 1 / 3])
    assert mixed["profile"][1] == pytest.approx([1 / 3, 2 / 3])
    assert set(mixed["strategies"]["Alice"]) == {"Opera", "Football"}
    for e in data["equilibria"]:
        assert e["regret"] <= 1e-9


@pytest.mark.slow
def test_solve_exact_prints_fractions(capsys, bos):
    code, out, _ = run(capsys, "solve", str(bos), "--exact")
    assert code == 0
    assert "2/3" in out and "1/3" in out and "0.6667" not in out
    code, out, _ = run(capsys, "solve", str(bos), "--exact", "--format", "json")
    mixed = json.loads(out)["equilibria"][2]
    assert mixed["exact"]["profile"] == [["2/3", "1/3"], ["1/3", "2/3"]]
    assert mixed["exact"]["payoffs"] == {"Alice": "2/3", "Bob": "2/3"}


@pytest.mark.slow
def test_run_report_shows_matrix_equilibria_dominance_and_pareto(capsys):
    code, out, err = run(capsys, "run", MINI)
    assert code == 0, err
    for text in (
        "Nash equilibria",
        "best response",
        "strictly dominated",
        "Pareto-efficient",
        "Maximin",
        "Status quo",
    ):
        assert text in out


def test_set_overrides_a_parameter(capsys):
    _, out, _ = run(capsys, "solve", MINI, "--format", "json", "--set", "sanction_cost=9")
    assert json.loads(out)["parameters"]["sanction_cost"] == 9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["solve", MINI, "--set", "sanction_cots=2"],
            "unknown parameter 'sanction_cots' (did you mean 'sanction_cost'?)",
        ),
        (["solve", MINI, "--set", "sanction_cost=lots"], "sanction_cost: expected a number, got 'lots'"),
        (["solve", MINI, "--set", "sanction_cost"], "expected name=value"),
        (["solve", MINI, "--method", "vertx"], "unknown method 'vertx'"),
        (["solve", MINI, "--format", "xml"], "expected 'table' or 'json'"),
        (["solve", "no-such-scenario"], "no scenario file or built-in scenario"),
        (["solve", "missing.nfg"], "missing.nfg: no such file"),
    ],
)
def test_bad_input_is_one_clean_line_and_exit_code_2(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_method_for_two_players_refuses_three_player_game(capsys, tmp_path):
    path = tmp_path / "three.nfg"
    path.write_text('NFG 1 R "three" { "a" "b" "c" } { 2 2 2 }\n' + " ".join(["1"] * 24) + "\n")
    code, _, err = run(capsys, "solve", str(path), "--method", "support")
    assert code == 2
    assert "is for two-player games" in err


def test_malformed_nfg_gives_position(capsys, tmp_path):
    path = tmp_path / "bad.nfg"
    path.write_text('NFG 1 R "bad" { "a" "b" } { 2 2 }\n1 2 3\n')
    code, _, err = run(capsys, "solve", str(path))
    assert code == 2
    assert err.startswith(f"{path}:")


@pytest.mark.slow
def test_convert_scenario_to_nfg_and_back_gives_the_same_equilibria(capsys, tmp_path, bos):
    yaml_out = tmp_path / "bos.yaml"
    assert run(capsys, "convert", str(bos), str(yaml_out))[0] == 0
    nfg_out = tmp_path / "again.nfg"
    assert run(capsys, "convert", str(yaml_out), str(nfg_out))[0] == 0
    _, first, _ = run(capsys, "solve", str(bos), "--format", "json")
    _, second, _ = run(capsys, "solve", str(nfg_out), "--format", "json")
    assert [e["profile"] for e in json.loads(first)["equilibria"]] == [
        e["profile"] for e in json.loads(second)["equilibria"]
    ]


@pytest.mark.slow
def test_convert_never_overwrites_without_force(capsys, tmp_path, bos):
    out = tmp_path / "out.nfg"
    out.write_text("keep me")
    code, _, err = run(capsys, "convert", str(bos), str(out))
    assert code == 2 and "--force" in err
    assert out.read_text() == "keep me"
    assert run(capsys, "convert", str(bos), str(out), "--force")[0] == 0
    assert out.read_text().startswith("NFG 1 R")


def test_convert_to_an_unknown_format_writes_nothing(capsys, tmp_path, bos):
    out = tmp_path / "out.txt"
    code, _, err = run(capsys, "convert", str(bos), str(out))
    assert code == 2 and "expected an output file" in err
    assert not out.exists()


@pytest.mark.slow
def test_console_script_exit_codes():
    ok = subprocess.run([sys.executable, "-m", "negsim", "--version"], capture_output=True, text=True)
    assert ok.returncode == 0 and "negsim" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "negsim", "solve", "nope.nfg"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "negsim", "frobnicate"], capture_output=True, text=True)
    assert usage.returncode == 2
