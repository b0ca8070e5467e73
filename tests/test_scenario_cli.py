"""The commands validate, schema and list; the reference page; the catalogue; speed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from negsim.cli import main
from negsim.compile import compile_scenario, list_scenarios
from negsim.scenario import builtin_path, load_scenario, parse_scenario, resolve_scenario
from negsim.scenario.reference import EXAMPLE, reference_markdown

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "scenarios"


def test_schema_prints_the_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Scenario"
    assert schema["additionalProperties"] is False
    assert {"negsim", "id", "title", "players", "payoffs"} <= set(schema["required"])
    assert "Parameter" in schema["$defs"]


def test_the_committed_reference_page_is_the_generated_one(capsys):
    committed = (ROOT / "docs" / "reference" / "scenario-format.md").read_text()
    assert committed == reference_markdown(), (
        "docs/reference/scenario-format.md is stale: regenerate it with "
        "`python -m negsim.scenario.reference > docs/reference/scenario-format.md`"
    )
    assert main(["schema", "--markdown"]) == 0
    assert capsys.readouterr().out == committed


def test_the_reference_page_documents_every_key():
    page = reference_markdown()
    from negsim.scenario import schema

    for model in (schema.Scenario, schema.Parameter, schema.Player, schema.Strategy,
                  schema.Source):
        for name, field in model.model_fields.items():
            assert f"| `{name}` |" in page
            assert field.description, f"{model.__name__}.{name} has no description"


def test_the_reference_example_is_valid():
    scenario = parse_scenario(EXAMPLE, file="example.yaml")
    assert compile_scenario(scenario).shape == (3, 2)


def test_validate_prints_ok_with_id_players_and_shape(capsys):
    path = str(DATA / "s400-mini.yaml")
    assert main(["validate", path, "prisoners-dilemma"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"ok  {path}  (id: s400-mini, 2 players, 3x2)",
        "ok  prisoners-dilemma  (id: prisoners-dilemma, 2 players, 2x2)",
    ]


def test_validate_accepts_gambit_files(capsys):
    path = str(Path(__file__).parent / "data" / "nfg" / "2x2x2.nfg")
    assert main(["validate", path]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"ok  {path}  (id: ") and out.endswith(", 3 players, 2x2x2)\n")


def test_validate_refuses_an_unknown_id(capsys):
    assert main(["validate", "prisoners-dilema"]) == 2
    assert "did you mean 'prisoners-dilemma'?" in capsys.readouterr().err


def test_list_shows_the_built_in_scenarios(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for info in list_scenarios():
        assert info.id in out


def test_every_built_in_scenario_is_valid_and_unique():
    infos = list_scenarios()
    assert [i.id for i in infos] == sorted({i.id for i in infos})
    assert "prisoners-dilemma" in [i.id for i in infos]
    for info in infos:
        scenario = resolve_scenario(info.id)
        assert scenario.id == info.id
        assert compile_scenario(scenario).shape == info.shape
        assert builtin_path(info.id).name == info.path.rsplit("/", 1)[-1]


def test_the_console_script_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("negsim: 1\nid: x\ntitle: x\nplayers: {}\npayoffs: {}\n")
    result = subprocess.run(
        [sys.executable, "-c", "from negsim.cli import main; main()", "validate", str(bad)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"{bad}:4:10: players: must not be empty\n"


def _big_scenario() -> str:
    """About 200 lines: 2 players with 12 and 10 strategies, 12 parameters, descriptions."""
    lines = ["negsim: 1", "id: big", "title: A large scenario", "description: |",
             "  Many strategies and parameters.", "parameters:"]
    for k in range(12):
        lines += [f"  p{k}:", f"    value: {k}", "    min: 0", "    max: 20", "    unit: utility",
                  f"    description: parameter number {k}", "    rationale: an assumption"]
    lines.append("players:")
    for pid, m in (("first", 12), ("second", 10)):
        lines += [f"  {pid}:", f"    name: The {pid} player", "    strategies:"]
        for s in range(m):
            lines += [f"      s{s}:", f"        name: Option {s}",
                      f"        description: option {s} of {pid}",
                      f"        attributes: {{a: {s}, b: {m - s}, c: {s % 3}}}"]
    lines += ["payoffs:",
              "  first: p0 * first.a - p1 * second.b + max(p2, first.c) * second.a"
              " + (p3 if first.a > second.a else p4) - 0.5 * first.s3 * second.s2",
              "  second: p5 * second.a - p6 * first.b + sqrt(p7 + first.c) - log(1 + p8)"
              " + clip(second.b - p9, 0, p10) + p11 * first.s0"]
    return "\n".join(lines) + "\n"


def test_a_200_line_scenario_validates_in_well_under_100_ms(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(_big_scenario())
    assert 180 <= len(path.read_text().splitlines()) <= 220
    compile_scenario(load_scenario(path))  # warm up: imports and caches
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        compile_scenario(load_scenario(path))
        best = min(best, time.perf_counter() - start)
    assert best < 0.1, f"validation took {best * 1000:.0f} ms"


@pytest.mark.parametrize("name", ["schema", "list"])
def test_commands_have_help(name, capsys):
    assert main([name, "--help"]) == 0
    assert capsys.readouterr().out
