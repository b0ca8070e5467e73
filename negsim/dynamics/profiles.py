"""Mixed profiles as the dynamics see them: one probability vector per player.

A *profile* is a tuple of 1-D arrays, ``profile[i][k]`` the probability that player ``i`` plays
its strategy ``k``. A *batch* of profiles (many starts moving at once) keeps a leading axis:
``batch[i]`` has shape ``(N, m_i)``. Payoffs are always the game's :attr:`~negsim.game.Game.solver_payoffs`,
so an infeasible profile is every player's worst outcome and no dynamic moves into it while a
feasible alternative exists.

>>> from negsim.game import Game
>>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> [v.tolist() for v in payoff_vectors(pd.solver_payoffs, uniform_profile(pd))]
[[1.5, 3.0], [1.5, 3.0]]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import lru_cache
from string import ascii_letters

import numpy as np

from negsim.errors import InputError, Problem, did_you_mean
from negsim.game import Game

__all__ = [
    "Profile",
    "as_profile",
    "check_number",
    "cross_derivatives",
    "distance",
    "is_symmetric",
    "payoff_range",
    "payoff_vectors",
    "profile_as_lists",
    "pure_start",
    "start_profile",
    "status_quo_profile",
    "symmetric_matrix",
    "uniform_profile",
]

#: The named starts every dynamic accepts.
NAMED_STARTS = ("uniform", "status-quo")

Profile = tuple[np.ndarray, ...]

#: How far from 1 a start's probabilities may sum (they are then renormalised).
_SUM_TOLERANCE = 1e-9


def uniform_profile(game: Game) -> Profile:
    """Every player mixes uniformly: the centre of the strategy space."""
    return tuple(np.full(m, 1.0 / m) for m in game.shape)


def payoff_range(game: Game) -> float:
    """The spread of the solver payoffs (1 when all are equal): the unit of every tolerance."""
    payoffs = game.solver_payoffs
    spread = float(payoffs.max() - payoffs.min())
    return spread if spread > 0 else 1.0


@lru_cache(maxsize=256)
def _vector_spec(n: int, i: int) -> str:
    axes = ascii_letters[:n]
    others = ",".join(f"...{axes[j]}" for j in range(n) if j != i)
    return f"{axes}{',' + others if others else ''}->...{axes[i]}"


def payoff_vectors(payoffs: np.ndarray, states: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Each player's payoff of each of its pure strategies against the others' mixes.

    ``payoffs`` has shape ``(n, m_0, ..., m_{n-1})``; ``states[j]`` has shape ``(..., m_j)``
    (leading batch axes are kept). Returns ``n`` arrays of shape ``(..., m_i)``.
    """
    n = payoffs.shape[0]
    return [
        np.einsum(_vector_spec(n, i), payoffs[i], *(states[j] for j in range(n) if j != i))
        for i in range(n)
    ]


@lru_cache(maxsize=256)
def _cross_spec(n: int, i: int, j: int) -> str:
    axes = ascii_letters[:n]
    others = [h for h in range(n) if h not in (i, j)]
    inputs = ",".join([axes, *(axes[h] for h in others)])
    return f"{inputs}->{axes[i]}{axes[j]}"


def cross_derivatives(payoffs: np.ndarray, profile: Profile, i: int, j: int) -> np.ndarray:
    """``D[k, l] = d u_i(k) / d x_j(l)``: player ``i``'s payoff table against everyone but ``i``, ``j``."""
    n = payoffs.shape[0]
    others = [profile[h] for h in range(n) if h not in (i, j)]
    return np.asarray(np.einsum(_cross_spec(n, i, j), payoffs[i], *others))


def distance(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> float:
    """The largest difference between two profiles' probabilities (the sup norm)."""
    return max(float(np.max(np.abs(np.asarray(x, dtype=float) - np.asarray(y, dtype=float))))
               for x, y in zip(a, b))


def profile_as_lists(profile: Sequence[np.ndarray]) -> list[list[float]]:
    """A profile as JSON-ready lists (``-0.0`` printed as ``0.0``)."""
    return [[float(p) + 0.0 for p in np.asarray(s, dtype=float)] for s in profile]


def is_symmetric(game: Game, *, tol: float = 1e-9) -> bool:
    """A two-player game whose column player's payoffs are the row player's, transposed."""
    if game.n_players != 2 or game.shape[0] != game.shape[1]:
        return False
    A, B = game.solver_payoffs
    return bool(np.allclose(A, B.T, rtol=0.0, atol=tol * payoff_range(game)))


def symmetric_matrix(game: Game, *, what: str = "one-population dynamics") -> np.ndarray:
    """The row player's matrix of a symmetric game; an :class:`InputError` for any other game."""
    if not is_symmetric(game):
        raise InputError([Problem(
            f"{what} need a symmetric two-player game (the column player's payoffs are the row "
            f"player's, transposed); this game has {game.n_players} players with "
            f"{' x '.join(str(m) for m in game.shape)} strategies"
            + ("" if game.n_players != 2 or game.shape[0] != game.shape[1] else " and is not symmetric"),
            path="population")])
    return np.asarray(game.solver_payoffs[0])


def as_profile(
    game: Game,
    start: object = None,
    *,
    path: str = "start",
    interior: bool = False,
) -> Profile:
    """A validated start: ``None`` (uniform), one sequence of probabilities per player, or a
    mapping ``{player: {strategy: probability}}`` (strategies left out get 0).

    Probabilities must be finite, non-negative and sum to 1 per player (within 1e-9; they are
    then renormalised). With ``interior`` every probability must be positive. Every problem
    found is reported in one :class:`InputError`.
    """
    if start is None:
        return uniform_profile(game)
    problems: list[Problem] = []
    rows: list[list[float] | None] = []
    if isinstance(start, Mapping):
        unknown = [p for p in start if p not in game.players]
        for p in unknown:
            problems.append(Problem(f"unknown player {p!r}{did_you_mean(str(p), game.players)}", path=path))
        for i, player in enumerate(game.players):
            given = start.get(player)
            where = f"{path}.{player}"
            if given is None:
                problems.append(Problem("missing: give this player's probabilities", path=where))
                rows.append(None)
                continue
            if isinstance(given, Mapping):
                row = [0.0] * game.shape[i]
                for name, value in given.items():
                    if name not in game.strategies[i]:
                        problems.append(Problem(
                            f"unknown strategy {name!r}{did_you_mean(str(name), game.strategies[i])}",
                            path=where))
                        continue
                    row[game.strategies[i].index(name)] = _number(value, f"{where}.{name}", problems)
                rows.append(row)
            else:
                rows.append(_numbers(given, game.shape[i], where, problems))
    elif isinstance(start, (str, bytes)) or not isinstance(start, Sequence | np.ndarray):
        raise InputError([Problem(
            "expected one list of probabilities per player, or {player: {strategy: probability}}",
            path=path)])
    else:
        items = list(start)
        if len(items) != game.n_players:
            raise InputError([Problem(
                f"expected {game.n_players} probability vectors (one per player), got {len(items)}",
                path=path)])
        for i, given in enumerate(items):
            rows.append(_numbers(given, game.shape[i], f"{path}.{game.players[i]}", problems))
    profile = []
    for i, given_row in enumerate(rows):
        if given_row is None:
            continue
        row = given_row
        where = f"{path}.{game.players[i]}"
        vector = np.array(row, dtype=float)
        if np.any(vector < 0):
            problems.append(Problem("probabilities must not be negative", path=where))
        elif abs(float(vector.sum()) - 1.0) > _SUM_TOLERANCE:
            problems.append(Problem(f"probabilities must sum to 1, they sum to {float(vector.sum()):.6g}",
                                    path=where))
        elif interior and np.any(vector <= 0):
            problems.append(Problem("every probability must be positive (a start inside the simplex)",
                                    path=where))
        else:
            profile.append(vector / vector.sum())
    if problems:
        raise InputError(problems)
    return tuple(profile)


def _numbers(given: object, size: int, where: str, problems: list[Problem]) -> list[float] | None:
    if isinstance(given, (str, bytes)) or not isinstance(given, Sequence | np.ndarray):
        problems.append(Problem(f"expected a list of {size} probabilities", path=where))
        return None
    values = list(given)
    if len(values) != size:
        problems.append(Problem(f"expected {size} probabilities, got {len(values)}", path=where))
        return None
    return [_number(v, f"{where}[{k}]", problems) for k, v in enumerate(values)]


def _number(value: object, where: str, problems: list[Problem]) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        problems.append(Problem(f"expected a number, got {value!r}", path=where))
        return 0.0
    if not math.isfinite(number):
        problems.append(Problem(f"expected a finite number, got {value!r}", path=where))
        return 0.0
    return number


def check_number(value: object, path: str, *, integer: bool = False, above: float | None = None,
                 at_least: float | None = None) -> float:
    """``value`` as a float if it is a finite number (an integer with ``integer``) above
    ``above`` / at least ``at_least``; otherwise an :class:`InputError` naming ``path``."""
    number = None
    if not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    ok = number is not None and math.isfinite(number) and (not integer or number.is_integer())
    ok = ok and (above is None or number > above) and (at_least is None or number >= at_least)  # type: ignore[operator]
    if not ok or number is None:
        what = "an integer" if integer else "a finite number"
        bound = f" above {above:g}" if above is not None else ""
        if at_least is not None:
            bound = f" of at least {at_least:g}"
        raise InputError([Problem(f"expected {what}{bound}, got {value!r}", path=path)])
    return number


# -- starts as the command line and sweep specs write them ------------------------------------------


def status_quo_profile(game: Game, *, path: str = "start") -> Profile:
    """The game's status quo as a (pure) mixed profile; an :class:`InputError` if it has none."""
    if game.status_quo is None:
        raise InputError([Problem("the game has no status quo (give the scenario a status_quo, or "
                                  "start from 'uniform' or a profile)", path=path)])
    return tuple(np.eye(m)[k] for m, k in zip(game.shape, game.status_quo))


def start_profile(game: Game, start: object = None, *, population: str = "per-player",
                  path: str = "start") -> Profile:
    """A start in any of the forms users write it, as a validated mixed profile.

    ``None`` or ``"uniform"``: every player mixes uniformly; ``"status-quo"``: the game's
    status quo; a text of ``player.strategy=probability`` items separated by commas (a
    probability may be a fraction such as ``1/3``; a bare ``player.strategy`` means 1); or what
    :func:`as_profile` takes (a mapping or one vector per player). Players a text leaves out mix
    uniformly. For a single population (``population="single"``) one player's mix, or
    strategies named without a player, give the population's state.

    >>> from negsim.game import Game
    >>> hd = Game.from_matrices([[-1, 2], [0, 1]], [[-1, 0], [2, 1]],
    ...                         players=("row", "column"), strategies=[["hawk", "dove"]] * 2)
    >>> [s.tolist() for s in start_profile(hd, "row.hawk=1/4,row.dove=3/4")]
    [[0.25, 0.75], [0.5, 0.5]]
    >>> [s.tolist() for s in start_profile(hd, "hawk=0.9,dove=0.1", population="single")]
    [[0.9, 0.1], [0.9, 0.1]]
    """
    if start is None or (isinstance(start, str) and start.strip() == "uniform"):
        return uniform_profile(game)
    if isinstance(start, str) and start.strip() == "status-quo":
        return status_quo_profile(game, path=path)
    if isinstance(start, str):
        start = _parse_start_text(game, start, population, path)
    if population == "single" and isinstance(start, Mapping):
        given = {p: v for p, v in start.items() if v is not None}
        if len(given) == 1 and set(given) <= set(game.players):
            (mix,) = given.values()
            start = {p: mix for p in game.players}
    return as_profile(game, start, path=path)


def pure_start(game: Game, start: object = None, *, path: str = "start") -> tuple[int, ...]:
    """A pure profile to start best responses from: ``None`` or ``"status-quo"`` is the
    status quo (else every player's first strategy); otherwise a start of
    :func:`start_profile` in which every player plays one strategy with probability 1."""
    if start is None or (isinstance(start, str) and start.strip() == "status-quo"):
        if game.status_quo is None and start is not None:
            status_quo_profile(game, path=path)  # raises: no status quo
        return game.status_quo if game.status_quo is not None else tuple(0 for _ in game.shape)
    profile = start_profile(game, start, path=path)
    problems = [Problem(f"best responses start from a pure profile: give {game.players[i]} one strategy "
                        "with probability 1", path=path)
                for i, s in enumerate(profile) if float(np.max(s)) < 1.0]
    if problems:
        raise InputError(problems)
    return tuple(int(np.argmax(s)) for s in profile)


def _parse_start_text(game: Game, text: str, population: str, path: str) -> dict[str, dict[str, float]]:
    problems: list[Problem] = []
    mixes: dict[str, dict[str, float]] = {}
    items = [item.strip() for item in text.split(",")]
    if not any(items):
        raise InputError([Problem("expected 'uniform', 'status-quo' or player.strategy=probability, ...",
                                  path=path)])
    for item in items:
        if not item:
            problems.append(Problem(f"empty item in {text!r}", path=path))
            continue
        key, sep, value_text = item.partition("=")
        key = key.strip()
        player = next((p for p in game.players if key.startswith(p + ".")), None)
        if player is None and population == "single":
            player = game.players[0]
            strategy = key
        elif player is None:
            known = ", ".join(game.players)
            problems.append(Problem(f"{key!r}: expected player.strategy with a player of {known}"
                                    f"{did_you_mean(key.split('.')[0], game.players)}", path=path))
            continue
        else:
            strategy = key[len(player) + 1:]
        i = game.players.index(player)
        if strategy not in game.strategies[i]:
            problems.append(Problem(f"{key!r}: unknown strategy {strategy!r} of {player}"
                                    f"{did_you_mean(strategy, game.strategies[i])}", path=path))
            continue
        value = 1.0
        if sep:
            try:
                value = float(Fraction(value_text.strip()))
            except (ValueError, ZeroDivisionError):
                problems.append(Problem(f"{key}: expected a probability such as 0.5 or 1/3, got "
                                        f"{value_text.strip()!r}", path=path))
                continue
        mix = mixes.setdefault(player, {})
        if strategy in mix:
            problems.append(Problem(f"{key} is given twice", path=path))
            continue
        mix[strategy] = value
    if problems:
        raise InputError(problems)
    out: dict[str, dict[str, float]] = {}
    for i, player in enumerate(game.players):
        if player in mixes:
            out[player] = mixes[player]
        elif population != "single":
            out[player] = {s: 1.0 / game.shape[i] for s in game.strategies[i]}
    return out
