"""What every command shares: --set and its ranges, --format json, help conventions, exit
codes, closed pipes, and the interpretation shown only where it applies."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
import typer

from negsim.cli import app, main

DEFAULT = "s400-2025-limited-use"
TREE = "s400-2019-activation-then-sanctions"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# -- the interpretation describes the defaults ---------------------------------------------------


def test_the_interpretation_is_shown_at_the_defaults_only(capsys):
    code, out, _ = run(capsys, "run", DEFAULT)
    assert code == 0 and "What it means" in out
    code, out, _ = run(capsys, "run", DEFAULT, "--set", "sanction_cost=7")
    assert code == 0 and "What it means" not in out
    flat = " ".join(out.split())
    assert "describes its default values (sanction_cost = 4)" in flat


def test_the_interpretation_of_a_tree_is_shown_at_the_defaults_only(capsys):
    code, out, _ = run(capsys, "run", TREE)
    assert code == 0 and "What it means" in out
    code, out, _ = run(capsys, "run", TREE, "--set", "alliance_cost=7")
    assert code == 0 and "What it means" not in out and "default values" in out


def test_run_json_says_whether_the_interpretation_applies(capsys):
    _, out, _ = run(capsys, "run", DEFAULT, "--format", "json")
    assert json.loads(out)["interpretation"]["at_defaults"] is True
    _, out, _ = run(capsys, "run", DEFAULT, "--set", "sanction_cost=7", "--format", "json")
    meaning = json.loads(out)["interpretation"]
    assert meaning["at_defaults"] is False and meaning["defaults"] == {"sanction_cost": 4}


# -- --set outside a parameter's range -----------------------------------------------------------

OUTSIDE = ("--set sanction_cost: 70 is outside sanction_cost's range 0..10 "
           "(add --allow-outside-range to use it)")


@pytest.mark.parametrize("args", [
    ["run", DEFAULT],
    ["solve", DEFAULT],
    ["solve", DEFAULT, "--format", "json"],
    ["convert", DEFAULT, "{tmp}/out.nfg"],
    ["matrix", DEFAULT, "-o", "{tmp}/m.png"],
    ["report", DEFAULT, "-o", "{tmp}/r.html"],
    ["exercise", DEFAULT, "--kinds", "pure", "--format", "md", "-o", "{tmp}/sheets"],
], ids=lambda a: a[0] + ("-json" if "json" in a else ""))
def test_set_outside_the_range_is_refused_by_every_command(capsys, tmp_path, args):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = run(capsys, *args, "--set", "sanction_cost=70")
    assert (code, out, err.strip()) == (2, "", OUTSIDE)
    assert list(tmp_path.iterdir()) == []


def test_credibility_and_sweep_refuse_values_outside_the_range_too(capsys, tmp_path):
    code, _, err = run(capsys, "credibility", TREE, "--set", "alliance_cost=70")
    assert code == 2 and "--set alliance_cost: 70 is outside alliance_cost's range" in err
    code, _, err = run(capsys, "sweep", DEFAULT, "--param", "security=1,2", "--set", "sanction_cost=70",
                       "--runs-dir", tmp_path)
    assert code == 2 and "outside sanction_cost's range" in err


def test_allow_outside_range_lets_a_value_through(capsys, tmp_path):
    code, out, _ = run(capsys, "solve", DEFAULT, "--set", "sanction_cost=70", "--allow-outside-range",
                       "--format", "json")
    assert code == 0 and json.loads(out)["parameters"]["sanction_cost"] == 70
    code, _, _ = run(capsys, "convert", DEFAULT, tmp_path / "out.nfg", "--set", "sanction_cost=70",
                     "--allow-outside-range")
    assert code == 0 and (tmp_path / "out.nfg").is_file()


# -- --format json for list, run and validate ----------------------------------------------------


def test_list_json_is_one_object_naming_every_scenario(capsys):
    code, out, _ = run(capsys, "list", "--format", "json")
    rows = json.loads(out)["scenarios"]
    assert code == 0 and DEFAULT in {r["id"] for r in rows}
    row = next(r for r in rows if r["id"] == DEFAULT)
    assert row["players"] == ["turkey", "us"] and row["path"] == "s400/2025-limited-use.yaml"
    assert len(row["shape"]) == 2 and all(isinstance(m, int) for m in row["shape"])


def test_run_json_has_the_solve_contract_and_the_report(capsys):
    code, out, _ = run(capsys, "run", DEFAULT, "--format", "json")
    data = json.loads(out)
    assert code == 0
    _, solved, _ = run(capsys, "solve", DEFAULT, "--format", "json")
    assert data["equilibria"] == json.loads(solved)["equilibria"]
    for key in ("best_responses", "strict_dominance", "weak_dominance", "pareto", "maximin",
                "welfare", "status_quo", "interpretation"):
        assert key in data
    assert set(data["maximin"]) == {"turkey", "us"}
    assert len(data["welfare"]) == len(data["equilibria"])


def test_run_json_of_a_tree(capsys):
    code, out, _ = run(capsys, "run", TREE, "--format", "json")
    data = json.loads(out)
    assert code == 0 and "subgame_perfect" in data and "non_credible" in data


def test_validate_json_reports_each_file_and_its_problems(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("negsim: 1\nid: x\ntitle: x\nplayers: {a: {strategies: {s: {}}}}\npayoffs: {a: b}\n")
    code, out, err = run(capsys, "validate", DEFAULT, bad, "--format", "json")
    data = json.loads(out)
    assert code == 2 and data["ok"] is False
    good, broken = data["files"]
    assert good["ok"] and good["id"] == DEFAULT
    assert not broken["ok"] and broken["problems"][0]["file"] == str(bad)
    assert broken["problems"][0]["line"] == 5 and "unknown name 'b'" in broken["problems"][0]["message"]
    assert err.splitlines() == [p["text"] for p in broken["problems"]]


# -- help ---------------------------------------------------------------------------------------


def _commands() -> dict[str, click.Command]:
    group = typer.main.get_command(app)
    return dict(group.commands)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_help_follows_one_style(name):
    command = _commands()[name]
    context = click.Context(command, info_name=name)
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        metavar = param.make_metavar(context) if not param.is_flag else ""
        assert "<" not in metavar and "list[" not in metavar, (param.opts, metavar)
        if "--set" in param.opts:
            assert metavar == "NAME=VALUE"
        if "-o" in param.opts:
            assert "--output" in param.opts
        assert "--out" not in param.opts
        if param.show_default and param.default not in (None, False, ()):
            assert "default" not in (param.help or "").lower(), (param.opts, param.help)
    assert "--set" not in {o for p in command.params for o in getattr(p, "opts", ())} or any(
        "--allow-outside-range" in p.opts for p in command.params)


def test_convert_names_every_format_it_writes(capsys, tmp_path):
    code, _, err = run(capsys, "convert", DEFAULT, tmp_path / "game.txt")
    assert code == 2 and ".nfg, .efg, .yaml or .yml" in err


# -- exit codes and pipes ------------------------------------------------------------------------


def test_a_closed_pipe_ends_the_command_quietly_with_exit_code_0():
    process = subprocess.Popen([sys.executable, "-m", "negsim", "run"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first line is written
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0
    assert err == b""


def test_exit_codes_are_documented_in_the_readme_and_the_help(capsys):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme.split("## Exit codes", 1)[1].split())
    for words in ("0 success", "1 an internal error", "2 invalid input", "3 done, but some inputs",
                  "130 interrupted"):
        assert words in section
    _, out, _ = run(capsys, "--help")
    assert "3 done, but some inputs were skipped" in " ".join(out.split())
