"""The tidy table: its rows and columns, the dominance column, and the files it is written to."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from negsim.game import Game
from negsim.solve.batch import PointEquilibria
from negsim.solve.dominance import iterated_elimination
from negsim.sweep import parse_sweep_spec, run_sweep
from negsim.sweep.dominance import surviving_strategies
from negsim.sweep.table import Labels, encode_csv, encode_json_lines, tabulate

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "scenarios" / "s400-mini.yaml")
THRESHOLD = str(DATA / "sweeps" / "threshold.yaml")
PENNIES = str(DATA / "sweeps" / "pennies.yaml")

LABELS = Labels(
    players=("row", "col"),
    player_names=("Row", "Column"),
    strategies=(("up", "down"), ("left", "right")),
    strategy_names=(("Up", "Down"), ("Left", "Right")),
    parameters=("x", "point"),
)


def _equilibria(point, row, col, payoffs, n_points):
    return PointEquilibria(
        n_points=n_points,
        point=np.array(point),
        strategies=(np.array(row, dtype=float), np.array(col, dtype=float)),
        payoffs=np.array(payoffs, dtype=float),
        regret=np.zeros(len(point)),
        degenerate=np.array([False, True, False]),
        complete=True,
    )


def test_rows_one_per_point_and_equilibrium_with_labels():
    # point 0: down/right then up/left (solver order); point 1: none; point 2: a mixed one
    eq = _equilibria(
        [0, 0, 2],
        [[0, 1], [1, 0], [0.5, 0.5]],
        [[0, 1], [1, 0], [0.25, 0.75]],
        [[1, 1], [2, 2], [0.5, 1.5]],
        3,
    )
    alive = [np.array([[1, 1], [1, 0], [0, 1]], bool), np.array([[1, 1], [1, 1], [1, 0]], bool)]
    table = tabulate(LABELS, 10, {"x": np.array([1.0, 2.0, 3.0]), "point": np.zeros(3)}, None, eq, alive)
    c = table.columns
    assert list(c) == LABELS.columns()
    assert "param.point" in c  # a parameter named like a fixed column
    assert c["point"].tolist() == [10, 10, 11, 12]
    assert c["x"].tolist() == [1, 1, 2, 3]
    assert c["equilibrium"].tolist() == [0, 1, -1, 0]
    assert c["n_equilibria"].tolist() == [2, 2, 0, 1]
    assert c["kind"].tolist() == ["pure", "pure", None, "mixed"]
    assert c["outcome"].tolist() == ["down / right", "up / left", None, "up+down / left+right"]
    # the set is in a canonical order (pure first, then strategy order), whatever the solver's
    assert c["equilibrium_set"].tolist() == ["up / left | down / right"] * 2 + [
        "(none)",
        "up+down / left+right",
    ]
    assert c["p.row.up"][:2].tolist() == [0, 1] and np.isnan(c["p.row.up"][2])
    assert c["welfare"].tolist()[:2] == [2, 4] and c["welfare"][3] == 2
    assert c["degenerate"].tolist() == [False, False, True, False]
    assert c["dominance"].tolist() == ["up,down / left,right"] * 2 + ["up / left,right", "down / left"]
    assert table.point_sets.tolist() == ["up / left | down / right", "(none)", "up+down / left+right"]
    assert table.sets["up / left | down / right"] == (((0,), (0,)), ((1,), (1,)))
    assert table.lead_payoffs[0].tolist() == [1, 1] and np.isnan(table.lead_payoffs[1]).all()


def test_csv_and_json_encoding_round_trip():
    eq = _equilibria([0], [[1, 0]], [[0, 1]], [[0.1, -2.5]], 3)
    alive = [np.ones((3, 2), bool)] * 2
    table = tabulate(LABELS, 0, {"x": np.array([0.3, 1, 2]), "point": np.zeros(3)}, None, eq, alive)
    names = LABELS.columns()
    rows = list(csv.reader(encode_csv(table.columns, names).splitlines()))
    assert len(rows) == 3
    first = dict(zip(names, rows[0]))
    assert first["x"] == "0.3" and first["payoff.row"] == "0.1" and first["varied"] == ""
    assert first["dominance"] == "up,down / left,right"  # quoted in the file, one field
    assert dict(zip(names, rows[1]))["p.row.up"] == ""
    objects = [json.loads(line) for line in encode_json_lines(table.columns, names).splitlines()]
    assert objects[0]["payoff.col"] == -2.5 and objects[0]["varied"] is None
    assert objects[1]["kind"] is None and objects[1]["degenerate"] is True


@pytest.mark.slow
@pytest.mark.parametrize(
    "shape, infeasible",
    [((3, 3), None), ((4, 3), (0, 0)), ((5, 4), None), ((3, 2, 3), None), ((6, 5), (2, 1))],
)
def test_vectorised_dominance_agrees_with_iterated_elimination(shape, infeasible):
    rng = np.random.default_rng(sum(shape))
    payoffs = rng.integers(-3, 4, size=(60, len(shape), *shape)).astype(float)
    mask = None
    if infeasible is not None:
        mask = np.zeros(shape, bool)
        mask[infeasible] = True
    for mixed in (False, True):
        alive = surviving_strategies(payoffs, mask, mixed=mixed)
        for p in range(len(payoffs)):
            game = Game(
                tuple(f"p{i}" for i in range(len(shape))),
                tuple(tuple(str(k) for k in range(m)) for m in shape),
                payoffs[p],
                infeasible=mask,
            )
            expected = iterated_elimination(game, mixed=mixed).surviving
            assert tuple(tuple(np.flatnonzero(a[p]).tolist()) for a in alive) == expected


def test_domination_by_a_mix_only():
    # Row's "middle" is beaten by no pure strategy but by the 50/50 mix of top and bottom.
    A = [[4, 0], [1, 1], [0, 4]]
    B = [[1, 0], [0, 1], [0, 1]]
    payoffs = np.array([[A, B]], dtype=float)
    assert [a[0].tolist() for a in surviving_strategies(payoffs, mixed=False)] == [
        [True, True, True],
        [True, True],
    ]
    pure_and_mixed = surviving_strategies(payoffs)
    assert pure_and_mixed[0][0].tolist() == [True, False, True]


def _run(tmp_path, scenario, **kinds):
    spec = parse_sweep_spec({"negsim_sweep": 1, "id": "table", "scenario": scenario, **kinds})
    return run_sweep(spec, runs_dir=tmp_path)


def test_results_load_in_pandas_with_their_types(tmp_path):
    pd = pytest.importorskip("pandas")
    result = _run(
        tmp_path,
        MINI,
        grid={"sanction_cost": {"start": 0, "stop": 10, "count": 6}, "security": {"values": [1, 8]}},
    )
    frame = pd.read_csv(result.file("results_csv"), keep_default_na=False, na_values=[""])
    assert (
        list(frame.columns)
        == Labels.of(__import__("negsim.compile.source", fromlist=["x"]).load_source(MINI).game).columns()
    )
    assert frame.point.nunique() == 12
    assert frame["point"].dtype.kind == "i" and frame["degenerate"].dtype == bool
    assert frame["sanction_cost"].dtype.kind == "f"
    again = result.dataframe()
    assert again.shape == frame.shape and again.outcome.notna().all()
    assert (frame.groupby("point").n_equilibria.first() >= 1).all()


def test_json_and_csv_hold_the_same_rows(tmp_path):
    result = _run(tmp_path, THRESHOLD, one_at_a_time={"count": 5}, formats=["csv", "json"])
    from_json = json.loads(result.file("results_json").read_text())
    from_csv = list(result.rows())
    assert from_json == from_csv
    assert [r["varied"] for r in from_csv] == ["sanction_cost"] * 5 + ["security"] * 5
    points = list(csv.DictReader(result.file("points_csv").open()))
    assert [int(p["point"]) for p in points] == list(range(10))


def test_large_runs_write_json_lines(tmp_path, monkeypatch):
    import negsim.sweep.run as run_module

    monkeypatch.setattr(run_module, "JSON_ARRAY_MAX_POINTS", 5)
    result = _run(
        tmp_path, THRESHOLD, grid={"sanction_cost": {"values": [1, 2, 3, 4, 5, 6]}}, formats=["csv", "json"]
    )
    path = result.file("results_json")
    assert path.name == "results.jsonl" and result.manifest["json_format"] == "lines"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows == list(result.rows())


@pytest.mark.slow
def test_parquet_holds_the_csv_rows_with_nulls_where_csv_is_empty(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    # Below a bonus of 2 there is no pure equilibrium: rows with empty equilibrium columns.
    spec = parse_sweep_spec(
        {
            "negsim_sweep": 1,
            "id": "pq",
            "scenario": PENNIES,
            "method": "pure",
            "grid": {"bonus": {"start": 0, "stop": 4, "count": 600}},
        }
    )
    result = run_sweep(spec, runs_dir=tmp_path, chunk_size=100)
    table = pd.read_parquet(result.file("results_parquet"))
    frame = result.dataframe()
    assert list(table.columns) == list(frame.columns) and len(table) == len(frame)
    assert table["equilibrium"].isna().sum() == (frame["n_equilibria"] == 0).sum() > 250
    assert str(table["kind"].dtype) in ("object", "string", "str")
    pd.testing.assert_series_equal(table["payoff.row"], frame["payoff.row"], check_dtype=False)
    assert (table["outcome"].fillna("") == frame["outcome"].fillna("")).all()


def test_equilibria_listed_out_of_point_order_are_grouped():
    eq = _equilibria(
        [2, 0, 0],
        [[0.5, 0.5], [0, 1], [1, 0]],
        [[0.25, 0.75], [0, 1], [1, 0]],
        [[0.5, 1.5], [1, 1], [2, 2]],
        3,
    )
    alive = [np.ones((3, 2), bool)] * 2
    table = tabulate(LABELS, 0, {"x": np.zeros(3), "point": np.zeros(3)}, None, eq, alive)
    assert table.columns["point"].tolist() == [0, 0, 1, 2]
    assert table.columns["equilibrium"].tolist() == [0, 1, -1, 0]
    assert table.columns["outcome"].tolist() == ["down / right", "up / left", None, "up+down / left+right"]
    assert table.lead_payoffs[0].tolist() == [1, 1]
