"""Property tests: any valid scenario survives dump-and-reload unchanged and compiles."""

from __future__ import annotations

import keyword
from itertools import product

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negsim.compile import compile_scenario, scenario_shape
from negsim.scenario import Scenario, dump_scenario, parse_scenario
from negsim.scenario.expr import FUNCTIONS
from negsim.scenario.schema import RESERVED_PAYOFF_KEYS

NAME = st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True).filter(
    lambda n: not keyword.iskeyword(n) and n not in FUNCTIONS and n not in RESERVED_PAYOFF_KEYS
)
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")) | st.just("\n"), max_size=30)
NUMBER = st.integers(-1000, 1000) | st.floats(-1e6, 1e6, allow_nan=False).map(
    lambda v: float(np.float32(v))  # short reprs; the YAML text carries any double exactly anyway
)


@st.composite
def scenarios(draw) -> dict:
    names = draw(st.lists(NAME, min_size=1, max_size=14, unique=True))
    n_players = draw(st.integers(1, 3))
    if len(names) < n_players + 2:
        names += [f"p{k}" for k in range(n_players + 2)]
    player_ids, rest = names[:n_players], names[n_players:]
    parameters = {
        name: {"value": draw(NUMBER)} | draw(st.fixed_dictionaries({}, optional={
            "unit": TEXT, "description": TEXT, "rationale": TEXT,
            "direction": st.fixed_dictionaries({}, optional={p: st.sampled_from(
                ["better", "worse"]) for p in player_ids}),
        }))
        for name in rest[: draw(st.integers(0, 3))]
    }
    players = {}
    for pid in player_ids:
        sids = draw(st.lists(NAME, min_size=1, max_size=3, unique=True))
        attrs = draw(st.lists(NAME.filter(lambda a, s=sids: a not in s), max_size=2, unique=True))
        players[pid] = {"strategies": {
            sid: {"attributes": {a: draw(NUMBER) for a in attrs}}
            | draw(st.fixed_dictionaries({}, optional={"name": TEXT, "description": TEXT}))
            for sid in sids
        }} | draw(st.fixed_dictionaries({}, optional={"name": TEXT, "description": TEXT}))
    shape = [len(p["strategies"]) for p in players.values()]
    sids = [list(p["strategies"]) for p in players.values()]
    terms = list(parameters) + [f"{pid}.{s}" for pid, p in players.items() for s in p["strategies"]]
    expression = st.lists(st.tuples(NUMBER, st.sampled_from(terms)), min_size=1, max_size=3).map(
        lambda ts: " + ".join(f"({c}) * {t}" for c, t in ts)) if terms else NUMBER
    cell = NUMBER | expression
    profiles = list(product(*(range(m) for m in shape)))
    form = draw(st.sampled_from(["expressions", "matrix", "table", "ranking"]))
    if form == "expressions":
        payoffs = {pid: draw(cell) for pid in player_ids}
    elif form == "matrix":
        def nested(depth):
            if depth == len(shape):
                return draw(cell)
            return [nested(depth + 1) for _ in range(shape[depth])]
        payoffs = {"matrix": {pid: nested(0) for pid in player_ids}}
    elif form == "table":
        rows = []
        for prof in profiles:
            as_list = draw(st.booleans())
            profile = ([sids[i][k] for i, k in enumerate(prof)] if as_list
                       else {pid: sids[i][k] for i, (pid, k) in enumerate(zip(player_ids, prof))})
            values = [draw(cell) for _ in player_ids]
            rows.append({"profile": profile,
                         "payoffs": values if draw(st.booleans()) else dict(zip(player_ids, values))})
        payoffs = {"table": draw(st.permutations(rows))}
    else:
        ranking = {}
        for pid in player_ids:
            order = draw(st.permutations(profiles))
            items, k = [], 0
            while k < len(order):
                size = draw(st.integers(1, len(order) - k))
                group = [[sids[i][s] for i, s in enumerate(p)] for p in order[k:k + size]]
                items.append(group[0] if size == 1 else group)
                k += size
            ranking[pid] = items
        payoffs = {"ranking": ranking}
    data = {"negsim": 1, "id": draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)),
            "title": draw(TEXT), "parameters": parameters, "players": players, "payoffs": payoffs}
    data |= draw(st.fixed_dictionaries({}, optional={
        "description": TEXT, "date": st.sampled_from(["2019", "2020-03", "2025-11-02"]),
        "tags": st.lists(TEXT, max_size=3), "assumptions": st.lists(TEXT, max_size=2),
        "interpretation": TEXT,
        "sources": st.lists(st.builds(lambda f, q: {"file": f, "quote": q}, TEXT, TEXT)
                            | st.builds(lambda c: {"citation": c}, TEXT), max_size=2),
        "status_quo": st.sampled_from(profiles).map(
            lambda p: {pid: sids[i][k] for i, (pid, k) in enumerate(zip(player_ids, p))}),
    }))
    return data


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_dump_and_reload_is_the_identity(data):
    scenario = Scenario.model_validate(data)
    text = dump_scenario(scenario)
    again = parse_scenario(text, file="dumped.yaml")
    assert again.model_dump() == scenario.model_dump()
    assert dump_scenario(again) == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_valid_scenario_compiles_and_evaluates_in_batches(data):
    scenario = Scenario.model_validate(data)
    game = compile_scenario(scenario)
    assert game.shape == scenario_shape(scenario)
    points = {name: np.linspace(-2, 2, 3) for name in game.defaults}
    batch = game.evaluate(points)
    n = 3 if points else 1  # without parameters there is a single point
    assert batch.shape == (n, len(scenario.players), *scenario_shape(scenario))
    for k in range(n):
        single = game.game({name: v[k] for name, v in points.items()}).payoffs
        np.testing.assert_allclose(batch[k], single, rtol=1e-12)
