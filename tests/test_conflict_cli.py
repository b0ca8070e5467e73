"""``negsim conflict`` and the other commands on option-form scenarios: real runs of the command
line, their tables, JSON, figures, exit codes and clean errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from negsim.cli import main
from negsim.compile.conflict import load_conflict
from negsim.conflict.stability import analyze


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_table_shows_states_as_columns_with_a_mark_per_decision_maker(capsys):
    code, out, err = run(capsys, "conflict", "elmira", "--concepts", "R,SEQ")
    assert code == 0, err
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("state"))
    assert header.split()[1:] == ["2", "3", "4", "5", "8", "9", "18", "19", "20", "21", "24", "25"]
    sq = next(line for line in lines if line.strip() == "SQ")
    assert len(sq.rstrip()) == header.index(" 2 ") + 2  # under state 2, the status quo
    insist = next(line for line in lines if line.strip().startswith("insist"))
    assert insist.split()[1:] == ["N"] * 6 + ["Y"] * 6
    lg = [line for line in lines if line.split()[:2] == ["R", "moe"] or line.strip().startswith("lg")]
    assert lg[0].split()[2:] == ["✓"] * 12
    equilibrium = [
        line for line in lines if line.strip() == "equilibrium" or line.strip().startswith("equilibrium")
    ]
    marks = [header.index(f" {s}") + len(f" {s}") - 1 for s in (8, 9, 18, 21, 24, 25)]
    assert all(equilibrium[0][k] == "*" for k in marks)
    assert "R    8 9 18 21 24 25" in out
    flat = " ".join(out.split())
    assert (
        "18 NYNNY Ministry of the Environment: nothing; Uniroyal: Delay; Local Government: Insist [R, SEQ]"
        in flat
    )


def test_json_is_one_object_that_agrees_with_the_analysis(capsys):
    code, out, _ = run(
        capsys,
        "conflict",
        "cuban-missile-crisis",
        "--format",
        "json",
        "--explain",
        "6",
        "--compare",
        "--coalitions",
        "--status-quo",
    )
    assert code == 0
    data = json.loads(out)
    c = load_conflict("cuban-missile-crisis")
    a = analyze(c, ("R", "GMR", "SMR", "SEQ", "SIM"))
    assert data["scenario"] == "cuban-missile-crisis" and data["concepts"] == [
        "R",
        "GMR",
        "SMR",
        "SEQ",
        "SIM",
    ]
    assert [s["state"] for s in data["states"]] == list(c.states)
    assert data["equilibria"] == {k: list(a.equilibria(k)) for k in a.concepts}
    row = next(s for s in data["states"] if s["state"] == 6)
    assert row["yn"] == "NYYN" and row["taken"] == ["blockade", "withdraw"]
    assert row["stable"]["SEQ"] == {"us": True, "ussr": True} and row["stable"]["R"]["us"] is False
    explained = {(v["concept"], v["dm"]): v for v in data["explain"]["verdicts"]}
    seq = explained[("SEQ", "us")]
    assert seq["stable"] and seq["deterred"][0]["improvement"] == {"dm": "us", "from": 6, "to": 4}
    assert (
        seq["deterred"][0]["sanction"]["result"] == 0
        and "which United States does not prefer" in seq["sentences"][1]
    )
    assert data["comparison"]["matrix_pure_nash"] == [] and data["comparison"]["graph_model"]["R"] == [5]
    assert data["coalitions"]["equilibria"]["CNash"] == [5]
    assert {p["target"] for p in data["status_quo_paths"]} == {0, 1, 2, 4, 5, 6, 7}


def test_explain_says_each_verdict_with_its_witness(capsys):
    code, out, _ = run(capsys, "conflict", "s400-options-2017-2019", "--explain", "buy", "--concepts", "SEQ")
    assert code == 0
    flat = " ".join(out.split())
    assert (
        "State 1 is stable for Turkey under SEQ (sequential stability): every improvement is deterred."
        in flat
    )
    assert (
        "Turkey: takes Activate (state 1 -> 3); in answer: United States: takes CAATSA sanctions "
        "(state 3 -> 11), leaving state 11, which Turkey does not prefer to state 1."
    ) in flat


def test_once_the_us_can_sanction(capsys):
    _, with_sanction, _ = run(capsys, "conflict", "s400-options-2017-2019", "--format", "json")
    _, without, _ = run(
        capsys, "conflict", "s400-options-2017-2019", "--without", "sanction", "--format", "json"
    )
    a, b = json.loads(with_sanction), json.loads(without)
    assert b["without"] == ["sanction"] and not any("sanction" in s["taken"] for s in b["states"])
    assert a["equilibria"]["R"] == [27] and b["equilibria"]["R"] == [
        19
    ]  # activation (+ sanctions) + expulsion
    assert 1 in a["equilibria"]["SEQ"] and 1 in b["equilibria"]["SEQ"]  # buy but never use
    assert set(b["equilibria"]["SEQ"]) < set(a["equilibria"]["SEQ"]) | {19}


def test_status_quo_paths_in_words(capsys):
    code, out, _ = run(capsys, "conflict", "elmira", "--status-quo", "--concepts", "SEQ")
    assert code == 0
    flat = " ".join(out.split())
    assert (
        "to state 18 (NYNNY; Ministry of the Environment: nothing; Uniroyal: Delay; Local Government: "
        "Insist), an equilibrium under SEQ: by unilateral improvements, each one the mover wants: "
        "1. Local Government: takes Insist (state 2 -> 18)" in flat
    )
    assert "3. Local Government: takes Insist (state 5 -> 21)" in flat


def test_coalitions_and_the_comparison_with_the_matrix(capsys):
    code, out, _ = run(capsys, "conflict", "elmira", "--coalitions", "--compare", "--concepts", "R,SEQ")
    assert code == 0
    flat = " ".join(out.split())
    assert "coalition Nash equilibria: 8 (NNNYN), 9 (YNNYN), 21 (YNYNY), 24 (NNNYY), 25 (YNNYY)" in flat
    assert "but Ministry of the Environment and Uniroyal together move to state 21" in flat
    assert (
        "Nash stability differs from the matrix's pure Nash equilibria (the irreversible option(s) "
        "modify, delay, abandon" in flat
    )


def test_parameters_move_the_verdicts(capsys):
    args = ["conflict", "s400-options-2025-parametric", "--concepts", "SEQ", "--format", "json"]
    _, at_defaults, _ = run(capsys, *args)
    _, costly, _ = run(capsys, *args, "--set", "incentive_cost=5")
    limited_incentives = 1 + 2 + 16
    assert limited_incentives in json.loads(at_defaults)["equilibria"]["SEQ"]
    data = json.loads(costly)
    assert limited_incentives not in data["equilibria"]["SEQ"] and data["parameters"]["incentive_cost"] == 5


def test_a_game_in_normal_form_is_read_in_option_form(capsys):
    code, out, _ = run(capsys, "conflict", "prisoners-dilemma", "--format", "json", "--concepts", "R,SEQ")
    data = json.loads(out)
    assert code == 0 and "normal form" in data["note"]
    both = {s["state"]: s["taken"] for s in data["states"]}
    assert [both[s] for s in data["equilibria"]["R"]] == [["row__defect", "column__defect"]]
    assert len(data["equilibria"]["SEQ"]) == 2


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_figures_are_real_files(capsys, tmp_path, suffix):
    graph, paths = tmp_path / f"graph.{suffix}", tmp_path / f"paths.{suffix}"
    code, out, err = run(capsys, "conflict", "elmira", "-o", graph, "--status-quo-figure", paths)
    assert code == 0, err
    assert f"wrote {graph}" in out and f"wrote {paths}" in out
    for path in (graph, paths):
        data = path.read_bytes()
        assert len(data) > 2_000
        if suffix == "png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
        else:
            assert ET.fromstring(data).tag.endswith("svg")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(
            ["elmira", "--concepts", "SEQQ"],
            "--concepts: unknown concept 'SEQQ' (did you mean 'SEQ'?)",
            id="concept",
        ),
        pytest.param(["elmira", "--explain", "99"], "--explain: state 99", id="explain-code"),
        pytest.param(
            ["elmira", "--explain", "modfy"],
            "--explain: unknown option 'modfy' (did you mean 'modify'?)",
            id="explain-option",
        ),
        pytest.param(
            ["elmira", "--explain", "delay,accept"], "is not a feasible state", id="explain-infeasible"
        ),
        pytest.param(
            ["s400-options-2017-2019", "--without", "sanctoin"],
            "--without: unknown option 'sanctoin' (did you mean 'sanction'?)",
            id="without",
        ),
        pytest.param(
            ["s400-options-2025-parametric", "--set", "incentive_cost=70"],
            "--set incentive_cost: 70 is outside incentive_cost's range 0..10",
            id="set-outside",
        ),
        pytest.param(
            ["s400-options-2025-parametric", "--set", "incentive_cots=1"],
            "(did you mean 'incentive_cost'?)",
            id="set-unknown",
        ),
        pytest.param(["elmira", "--format", "xml"], "--format: expected 'table' or 'json'", id="format"),
        pytest.param(["elmira", "-o", "{tmp}/graph.gif"], "--output", id="figure-format"),
        pytest.param(
            ["elmira", "-o", "{tmp}/missing/graph.png"], "the folder does not exist", id="figure-folder"
        ),
        pytest.param(
            ["prisoners-dilemma-options", "--status-quo-figure", "{tmp}/p.png", "--without", "p1_defects"],
            "",
            id="nothing-written",
        ),
    ],
)
def test_bad_input_is_a_clean_error_and_writes_nothing(capsys, tmp_path, args, fragment):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = run(capsys, "conflict", *args)
    if fragment:
        assert code == 2 and fragment in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [] or code == 0


def test_an_existing_figure_is_kept_without_force(capsys, tmp_path):
    target = tmp_path / "graph.png"
    target.write_bytes(b"old")
    code, _, err = run(capsys, "conflict", "prisoners-dilemma-options", "-o", target)
    assert code == 2 and "--force" in err and target.read_bytes() == b"old"
    code, _, _ = run(capsys, "conflict", "prisoners-dilemma-options", "-o", target, "--force")
    assert code == 0 and target.read_bytes()[:4] == b"\x89PNG"


def test_a_statement_error_in_a_file_is_placed_and_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "negsim: 1\nid: bad\ntitle: bad\nplayers:\n  a: {options: {x: {}}}\n  b: {options: {y: {}}}\n"
        'preferences:\n  a: {statements: ["x &"]}\n  b: {statements: ["-x | z"]}\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "conflict", bad)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"{bad}:8:23: preferences.a.statements[0]: expected an option number")
    assert lines[1].startswith(f"{bad}:9:26: preferences.b.statements[0]: unknown option 'z'")


@pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")
def test_every_command_that_takes_a_game_works_on_an_option_form_scenario(capsys, tmp_path):
    code, out, _ = run(capsys, "solve", "s400-options-2025", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["strategies"]["turkey"] == ["none", "keep", "keep&limited", "keep&full"]
    assert data["equilibria"] and all(e["kind"] in ("pure", "mixed") for e in data["equilibria"])
    code, out, _ = run(capsys, "run", "prisoners-dilemma-options")
    assert code == 0 and "Prisoner's Dilemma in option form" in out
    code, out, _ = run(capsys, "convert", "elmira", tmp_path / "elmira.nfg")
    assert code == 0 and (tmp_path / "elmira.nfg").read_text().startswith("NFG 1 R")
    code, out, _ = run(capsys, "convert", tmp_path / "elmira.nfg", tmp_path / "elmira.yaml")
    assert code == 0
    code, out, _ = run(capsys, "solve", tmp_path / "elmira.yaml", "--method", "pure", "--format", "json")
    assert code == 0 and json.loads(out)["equilibria"][0]["strategies"] == {
        "moe": {"none": 1.0},
        "ur": {"delay": 1.0},
        "lg": {"insist": 1.0},
    }
    code, out, _ = run(capsys, "validate", "elmira", "garrison-diversion")
    assert code == 0 and "ok  elmira  (id: elmira, 3 players, 2x3x2)" in out


def test_list_shows_option_form_scenarios(capsys):
    code, out, _ = run(capsys, "list", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)["scenarios"]}
    assert code == 0 and rows["elmira"]["players"] == ["moe", "ur", "lg"]
    code, out, _ = run(capsys, "list")
    assert "5 options, 12 states" in out


def test_schema_of_option_form_scenarios(capsys):
    code, out, _ = run(capsys, "schema", "--option-form")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "OptionScenario"
    assert {"players", "preferences"} <= set(schema["required"]) and "OptionPlayer" in schema["$defs"]
