"""Property tests on random small conflicts: the concepts' implications, every verdict
re-verified from its witness, two independent implementations and the matrix form agree, and
Nash stability matches the pure Nash equilibria of the normal form."""

from __future__ import annotations

import numpy as np
from conflict_checker import better, one_move
from conflict_checker import stable as brute_stable
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negsim.conflict.batch import batch_stability
from negsim.conflict.coalition import coalition_analysis
from negsim.conflict.model import Conflict, DecisionMaker, Option, Pattern
from negsim.conflict.normal_form import from_normal_form, to_normal_form
from negsim.conflict.stability import CONCEPTS, analyze
from negsim.conflict.status_quo import status_quo_paths
from negsim.game import Game
from negsim.solve import solve

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def conflicts(draw, irreversible: bool = True) -> Conflict:
    n_dms = draw(st.integers(2, 3))
    sizes = [draw(st.integers(1, 2)) for _ in range(n_dms)]
    n_options = sum(sizes)
    options, dms, k = [], [], 0
    for i, size in enumerate(sizes):
        ids = tuple(f"o{k + j}" for j in range(size))
        k += size
        dms.append(DecisionMaker(f"d{i}", ids))
        for o in ids:
            direction = draw(st.sampled_from(["both", "both", "N->Y", "Y->N"])) if irreversible else "both"
            options.append(Option(o, direction=direction))
    patterns = []
    for _ in range(draw(st.integers(0, 2))):
        text = draw(st.text(alphabet="YN--", min_size=n_options, max_size=n_options))
        if text.count("-") < n_options:
            patterns.append(Pattern.parse(text, n_options))
    feasible = [s for s in range(1 << n_options) if not any(p.matches(s) for p in patterns)]
    if not feasible:
        patterns = []
        feasible = list(range(1 << n_options))
    payoffs = draw(
        st.lists(
            st.lists(st.integers(0, 4), min_size=len(feasible), max_size=len(feasible)),
            min_size=n_dms,
            max_size=n_dms,
        )
    )
    sq = draw(st.sampled_from(feasible))
    return Conflict(tuple(dms), tuple(options), payoffs, tuple(patterns), sq)


def _legal(c: Conflict, moves, start: int, focal: int | None, improving: bool) -> bool:
    state, last = start, None
    for m in moves:
        j = c.dm_index(m.dm)
        if m.source != state or j == last or j == focal or m.target not in one_move(c, j, m.source):
            return False
        if improving and not better(c, j, m.target, m.source):
            return False
        state, last = m.target, j
    return True


def _check_witness(c: Conflict, v) -> None:
    i = c.dm_index(v.dm)
    s = v.state
    improvements = {t for t in one_move(c, i, s) if better(c, i, t, s)}
    if not v.stable:
        assert v.breaking is not None and v.breaking.target in improvements
        return
    assert {d.improvement.target for d in v.deterred} == improvements
    for d in v.deterred:
        s1, sanction = d.improvement.target, d.sanction
        assert not better(c, i, sanction.result, s)
        if sanction.simultaneous:
            assert sanction.kind == "SIM" and v.concept.endswith("SIM")
            joint = s1
            for m in sanction.moves:
                j = c.dm_index(m.dm)
                assert (
                    j != i and m.source == s and better(c, j, m.target, s) and m.target in one_move(c, j, s)
                )
                joint = (joint & ~c.masks[j]) | (m.target & c.masks[j])
            assert joint == sanction.result and joint in c.states
        else:
            assert sanction.moves and sanction.kind == v.concept.split("+")[0]
            assert sanction.moves[-1].target == sanction.result
            assert _legal(c, sanction.moves, s1, i, improving=sanction.kind == "SEQ")
            if sanction.kind == "SMR":
                assert not any(better(c, i, t, s) for t in one_move(c, i, sanction.result))


@SETTINGS
@given(conflicts())
def test_verdicts_implications_witnesses_and_two_methods(c):
    a = analyze(c)
    b = batch_stability(c, c.payoffs[None])
    for d in c.dm_ids:
        for k, s in enumerate(c.states):
            v = {concept: a.verdict(concept, d, s) for concept in CONCEPTS}
            if v["R"].stable:
                assert all(x.stable for x in v.values())
            if v["SMR"].stable or v["SEQ"].stable:
                assert v["GMR"].stable
            for base in ("GMR", "SMR", "SEQ"):
                if v[base].stable or v["SIM"].stable:
                    assert v[f"{base}+SIM"].stable
            for concept, verdict in v.items():
                _check_witness(c, verdict)
                assert verdict.stable == brute_stable(c, concept, c.dm_index(d), s), (concept, d, s)
                assert verdict.stable == bool(b.stable[concept][0, c.dm_index(d), k])


@SETTINGS
@given(conflicts())
def test_coalitions_and_status_quo_paths(c):
    a = analyze(c, ("R", "SEQ"))
    ca = coalition_analysis(c)
    assert set(ca.equilibria("CNash")) <= set(a.equilibria("R"))
    assert set(ca.equilibria("CSEQ")) <= set(a.equilibria("SEQ"))
    for d in c.dm_ids:
        for s in c.states:
            assert ca.stable("CNash", [d], s) == a.stable("R", d, s)
    for path in status_quo_paths(c, c.states):
        if path.by_improvements is not None:
            assert path.by_moves is not None
            assert _legal(c, path.by_improvements, c.status_quo, None, improving=True)
            if path.by_improvements:
                assert path.by_improvements[-1].target == path.target
        if path.by_moves:
            assert _legal(c, path.by_moves, c.status_quo, None, improving=False)
            assert path.by_moves[-1].target == path.target


@SETTINGS
@given(conflicts(irreversible=False))
def test_nash_stability_equals_the_pure_nash_equilibria_of_the_normal_form(c):
    game, states = to_normal_form(c)
    pure = {states[e.pure_profile()] for e in solve(game, method="pure").equilibria}
    assert pure == set(analyze(c, ("R",)).equilibria("R"))


@SETTINGS
@given(st.integers(2, 3), st.integers(2, 3), st.data())
def test_normal_form_round_trip(m0, m1, data):
    values = data.draw(st.lists(st.integers(-3, 3), min_size=2 * m0 * m1, max_size=2 * m0 * m1))
    payoffs = np.array(values, dtype=float).reshape(2, m0, m1)
    game = Game(
        ("row", "col"), (tuple(f"r{k}" for k in range(m0)), tuple(f"c{k}" for k in range(m1))), payoffs
    )
    c = from_normal_form(game)
    assert len(c.states) == m0 * m1
    back, states = to_normal_form(c)
    assert back.shape == game.shape
    assert np.array_equal(back.payoffs, game.payoffs)
    pure = {states[e.pure_profile()] for e in solve(game, method="pure").equilibria}
    assert pure == set(analyze(c, ("R",)).equilibria("R"))
