"""Rest points of the replicator dynamics and their stability.

A profile is a rest point of the replicator exactly when, for every player, all strategies it
plays earn the same payoff (Weibull 1995, prop. 3.3 and 5.3). So every pure profile is one,
every Nash equilibrium is one, and on each face of the simplex the rest points solve the
indifference equations of that face's supports. For two-player games (and one population of a
symmetric game) we enumerate every support and solve those equations in rational arithmetic;
for three or more players we list the pure profiles and the equilibria of
:func:`negsim.solve.solve` (the list is then not complete).

Stability comes from the eigenvalues of the Jacobian on the tangent space of the simplex (the
linearisation): all real parts negative, an asymptotically stable *sink*; some positive,
unstable (a *source* or a *saddle*); all on the imaginary axis, a *centre* of the
linearisation (Lyapunov stable or not, the linearisation does not decide: for zero-sum
Rock-Paper-Scissors a constant of motion shows it is stable); otherwise *non-hyperbolic*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, product

import numpy as np

from negsim.dynamics.profiles import Profile, distance, payoff_range, profile_as_lists
from negsim.dynamics.replicator import check_population, replicator_jacobian, tangent_eigenvalues
from negsim.dynamics.trajectory import equilibria_of
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.numbers import format_fraction
from negsim.solve import Solution
from negsim.solve.exact import fraction_array
from negsim.solve.verify import regret

__all__ = ["MAX_SUPPORTS", "RestPoint", "RestPoints", "classify", "rest_points"]

#: Support combinations enumerated at most (a 7x7 game has 127 x 127 of them).
MAX_SUPPORTS = 20_000

#: Real parts within this (times the payoff range) of zero count as zero.
ZERO = 1e-9


def classify(eigenvalues: Sequence[complex], *, tol: float = ZERO) -> str:
    """``"sink"``, ``"source"``, ``"saddle"``, ``"unstable"``, ``"centre"`` or ``"non-hyperbolic"``.

    >>> classify([-1, -0.5]), classify([1, -1]), classify([1j, -1j]), classify([0, -1])
    ('sink', 'saddle', 'centre', 'non-hyperbolic')
    """
    real = [complex(v).real for v in eigenvalues]
    if not real:
        return "sink"  # a single point: nothing can move
    positive = any(r > tol for r in real)
    negative = any(r < -tol for r in real)
    zero = any(abs(r) <= tol for r in real)
    if positive:
        if negative:
            return "saddle"
        return "unstable" if zero else "source"
    if not zero:
        return "sink"
    if not negative and all(abs(complex(v).imag) > tol for v in eigenvalues):
        return "centre"
    return "non-hyperbolic"


@dataclass(frozen=True, eq=False)
class RestPoint:
    """One rest point: its profile (exact fractions where known), eigenvalues and stability.

    ``equilibrium`` says whether it is a Nash equilibrium (no player gains by deviating to a
    strategy it does not play); for a single population, a symmetric one.
    """

    strategies: Profile
    exact: tuple[tuple[Fraction, ...], ...] | None
    eigenvalues: tuple[complex, ...]
    stability: str
    equilibrium: bool
    regret: float

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        if self.exact is not None:
            return tuple(tuple(k for k, p in enumerate(s) if p != 0) for s in self.exact)
        return tuple(tuple(int(k) for k in np.flatnonzero(s > 1e-12)) for s in self.strategies)

    @property
    def stable(self) -> bool:
        """Asymptotically stable (a sink of the linearisation)."""
        return self.stability == "sink"

    @property
    def pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)

    def label(self, game: Game) -> str:
        return " / ".join("+".join(game.strategies[i][k] for k in s) for i, s in enumerate(self.support))

    def to_dict(self, game: Game) -> dict[str, object]:
        return {
            "label": self.label(game),
            "profile": profile_as_lists(self.strategies),
            "exact": [[format_fraction(p) for p in s] for s in self.exact] if self.exact else None,
            "eigenvalues": [[float(complex(v).real) + 0.0, float(complex(v).imag) + 0.0]
                            for v in self.eigenvalues],
            "stability": self.stability,
            "nash_equilibrium": self.equilibrium,
            "regret": self.regret,
        }


@dataclass(frozen=True, eq=False)
class RestPoints:
    """Every isolated rest point found, sorted: stable ones first, then by support size.

    ``complete`` is true when every support was enumerated; ``continua`` names supports whose
    indifference equations leave a line or more of solutions (degenerate games).
    """

    game: Game
    population: str
    points: tuple[RestPoint, ...]
    complete: bool
    continua: tuple[str, ...] = ()

    @property
    def stable(self) -> tuple[RestPoint, ...]:
        return tuple(p for p in self.points if p.stable)

    def find(self, profile: Sequence[np.ndarray], tol: float = 1e-9) -> RestPoint | None:
        """The rest point at ``profile``, if there is one."""
        for p in self.points:
            if distance(p.strategies, profile) <= tol:
                return p
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "population": self.population,
            "complete": self.complete,
            "continua": list(self.continua),
            "rest_points": [p.to_dict(self.game) for p in self.points],
        }


def rest_points(
    game: Game, *, population: str = "per-player", solution: Solution | None = None
) -> RestPoints:
    """The replicator's rest points with their stability (see the module docstring).

    >>> from negsim.game import Game
    >>> hawk_dove = Game.from_matrices([[-1, 2], [0, 1]], [[-1, 0], [2, 1]])  # V = 2, C = 4
    >>> [(p.label(hawk_dove), p.stability) for p in rest_points(hawk_dove, population="single").points]
    [('1+2 / 1+2', 'sink'), ('1 / 1', 'source'), ('2 / 2', 'source')]
    """
    A = check_population(game, population)
    scale = payoff_range(game)
    continua: list[str] = []
    if A is not None:
        exact_a = fraction_array(A)
        m = A.shape[0]
        _limit(2**m - 1)
        found = []
        for S in _supports(m):
            status, x = _indifferent(exact_a[np.ix_(S, S)].T, len(S))
            if status == "continuum":
                continua.append("+".join(game.strategies[0][k] for k in S))
            if status == "unique" and x is not None and all(v > 0 for v in x):
                full = _expand(x, S, m)
                found.append((full, full))
        complete = True
    elif game.n_players == 2:
        exact = fraction_array(game.solver_payoffs)
        m, n = game.shape
        _limit((2**m - 1) * (2**n - 1))
        found = []
        for S, T in product(_supports(m), _supports(n)):
            # the row mix on S makes the column player indifferent on T, and vice versa
            status_x, x = _indifferent(exact[1][np.ix_(S, T)], len(S))
            status_y, y = _indifferent(exact[0][np.ix_(S, T)].T, len(T))
            if "none" in (status_x, status_y):
                continue
            if "continuum" in (status_x, status_y):
                continua.append(" / ".join("+".join(game.strategies[i][k] for k in U)
                                           for i, U in enumerate((S, T))))
                continue
            assert x is not None and y is not None
            if all(v > 0 for v in x) and all(v > 0 for v in y):
                found.append((_expand(x, S, m), _expand(y, T, n)))
        complete = True
    else:
        found = []
        complete = False
    points = [_rest_point(game, tuple(np.array([float(p) for p in s]) for s in exact_profile),
                          tuple(tuple(s) for s in exact_profile), population, scale)
              for exact_profile in found]
    if not complete:
        candidates = [tuple(np.eye(m)[k] for m, k in zip(game.shape, profile)) for profile in game.profiles()]
        candidates += [e.strategies for e in equilibria_of(game, solution).equilibria]
        for profile in candidates:
            if all(distance(p.strategies, profile) > 1e-9 for p in points):
                points.append(_rest_point(game, tuple(profile), None, population, scale))
    order = {"sink": 0, "centre": 1, "non-hyperbolic": 2, "saddle": 3, "unstable": 4, "source": 5}
    points.sort(key=lambda p: (order[p.stability], sum(len(s) for s in p.support),
                               tuple(-float(v) for s in p.strategies for v in s)))
    return RestPoints(game=game, population=population, points=tuple(points), complete=complete,
                      continua=tuple(continua))


def _limit(count: int) -> None:
    if count > MAX_SUPPORTS:
        raise InputError([Problem(f"rest points: {count} supports to enumerate (limit {MAX_SUPPORTS}); "
                                  "the game is too large", path="game")])


def _supports(m: int) -> list[tuple[int, ...]]:
    return [S for size in range(1, m + 1) for S in combinations(range(m), size)]


def _expand(values: Sequence[Fraction], support: Sequence[int], m: int) -> list[Fraction]:
    full = [Fraction(0)] * m
    for k, v in zip(support, values):
        full[k] = v
    return full


def _rest_point(game: Game, profile: Profile, exact: tuple[tuple[Fraction, ...], ...] | None,
                population: str, scale: float) -> RestPoint:
    J = replicator_jacobian(game, profile, population=population)
    blocks = (game.shape[0],) if population == "single" else game.shape
    values = tangent_eigenvalues(J, blocks)
    gain = regret(game, profile)
    return RestPoint(
        strategies=profile, exact=exact, eigenvalues=tuple(complex(v) for v in values),
        stability=classify([complex(v) for v in values], tol=ZERO * scale),
        equilibrium=gain <= 1e-9 * scale, regret=gain,
    )


def _indifferent(matrix: np.ndarray, size: int) -> tuple[str, list[Fraction] | None]:
    """Mixes ``x`` over ``size`` strategies with ``x @ matrix`` constant and ``sum x = 1``.

    ``matrix`` has one row per mixed strategy and one column per opponent strategy that must be
    indifferent. Returns ``("unique", x)``, ``("none", None)`` or ``("continuum", None)``.
    """
    cols = matrix.shape[1]
    # unknowns x_1..x_size and the common value v: x @ matrix[:, l] - v = 0, sum x = 1
    rows: list[list[Fraction]] = [[Fraction(matrix[k, l]) for k in range(size)] + [Fraction(-1), Fraction(0)]
                                  for l in range(cols)]
    rows.append([Fraction(1)] * size + [Fraction(0), Fraction(1)])
    solution = _solve_exact(rows, size + 1)
    if isinstance(solution, str):
        return solution, None
    return "unique", solution[:size]


def _solve_exact(rows: list[list[Fraction]], unknowns: int) -> list[Fraction] | str:
    """Gauss-Jordan on an augmented system: the unique solution, ``"none"`` or ``"continuum"``."""
    rows = [list(r) for r in rows]
    pivots: list[int] = []
    r = 0
    for c in range(unknowns):
        pivot = next((k for k in range(r, len(rows)) if rows[k][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        inv = 1 / rows[r][c]
        rows[r] = [v * inv for v in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][c] != 0:
                f = rows[k][c]
                rows[k] = [a - f * b for a, b in zip(rows[k], rows[r])]
        pivots.append(c)
        r += 1
        if r == len(rows):
            break
    if any(all(v == 0 for v in row[:-1]) and row[-1] != 0 for row in rows):
        return "none"
    if len(pivots) < unknowns:
        return "continuum"
    return [rows[k][-1] for k in range(unknowns)]
