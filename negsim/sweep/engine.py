"""Solving a sweep chunk by chunk, and the executors that run the chunks.

A chunk is a range of points. :func:`solve_chunk` evaluates the payoffs of all its points in one
call, solves them with :func:`negsim.solve.batch.solve_points`, finds the survivors of iterated
strict dominance, builds the chunk's rows and encodes them as CSV and JSON text; so a worker
sends back text and a few per-point arrays, and the main process only appends text to files.

Executors yield the results in chunk order whatever order they finish in, with a bounded number
of chunks in flight (memory stays bounded): :func:`serial`, :func:`processes` (a
``ProcessPoolExecutor``) and :func:`dask_cluster` (a ``dask.distributed`` cluster). Chunk
boundaries depend only on the number of points, never on the executor, so every executor gives
byte-identical results.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import signal
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from negsim.compile import compile_scenario
from negsim.compile.source import Source
from negsim.compile.trees import scenario_tree
from negsim.errors import InputError, Problem
from negsim.game import Game, ParametricGame
from negsim.scenario import Scenario, dump_scenario
from negsim.sequential.batch import solve_tree_points
from negsim.solve.batch import solve_points
from negsim.sweep.dominance import surviving_strategies
from negsim.sweep.table import Labels, encode_csv, encode_rows, tabulate
from negsim.sweep.tree_table import tabulate_tree
from negsim.tree.model import GameTree, ParametricTree

__all__ = [
    "ChunkResult",
    "ChunkTask",
    "GameRecipe",
    "chunk_plan",
    "dask_cluster",
    "processes",
    "serial",
    "solve_chunk",
    "solve_sets",
    "solve_tree_sets",
]

#: Largest chunk, in points: bounds the memory of one chunk's payoffs and rows.
MAX_CHUNK = 20_000
#: Smallest chunk (unless the sweep is smaller): below this, per-chunk overhead dominates.
MIN_CHUNK = 256
#: A sweep is cut into about this many chunks, so progress moves in small steps.
TARGET_CHUNKS = 200
#: How long to try to reach a Dask scheduler before giving up.
DASK_CONNECT_TIMEOUT = "10s"


def chunk_plan(n_points: int, chunk_size: int | None = None) -> list[tuple[int, int]]:
    """``(start, stop)`` of every chunk; depends only on ``n_points`` (and an explicit size)."""
    size = chunk_size or min(MAX_CHUNK, max(MIN_CHUNK, math.ceil(n_points / TARGET_CHUNKS)))
    return [(a, min(a + size, n_points)) for a in range(0, n_points, size)]


# -- the game, rebuilt once per worker process -------------------------------------------------

_GAMES: dict[str, ParametricGame | ParametricTree] = {}


@dataclass(frozen=True, eq=False)
class GameRecipe:
    """What a worker needs to rebuild the parametric game (and game tree): the scenario (or,
    for a Gambit file, the game and the tree themselves). Compiled payoff functions do not
    pickle; scenarios do."""

    key: str
    scenario: Scenario | None = None
    game: Game | None = None
    tree: GameTree | None = None  # a Gambit .efg file's tree

    @classmethod
    def of(cls, source: Source) -> GameRecipe:
        """From a :class:`negsim.compile.source.Source`; the compiled game is kept for this process."""
        if source.scenario is not None:
            key = hashlib.sha256(dump_scenario(source.scenario).encode()).hexdigest()
            recipe = cls(key, scenario=source.scenario)
        else:
            constant = source.game.game()
            key = hashlib.sha256(
                np.ascontiguousarray(constant.payoffs).tobytes()
                + repr((constant.players, constant.strategies)).encode()
            ).hexdigest()
            fixed = getattr(source.tree, "fixed", None) if source.tree is not None else None
            recipe = cls(key, game=constant, tree=fixed)
        _GAMES[key] = source.game
        if source.tree is not None:
            _GAMES[key + ":tree"] = source.tree
        return recipe

    def build_tree(self) -> ParametricTree:
        """The :class:`negsim.tree.ParametricTree` of a sequential scenario or ``.efg`` file."""
        tree = _GAMES.get(self.key + ":tree")
        if not isinstance(tree, ParametricTree):
            if self.scenario is not None:
                tree = scenario_tree(self.scenario)
            else:
                tree = ParametricTree.constant(self.tree)
            _GAMES[self.key + ":tree"] = tree
        return tree

    def build(self) -> ParametricGame:
        """The parametric game (for a tree, its reduced strategic form)."""
        game = _GAMES.get(self.key)
        if not isinstance(game, ParametricGame):
            game = (
                compile_scenario(self.scenario)
                if self.scenario is not None
                else ParametricGame.constant(self.game)
            )
            _GAMES[self.key] = game
        return game


# -- one chunk -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ChunkTask:
    """Points ``start .. start + len`` with every parameter's value (``values``)."""

    recipe: GameRecipe
    labels: Labels
    method: str
    start: int
    values: Mapping[str, np.ndarray]
    varied: np.ndarray | None
    keep_columns: bool = False
    equilibrium: str = "nash"  # or "subgame-perfect" (labels are then TreeLabels)
    #: The encodings of the rows the run folder writes (``csv``, ``json``).
    text: tuple[str, ...] = ("csv", "json")
    #: An analysis kind's chunk function (negsim.sweep.analysis), used instead of the above.
    solver: Callable[[ChunkTask], ChunkResult] | None = None


@dataclass(frozen=True, eq=False)
class ChunkResult:
    """A solved chunk: its rows as text, and what the run keeps per point."""

    start: int
    stop: int
    n_rows: int
    csv: str
    json_lines: str
    points_csv: str
    point_sets: np.ndarray
    sets: dict
    lead_payoffs: np.ndarray
    complete: bool
    columns: dict | None = None
    credible: np.ndarray | None = None  # (points, responses) of a credibility sweep


def _solve(game: object, values: Mapping[str, np.ndarray], method: str) -> tuple:

    payoffs = game.evaluate(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        equilibria = solve_points(payoffs, infeasible=game.infeasible, method=method)
    return payoffs, equilibria


def solve_chunk(task: ChunkTask) -> ChunkResult:
    """Solve one chunk and encode its rows (runs in a worker)."""
    if task.solver is not None:
        return task.solver(task)
    if task.equilibrium == "subgame-perfect":
        return _solve_tree_chunk(task)
    game = task.recipe.build()
    payoffs, equilibria = _solve(game, task.values, task.method)
    alive = surviving_strategies(payoffs, game.infeasible)
    table = tabulate(task.labels, task.start, task.values, task.varied, equilibria, alive)
    names = task.labels.columns()
    n = len(next(iter(task.values.values()))) if task.values else payoffs.shape[0]
    point_columns = {
        "point": task.start + np.arange(n),
        "varied": (task.varied if task.varied is not None else np.full(n, None, dtype=object)),
    }
    for name in task.labels.parameters:
        point_columns[task.labels.parameter_column(name)] = np.asarray(task.values[name])
    csv_text, json_text = encode_rows(
        table.columns, names, csv="csv" in task.text, json_lines="json" in task.text
    )
    return ChunkResult(
        start=task.start,
        stop=task.start + n,
        n_rows=table.n_rows,
        csv=csv_text,
        json_lines=json_text,
        points_csv=encode_csv(point_columns, task.labels.point_columns()),
        point_sets=table.point_sets,
        sets=table.sets,
        lead_payoffs=table.lead_payoffs,
        complete=bool(equilibria.complete),
        columns=table.columns if task.keep_columns else None,
    )


def _solve_tree_chunk(task: ChunkTask) -> ChunkResult:
    """A chunk of a sweep over a game tree: its subgame-perfect equilibria, and the margins
    of the responses asked about."""

    tree = task.recipe.build_tree()
    labels = task.labels
    responses = [(r.node, r.action) for r in labels.responses]
    equilibria = solve_tree_points(tree, task.values, responses)
    table = tabulate_tree(labels, task.start, task.values, task.varied, equilibria)
    n = equilibria.n_points
    point_columns = {
        "point": task.start + np.arange(n),
        "varied": (task.varied if task.varied is not None else np.full(n, None, dtype=object)),
    }
    for name in labels.parameters:
        point_columns[labels.parameter_column(name)] = np.asarray(task.values[name])
    csv_text, json_text = encode_rows(table.columns, labels.columns())
    return ChunkResult(
        start=task.start,
        stop=task.start + n,
        n_rows=table.n_rows,
        csv=csv_text,
        json_lines=json_text,
        points_csv=encode_csv(point_columns, labels.point_columns()),
        point_sets=table.point_sets,
        sets=table.sets,
        lead_payoffs=table.lead_payoffs,
        complete=bool(equilibria.complete),
        columns=table.columns if task.keep_columns else None,
        credible=equilibria.credible,
    )


def solve_tree_sets(
    tree: object, labels: object, values: Mapping[str, np.ndarray]
) -> tuple[np.ndarray, dict]:
    """The subgame-perfect equilibrium set of each point (and each set's equilibria), as in
    the table of a sweep over a tree: what its tipping points are refined with."""

    responses = [(r.node, r.action) for r in labels.responses]
    table = tabulate_tree(labels, 0, values, None, solve_tree_points(tree, values, responses))
    return table.point_sets, table.sets


def solve_sets(
    game: object, labels: Labels, values: Mapping[str, np.ndarray], method: str
) -> tuple[np.ndarray, dict]:
    """The equilibrium-set label of each point (and each label's equilibria): what tipping
    points are refined with, computed exactly as in the sweep's table."""
    payoffs, equilibria = _solve(game, values, method)
    alive = [np.ones((payoffs.shape[0], m), dtype=bool) for m in labels.shape]
    table = tabulate(labels, 0, values, None, equilibria, alive)
    return table.point_sets, table.sets


# -- executors -------------------------------------------------------------------------------


def serial(tasks: Iterable[ChunkTask]) -> Iterator[ChunkResult]:
    """Solve the chunks one after the other in this process."""
    for task in tasks:
        yield solve_chunk(task)


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the main process decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def processes(tasks: Iterable[ChunkTask], workers: int) -> Iterator[ChunkResult]:
    """Solve the chunks in ``workers`` processes of this machine.

    As with any use of :mod:`multiprocessing`, a script that calls this (through
    ``run_sweep(workers=N)``) must guard its top level with ``if __name__ == "__main__":``.
    """
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: workers start from a clean process, never from a copy of this one with its
    # threads (a progress bar's refresh thread) mid-flight.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        # Import the solver once in the server, not once per worker (takes effect when this
        # process starts its first forkserver).
        context.set_forkserver_preload(
            ["negsim.sweep.engine", "negsim.solve.batch", "negsim.scenario", "negsim.sweep.tree_table"]
        )
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts) as pool:
        yield from _in_order(tasks, lambda task: pool.submit(solve_chunk, task), 2 * workers)


def _in_order(tasks: Iterable[ChunkTask], submit, in_flight: int) -> Iterator[ChunkResult]:
    pending: deque = deque()
    try:
        for task in tasks:
            pending.append(submit(task))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def dask_cluster(tasks: Iterable[ChunkTask], address: str, workers: int = 1) -> Iterator[ChunkResult]:
    """Solve the chunks on a ``dask.distributed`` cluster: ``address`` is a scheduler address
    (``tcp://host:8786``) or ``local`` to start a cluster on this machine (``workers``
    processes, at least 2) for the length of the sweep."""
    client, cluster = connect_dask(address, workers)
    try:
        slots = max(1, sum(client.nthreads().values()))
        yield from _in_order(tasks, lambda task: client.submit(solve_chunk, task, pure=False), 2 * slots)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def connect_dask(address: str, workers: int = 1) -> tuple:
    """A ``dask.distributed`` client (and the local cluster it runs on, if started here)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            [
                Problem(
                    "needs dask.distributed, which is not installed; install it "
                    "with: pip install 'negsim[dask]'",
                    path="dask",
                )
            ]
        ) from None
    if address == "local":
        import logging

        cluster = LocalCluster(
            n_workers=max(2, workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return Client(cluster), cluster
    if "://" not in address and ":" not in address:
        raise InputError(
            [
                Problem(
                    f"expected a scheduler address such as tcp://host:8786, or 'local', got {address!r}",
                    path="dask",
                )
            ]
        )
    started = time.monotonic()
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        waited = time.monotonic() - started
        raise InputError(
            [
                Problem(
                    f"cannot reach a Dask scheduler at {address} ({type(exc).__name__} after {waited:.0f} s)",
                    path="dask",
                )
            ]
        ) from None
    return client, None
