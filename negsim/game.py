"""Normal-form games: named players, named strategies, payoff arrays.

Axis convention
---------------
A game with players ``0 .. n-1``, where player ``i`` has ``m_i`` strategies, stores its payoffs
in one array of shape ``(n, m_0, m_1, ..., m_{n-1})``::

    payoffs[i, s_0, s_1, ..., s_{n-1}]  = payoff to player i when each player j plays s_j

A batch of games that differ only in their numbers (one game per parameter point of a sweep)
adds a leading "points" axis: shape ``(points, n, m_0, ..., m_{n-1})``.

>>> g = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                        players=("row", "col"), strategies=(("C", "D"), ("C", "D")))
>>> g.shape
(2, 2)
>>> float(g.payoffs[1, 0, 1])   # column player's payoff when row plays C and column plays D
5.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from itertools import product

import numpy as np

from negsim.errors import InputError, Problem, did_you_mean

__all__ = ["Game", "ParametricGame", "profile_label"]


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=float, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Game:
    """A normal-form game at one parameter point.

    ``players`` and ``strategies`` are identifiers (used in files, JSON and ``--set``);
    ``player_names`` and ``strategy_names`` are what people read in reports and figures.
    ``infeasible`` marks profiles that cannot happen: they are never equilibria or
    Pareto-efficient outcomes and are shown as such; see :attr:`solver_payoffs`.
    ``exact_payoffs`` optionally holds the payoffs as :class:`fractions.Fraction` (an object
    array shaped like ``payoffs``) when the source knows them exactly, e.g. a Gambit file.
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    id: str = ""
    title: str = ""
    player_names: tuple[str, ...] = ()
    strategy_names: tuple[tuple[str, ...], ...] = ()
    infeasible: np.ndarray | None = None
    status_quo: tuple[int, ...] | None = None
    parameters: Mapping[str, float] = field(default_factory=dict)
    exact_payoffs: np.ndarray | None = None

    def __post_init__(self) -> None:
        players = tuple(self.players)
        strategies = tuple(tuple(s) for s in self.strategies)
        payoffs = _readonly(self.payoffs)
        n = len(players)
        if n < 1:
            raise ValueError("a game needs at least one player")
        if len(strategies) != n:
            raise ValueError(f"{n} players but {len(strategies)} strategy lists")
        shape = tuple(len(s) for s in strategies)
        if payoffs.shape != (n, *shape):
            raise ValueError(f"payoffs have shape {payoffs.shape}, expected {(n, *shape)}")
        if any(m < 1 for m in shape):
            raise ValueError("every player needs at least one strategy")
        if len(set(players)) != n:
            raise ValueError("player identifiers must be unique")
        for i, s in enumerate(strategies):
            if len(set(s)) != len(s):
                raise ValueError(f"strategy identifiers of {players[i]!r} must be unique")
        if not np.all(np.isfinite(payoffs)):
            raise ValueError("payoffs must be finite numbers")
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "strategies", strategies)
        object.__setattr__(self, "payoffs", payoffs)
        object.__setattr__(self, "player_names", tuple(self.player_names) or players)
        object.__setattr__(
            self, "strategy_names", tuple(tuple(s) for s in self.strategy_names) or strategies
        )
        if self.infeasible is not None:
            mask = np.array(self.infeasible, dtype=bool, copy=True)
            if mask.shape != shape:
                raise ValueError(f"infeasible mask has shape {mask.shape}, expected {shape}")
            if mask.all():
                raise ValueError("every profile is infeasible")
            mask.setflags(write=False)
            object.__setattr__(self, "infeasible", mask if mask.any() else None)
        if self.status_quo is not None:
            sq = tuple(int(k) for k in self.status_quo)
            if len(sq) != n or any(not 0 <= k < m for k, m in zip(sq, shape)):
                raise ValueError(f"status quo {sq} is not a profile of this game")
            object.__setattr__(self, "status_quo", sq)
        object.__setattr__(self, "parameters", dict(self.parameters))
        if self.exact_payoffs is not None:
            exact = np.asarray(self.exact_payoffs, dtype=object)
            if exact.shape != payoffs.shape:
                raise ValueError(f"exact payoffs have shape {exact.shape}, expected {payoffs.shape}")
            object.__setattr__(self, "exact_payoffs", exact)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_matrices(
        cls,
        *matrices: object,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        **kwargs: object,
    ) -> Game:
        """One payoff array per player, each of shape ``(m_0, ..., m_{n-1})``.

        For two players, ``Game.from_matrices(A, B)`` takes the row player's matrix ``A`` and the
        column player's matrix ``B``; a single matrix ``A`` makes the zero-sum game ``(A, -A)``.
        """
        arrays = [np.asarray(m, dtype=float) for m in matrices]
        if len(arrays) == 1 and arrays[0].ndim == 2:
            arrays.append(-arrays[0])
        payoffs = np.stack(arrays)
        n = payoffs.shape[0]
        if payoffs.ndim != n + 1:
            raise ValueError(f"{n} payoff arrays need {n} axes each, got {payoffs.ndim - 1}")
        if players is None:
            players = tuple(f"player{i + 1}" for i in range(n))
        if strategies is None:
            strategies = tuple(
                tuple(str(k + 1) for k in range(m)) for m in payoffs.shape[1:]
            )
        return cls(tuple(players), tuple(tuple(s) for s in strategies), payoffs, **kwargs)

    @classmethod
    def from_dict(
        cls,
        payoffs: Mapping[str, object],
        strategies: Sequence[Sequence[str]] | None = None,
        **kwargs: object,
    ) -> Game:
        """``Game.from_dict({"Alice": A, "Bob": B})``: players named by the dict's keys."""
        return cls.from_matrices(
            *payoffs.values(), players=tuple(payoffs), strategies=strategies, **kwargs
        )

    def replace(self, **changes: object) -> Game:
        values = {
            name: getattr(self, name)
            for name in (
                "players", "strategies", "payoffs", "id", "title", "player_names",
                "strategy_names", "infeasible", "status_quo", "parameters", "exact_payoffs",
            )
        }
        values.update(changes)
        return Game(**values)

    # -- shape and lookup ---------------------------------------------------------------------

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return tuple(len(s) for s in self.strategies)

    @property
    def n_profiles(self) -> int:
        return int(np.prod(self.shape))

    def profiles(self) -> list[tuple[int, ...]]:
        """All pure profiles in row-major order."""
        return list(product(*(range(m) for m in self.shape)))

    def player_index(self, player: str) -> int:
        try:
            return self.players.index(player)
        except ValueError:
            raise KeyError(f"no player {player!r}; players are {', '.join(self.players)}") from None

    def strategy_index(self, player: int | str, strategy: str) -> int:
        i = player if isinstance(player, int) else self.player_index(player)
        try:
            return self.strategies[i].index(strategy)
        except ValueError:
            raise KeyError(
                f"no strategy {strategy!r} for {self.players[i]!r}; "
                f"strategies are {', '.join(self.strategies[i])}"
            ) from None

    def is_feasible(self, profile: Sequence[int]) -> bool:
        return self.infeasible is None or not bool(self.infeasible[tuple(profile)])

    def profile_label(self, profile: Sequence[int]) -> str:
        return profile_label(self.strategies, profile)

    @cached_property
    def solver_payoffs(self) -> np.ndarray:
        """Payoffs as the solvers see them: an infeasible profile is every player's worst outcome.

        Each infeasible cell gets, for every player, a value one payoff-range below that
        player's worst feasible payoff, so no player ever prefers to move into an infeasible
        profile while a feasible alternative exists.
        """
        if self.infeasible is None:
            return self.payoffs
        payoffs = np.array(self.payoffs, copy=True)
        feasible = ~self.infeasible
        for i in range(self.n_players):
            values = payoffs[i][feasible]
            low, high = float(values.min()), float(values.max())
            payoffs[i][self.infeasible] = low - max(high - low, 1.0)
        payoffs.setflags(write=False)
        return payoffs

    @property
    def payoff_scale(self) -> float:
        """The size of the payoffs (at least 1), so that tolerances mean the same for payoffs in
        1s or in 1000s."""
        return max(1.0, float(np.max(np.abs(self.solver_payoffs))))

    def best_responses(self, tol: float = 1e-9) -> np.ndarray:
        """Booleans ``(n, m_0, ..., m_{n-1})``: ``[i, profile]`` is true when player ``i``'s
        strategy in ``profile`` is a best response to the others' strategies (ties within
        ``tol`` times :attr:`payoff_scale` included; infeasible profiles count as worst).

        >>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> pd.best_responses()[0].astype(int).tolist()   # the row player: always defect
        [[0, 0], [1, 1]]
        """
        payoffs = self.solver_payoffs
        limit = tol * self.payoff_scale
        return np.stack([payoffs[i] >= payoffs[i].max(axis=i, keepdims=True) - limit
                         for i in range(self.n_players)])

    # -- in a notebook ------------------------------------------------------------------------

    def __repr__(self) -> str:
        shape = " x ".join(str(m) for m in self.shape)
        name = f" {self.id!r}" if self.id else ""
        players = ", ".join(f"{p} ({len(s)})" for p, s in zip(self.players, self.strategies))
        return f"<Game{name}: {shape}, players {players}>"

    def _repr_html_(self) -> str:
        """The payoff matrix with best responses marked (two players), or one row per profile."""
        return game_html(self)

    # -- expected payoffs ---------------------------------------------------------------------

    def expected_payoffs(self, mixed: Sequence[np.ndarray]) -> np.ndarray:
        """Each player's expected payoff when every player ``j`` mixes with ``mixed[j]``."""
        result = self.solver_payoffs
        for sigma in reversed(mixed):
            result = result @ np.asarray(sigma, dtype=float)
        return np.asarray(result, dtype=float)

    def deviation_payoffs(self, mixed: Sequence[np.ndarray], player: int) -> np.ndarray:
        """Player's expected payoff of each of its pure strategies against the others' mixes."""
        table = self.solver_payoffs[player]
        for j in reversed(range(self.n_players)):
            if j != player:
                table = np.tensordot(table, np.asarray(mixed[j], dtype=float), axes=([j], [0]))
        return np.asarray(table, dtype=float)


#: Most profiles listed in a game's HTML view beyond two players.
HTML_MAX_PROFILES = 64


def _cell_html(game: Game, profile: tuple[int, ...], best: np.ndarray) -> str:
    """Every player's payoff at ``profile``, best responses in bold and underlined."""
    if not game.is_feasible(profile):
        return "<i>infeasible</i>"
    parts = []
    for i in range(game.n_players):
        value = escape(f"{float(game.payoffs[(i, *profile)]) + 0.0:.4g}")
        parts.append(f"<b><u>{value}</u></b>" if best[(i, *profile)] else value)
    return ", ".join(parts)


def game_html(game: Game) -> str:
    """The HTML a notebook shows for a game: for two players the payoff matrix (row player's
    payoff first; a best response in bold and underlined, a pure equilibrium's cell shaded),
    otherwise one row per profile (the first :data:`HTML_MAX_PROFILES`)."""
    best = game.best_responses()
    names = [escape(n) for n in game.player_names]
    strategy_names = [[escape(s) for s in row] for row in game.strategy_names]
    title = escape(game.title or game.id or "Game")
    if game.parameters:
        values = ", ".join(f"{k} = {v:g}" for k, v in game.parameters.items())
        title += f" <small>({escape(values)})</small>"
    caption = (f"<caption>{title}<br><small>payoffs ({', '.join(names)}); "
               "<b><u>bold</u></b>: a best response</small></caption>")
    if game.n_players == 2:
        head = "".join(f"<th>{s}</th>" for s in strategy_names[1])
        rows = []
        for r, row_name in enumerate(strategy_names[0]):
            cells = []
            for c in range(game.shape[1]):
                shade = ' style="background:#e8eef7"' if best[0, r, c] and best[1, r, c] \
                    and game.is_feasible((r, c)) else ""
                cells.append(f"<td{shade}>{_cell_html(game, (r, c), best)}</td>")
            rows.append(f"<tr><th>{row_name}</th>{''.join(cells)}</tr>")
        return (f'<table class="negsim-game">{caption}<thead><tr><th>{names[0]} \\ {names[1]}</th>'
                f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    head = "".join(f"<th>{n}</th>" for n in names) + "<th>payoffs</th>"
    rows = []
    for profile in game.profiles()[:HTML_MAX_PROFILES]:
        strategies = "".join(f"<td>{strategy_names[i][k]}</td>" for i, k in enumerate(profile))
        rows.append(f"<tr>{strategies}<td>{_cell_html(game, profile, best)}</td></tr>")
    more = game.n_profiles - HTML_MAX_PROFILES
    if more > 0:
        rows.append(f'<tr><td colspan="{game.n_players + 1}">... and {more} more profiles</td></tr>')
    return (f'<table class="negsim-game">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def profile_label(strategies: Sequence[Sequence[str]], profile: Sequence[int]) -> str:
    """``"limited / waive"``: a pure profile named by its strategies."""
    return " / ".join(strategies[i][k] for i, k in enumerate(profile))


PayoffFunction = Callable[[Mapping[str, np.ndarray]], np.ndarray]


@dataclass(frozen=True, eq=False)
class ParametricGame:
    """A game whose payoffs depend on named parameters: what a scenario compiles to.

    ``payoff_function(values)`` takes a mapping from every parameter name to a 1-D array of
    ``points`` values and returns payoffs of shape ``(points, n, m_0, ..., m_{n-1})``, so a whole
    sweep is evaluated in one call. ``defaults`` holds each parameter's default value and
    ``bounds`` its (min, max) range where the scenario gives one. ``exact_payoffs`` is only set
    for a constant game (:meth:`constant`), whose exact values it keeps.
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoff_function: PayoffFunction
    defaults: Mapping[str, float]
    bounds: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)
    id: str = ""
    title: str = ""
    player_names: tuple[str, ...] = ()
    strategy_names: tuple[tuple[str, ...], ...] = ()
    infeasible: np.ndarray | None = None
    status_quo: tuple[int, ...] | None = None
    source: str = ""
    exact_payoffs: np.ndarray | None = None

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(self.defaults)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(s) for s in self.strategies)

    def values(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Default parameter values with ``overrides`` applied; unknown names are an error."""
        values = dict(self.defaults)
        problems = []
        for name, value in (overrides or {}).items():
            if name not in values:
                problems.append(
                    Problem(path=f"parameters.{name}", message=_unknown(name, values, "parameter"))
                )
            else:
                values[name] = float(value)
        if problems:
            raise InputError(problems)
        return values

    def outside_range(self, overrides: Mapping[str, float]) -> list[Problem]:
        """A problem for each value of ``overrides`` outside its parameter's min..max (values
        outside are allowed, but the scenario's author did not mean them)."""
        problems = []
        for name, value in overrides.items():
            low, high = self.bounds.get(name, (None, None))
            if (low is not None and value < low) or (high is not None and value > high):
                span = f"{_g(low)}..{_g(high)}"
                problems.append(Problem(path=f"parameters.{name}", message=(
                    f"{_g(value)} is outside {name}'s range {span}")))
        return problems

    def evaluate(self, points: Mapping[str, object]) -> np.ndarray:
        """Payoffs at many points: shape ``(points, n, m_0, ..., m_{n-1})``.

        ``points`` maps parameter names to equal-length 1-D arrays; parameters it leaves out
        keep their defaults.
        """
        columns = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in points.items()}
        unknown = set(columns) - set(self.defaults)
        if unknown:
            name = sorted(unknown)[0]
            raise InputError([Problem(path=name, message=_unknown(name, self.defaults, "parameter"))])
        sizes = {len(v) for v in columns.values()}
        if len(sizes) > 1:
            raise ValueError(f"parameter arrays have different lengths: {sorted(sizes)}")
        size = sizes.pop() if sizes else 1
        full = {
            name: columns.get(name, np.full(size, default, dtype=float))
            for name, default in self.defaults.items()
        }
        payoffs = np.asarray(self.payoff_function(full), dtype=float)
        expected = (size, len(self.players), *self.shape)
        if payoffs.shape != expected:
            raise ValueError(f"payoff function returned shape {payoffs.shape}, expected {expected}")
        return payoffs

    def game(self, overrides: Mapping[str, float] | None = None) -> Game:
        """The game at the default parameter values, with ``overrides`` applied."""
        values = self.values(overrides)
        payoffs = self.evaluate({k: [v] for k, v in values.items()})[0]
        return self.game_from_payoffs(payoffs, values)

    def game_from_payoffs(self, payoffs: np.ndarray, values: Mapping[str, float]) -> Game:
        """Wrap one point's payoff array (from :meth:`evaluate`) as a labelled :class:`Game`."""
        return Game(
            players=self.players,
            strategies=self.strategies,
            payoffs=payoffs,
            id=self.id,
            title=self.title,
            player_names=self.player_names,
            strategy_names=self.strategy_names,
            infeasible=self.infeasible,
            status_quo=self.status_quo,
            parameters=dict(values),
            exact_payoffs=self._exact_for(payoffs),
        )

    def _exact_for(self, payoffs: np.ndarray) -> np.ndarray | None:
        # A constant game (e.g. from a Gambit file) keeps its exact payoffs.
        if self.exact_payoffs is None or not np.array_equal(
            np.asarray(payoffs, dtype=float), self.exact_payoffs.astype(float)
        ):
            return None
        return self.exact_payoffs

    @classmethod
    def constant(cls, game: Game) -> ParametricGame:
        """A game without parameters (e.g. from a Gambit file) seen as a parametric one."""
        payoffs = game.payoffs

        def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
            size = len(next(iter(values.values()))) if values else 1
            return np.broadcast_to(payoffs, (size, *payoffs.shape)).copy()

        return cls(
            players=game.players,
            strategies=game.strategies,
            payoff_function=payoff_function,
            defaults={},
            id=game.id,
            title=game.title,
            player_names=game.player_names,
            strategy_names=game.strategy_names,
            infeasible=game.infeasible,
            status_quo=game.status_quo,
            exact_payoffs=game.exact_payoffs,
        )


def _g(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _unknown(name: str, known: Mapping[str, object] | Sequence[str], what: str) -> str:

    return f"unknown {what} {name!r}{did_you_mean(name, list(known))}"
