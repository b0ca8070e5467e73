"""``negsim convert``: scenarios to Gambit ``.nfg`` files and back."""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

import numpy as np
import yaml

from negsim.compile.source import Source, load_source
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.io.atomic import refuse_existing, write_text_atomic
from negsim.io.gambit import write_nfg
from negsim.numbers import format_fraction
from negsim.scenario import parse_scenario
from negsim.solve.exact import as_fraction

__all__ = ["convert_source", "game_to_scenario_yaml"]


def _identifier(label: str, taken: set[str], fallback: str) -> str:
    """A scenario identifier for a free-text label: lowercase, ``_`` for anything else."""
    name = re.sub(r"[^a-z0-9_]+", "_", label.lower()).strip("_") or fallback
    if not re.match(r"[a-z_]", name):
        name = f"{fallback}_{name}"
    base, k = name, 2
    while name in taken or name in ("matrix", "table", "ranking"):
        name = f"{base}_{k}"
        k += 1
    taken.add(name)
    return name


def _cell(value: Fraction) -> float | int | str:
    if value.denominator == 1:
        return int(value)
    if float(value) == value:  # a finite binary fraction, exact as a float
        return float(value)
    return format_fraction(value)  # an expression such as "1/3", exact


def game_to_scenario_yaml(game: Game, *, source: str = "") -> str:
    """A scenario file (matrix payoff form) describing ``game`` exactly."""
    exact = game.exact_payoffs if game.exact_payoffs is not None else None
    taken: set[str] = set()
    player_ids = [_identifier(p, taken, "player") for p in game.players]
    players = {}
    for i, pid in enumerate(player_ids):
        used: set[str] = set()
        strategies = {}
        for k, label in enumerate(game.strategies[i]):
            sid = _identifier(label, used, "s")
            strategies[sid] = {"name": game.strategy_names[i][k]} if sid != game.strategy_names[i][k] else {}
        players[pid] = {"name": game.player_names[i], "strategies": strategies}
    matrix = {}
    for i, pid in enumerate(player_ids):
        values = exact[i] if exact is not None else game.payoffs[i]
        cells = np.vectorize(lambda v: _cell(as_fraction(v)), otypes=[object])(values)
        matrix[pid] = cells.tolist()
    scenario_id = _identifier(game.id or game.title or "game", set(), "game").replace("_", "-")
    document = {
        "negsim": 1,
        "id": scenario_id,
        "title": game.title or scenario_id,
    }
    if source:
        document["sources"] = [{"citation": f"converted from {source}"}]
    document["players"] = players
    document["payoffs"] = {"matrix": matrix}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def convert_source(source: str | Source, out: str | Path, *,
                   overrides: Mapping[str, float] | None = None, force: bool = False) -> Path:
    """Write ``source`` (a path, an id or a loaded source) at a point as a Gambit ``.nfg``
    file or a scenario file (``.yaml``/``.yml``); ``.efg`` files are written from the tree
    (:meth:`Source.tree_at` and :func:`negsim.io.efg.save_efg`)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".nfg", ".yaml", ".yml"):
        raise InputError([Problem("expected an output file ending in .nfg, .efg, .yaml or .yml",
                                  file=str(out))])
    refuse_existing(out, force=force)
    loaded = source if isinstance(source, Source) else load_source(source)
    game = loaded.at(overrides)
    if suffix == ".nfg":
        text = write_nfg(game)
    else:
        text = game_to_scenario_yaml(game, source=Path(loaded.origin).name)
        parse_scenario(text, file=str(out))  # what we write must read back
    return write_text_atomic(out, text)
