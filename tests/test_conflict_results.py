"""Results are JSON-ready data, and verdicts read as sentences."""

from __future__ import annotations

import json

import pytest

from negsim.compile.conflict import load_conflict as classic
from negsim.conflict import (
    analyze,
    coalition_analysis,
    compare_with_matrix,
    explain,
    improvement_graph,
    move_graph,
    status_quo_paths,
)


@pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")
@pytest.mark.parametrize("cid", ["elmira", "cuban-missile-crisis"])
def test_results_round_trip_through_json(cid):
    c = classic(cid)
    a = analyze(c)
    for data in (
        c.to_dict(),
        a.to_dict(),
        coalition_analysis(c).to_dict(),
        compare_with_matrix(c).to_dict(),
        improvement_graph(c),
        move_graph(c),
        *(p.to_dict() for p in status_quo_paths(c, a.equilibria("SEQ"))),
    ):
        assert json.loads(json.dumps(data)) == data
    table = a.to_dict()
    assert [row["state"] for row in table["states"]] == list(c.states)
    assert table["equilibria"]["SEQ"] == list(a.equilibria("SEQ"))
    row = next(r for r in table["states"] if r["state"] == a.equilibria("R")[0])
    assert row["R"] == {"stable_for": list(c.dm_ids), "equilibrium": True}


def test_move_graph_marks_improvements():
    c = classic("prisoners-dilemma-options")
    edges = {(e["dm"], e["from"], e["to"]): e["improvement"] for e in move_graph(c)["edges"]}
    assert edges == {
        ("prisoner_1", 0, 1): True,
        ("prisoner_1", 1, 0): False,
        ("prisoner_1", 2, 3): True,
        ("prisoner_1", 3, 2): False,
        ("prisoner_2", 0, 2): True,
        ("prisoner_2", 2, 0): False,
        ("prisoner_2", 1, 3): True,
        ("prisoner_2", 3, 1): False,
    }


def test_explain_names_the_improvement_and_the_sanction():
    c = classic("prisoners-dilemma-options")
    a = analyze(c)
    lines = explain(c, a.verdict("SEQ", "prisoner_1", 0))
    assert lines[0].startswith("State 0 is stable for Prisoner 1 under SEQ (sequential stability)")
    assert "Prisoner 1: takes Prisoner 1 defects (state 0 -> 1)" in lines[1]
    assert "Prisoner 2: takes Prisoner 2 defects (state 1 -> 3)" in lines[1]
    (line,) = explain(c, a.verdict("R", "prisoner_1", 0))
    assert "unstable" in line and "nothing deters" in line
