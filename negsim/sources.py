"""Where games come from: a scenario file, a built-in scenario id, or a Gambit ``.nfg`` or
``.efg`` file.

Every command that takes a SOURCE reads it through :func:`load_source`. A game tree (a
scenario with ``timing``, ``tree`` or ``types``, or a ``.efg`` file) also keeps its tree;
its game is then the tree's reduced strategic form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from negsim.errors import InputError, Problem
from negsim.game import Game, ParametricGame

__all__ = ["DEFAULT_SCENARIO", "Source", "load_source", "parse_assignments"]

#: What ``negsim run`` shows without an argument.
DEFAULT_SCENARIO = "s400-2025-limited-use"


@dataclass(frozen=True, eq=False)
class Source:
    """A loaded game source: the parametric game and, for scenario files, the scenario."""

    game: ParametricGame
    scenario: object | None  # negsim.scenario.Scenario, or None for a Gambit file
    origin: str
    tree: object | None = None  # negsim.tree.ParametricTree for a game tree

    def at(self, overrides: Mapping[str, float] | None = None) -> Game:
        """The game at the default parameters with ``overrides`` applied."""
        return self.game.game(overrides)


def load_source(source: str) -> Source:
    """A path to ``.yaml``/``.yml`` or ``.nfg``, or the id of a built-in scenario."""
    if source.lower().endswith(".nfg"):
        from negsim.io.gambit import read_nfg

        game = read_nfg(source)
        return Source(ParametricGame.constant(game), None, source)
    if source.lower().endswith(".efg"):
        from negsim.io.efg import read_efg
        from negsim.tree.model import ParametricTree
        from negsim.tree.strategic import strategic_form

        tree = ParametricTree.constant(read_efg(source), source=source)
        return Source(strategic_form(tree), None, source, tree)
    from negsim.scenario import compile_scenario, resolve_scenario

    scenario = resolve_scenario(source)
    if scenario.is_tree:
        from negsim.tree.scenario import scenario_tree
        from negsim.tree.strategic import strategic_form

        tree = scenario_tree(scenario)
        return Source(strategic_form(tree), scenario, source, tree)
    return Source(compile_scenario(scenario), scenario, source)


def parse_assignments(items: Sequence[str], *, option: str = "--set") -> dict[str, float]:
    """``["sanction_cost=6", "security=2.5"]`` -> ``{"sanction_cost": 6.0, "security": 2.5}``."""
    values: dict[str, float] = {}
    problems = []
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(Problem(f"expected name=value, got {item!r}", path=option))
            continue
        try:
            value = float(text)
        except ValueError:
            problems.append(Problem(f"{name}: expected a number, got {text.strip()!r}", path=option))
            continue
        if value != value or value in (float("inf"), float("-inf")):
            problems.append(Problem(f"{name}: expected a finite number, got {text.strip()!r}", path=option))
            continue
        values[name] = value
    if problems:
        raise InputError(problems)
    return values

