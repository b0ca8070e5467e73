"""Gambit extensive-form files (``.efg``): read and write game trees.

A ``.efg`` file opens with a prologue ``EFG 2 R "title" { "Player 1" "Player 2" }`` and an
optional comment string, then lists the nodes in preorder (a node before its children,
children in the order of their parent's actions), one entry per node::

    p "name" 1 1 "infoset name" { "Up" "Down" } 0       a player's decision
    c "name" 1 "infoset name" { "H" 1/2 "T" 1/2 } 0     a chance move
    t "name" 1 "outcome name" { 3, 1 }                  an outcome (terminal node)

A decision names its player (``1``, ``2``, ...) and information set (numbered per player):
entries with the same player and number are one information set; the action list may be left
out after the first of them (as may a chance set's probabilities). Every entry ends with an
outcome number (``0``: none) that, where it appears first, is followed by the outcome's name
and payoffs (one per player, commas optional). An outcome at an inner node adds its payoffs
to every outcome below it. Numbers are integers, decimals or fractions (``3/2``), exact.

Reading gives a :class:`~negsim.tree.model.GameTree` whose payoffs (the sum along each path)
and chance probabilities are kept exactly as well; labels become identifiers the way the
``.nfg`` reader makes them (empty ones by position, repeats numbered). Writing gives a file
Gambit reads back: one outcome per terminal node, labels checked for what Gambit accepts.

>>> text = '''EFG 2 R "Entry" { "Entrant" "Incumbent" }
... p "" 1 1 "" { "out" "in" } 0
... t "" 1 "stay out" { 0, 2 }
... p "" 2 1 "" { "fight" "accommodate" } 0
... t "" 2 "price war" { -1, -1 }
... t "" 3 "share" { 1, 1 }
... '''
>>> tree = parse_efg(text)
>>> tree.players, [node.kind for node in tree.shape.nodes]
(('Entrant', 'Incumbent'), ['decision', 'terminal', 'decision', 'terminal', 'terminal'])
>>> parse_efg(write_efg(tree)).payoffs.tolist() == tree.payoffs.tolist()
True
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from negsim.errors import InputError, Problem
from negsim.io.atomic import write_text_atomic
from negsim.io.gambit import gambit_label_problem, unique_labels
from negsim.io.gambit_lexer import DECIMAL, RATIONAL, Reader
from negsim.io.text_files import read_text_file
from negsim.numbers import format_fraction
from negsim.tree.model import MAX_NODES, GameTree, TreeBuilder

__all__ = ["MAX_FILE_BYTES", "parse_efg", "read_efg", "save_efg", "write_efg"]

#: Largest ``.efg`` file read: 16 MiB (a tree of :data:`~negsim.tree.model.MAX_NODES` nodes
#: takes well under 1 MiB).
MAX_FILE_BYTES = 16 * 1024 * 1024

def _number(reader: Reader, expected: str, path: str = "") -> Fraction:
    """An exact number: an integer, a decimal or a fraction ``p/q``."""
    token = reader.current
    if token.kind == "word":
        if DECIMAL.fullmatch(token.value):
            reader.advance()
            return Fraction(token.value)
        if RATIONAL.fullmatch(token.value) and int(token.value.partition("/")[2]) != 0:
            reader.advance()
            return Fraction(token.value)
    raise reader.unexpected(expected, path)


@dataclass
class _Entry:
    kind: str                       # "p", "c" or "t"
    name: str
    player: int                     # 0 for chance
    infoset: int
    infoset_name: str
    actions: list[str] | None
    probabilities: list[Fraction] | None
    outcome: int
    offset: int


def parse_efg(text: str, *, file: str = "<string>") -> GameTree:
    """The tree in the text of a Gambit ``.efg`` file (format version 2).

    Raises :class:`~negsim.errors.InputError` with a ``file:line:col`` problem when the text
    is not a valid file, or the tree it describes cannot be analysed (no perfect recall,
    information sets whose nodes offer different moves, probabilities that do not add up).
    """
    if len(text) > MAX_FILE_BYTES:
        raise InputError([Problem(f"the text is too large ({len(text):,} characters; negsim "
                                  f"reads .efg files of up to {MAX_FILE_BYTES:,} bytes)", file=file)])
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = Reader(text, file)
    first = reader.current
    if first.kind != "word" or first.value != "EFG":
        hint = " (this is a strategic-form .nfg file)" if first.value == "NFG" else ""
        raise reader.unexpected(f"'EFG' at the start of a Gambit extensive-form file{hint}")
    reader.advance()
    if reader.current.value != "2":
        raise reader.unexpected("version 2 after 'EFG'")
    reader.advance()
    if reader.current.value not in ("R", "D"):
        raise reader.unexpected("'R' or 'D' after 'EFG 2'")
    reader.advance()
    title = reader.expect("text", "the game's title in double quotes", "title").value
    reader.expect("lbrace", "'{' opening the list of players", "players")
    players = []
    while reader.current.kind == "text":
        players.append(reader.advance().value)
    start = reader.expect("rbrace", "a player's name in double quotes or '}'", "players")
    if not players:
        raise reader.error(start.offset, "the game needs at least one player", "players")
    comment = reader.advance().value if reader.current.kind == "text" else ""
    return _Tree(reader, players, title, comment, file).build()


class _Tree:
    """Reads the node entries and builds the tree, checking what Gambit would check."""

    def __init__(self, reader: Reader, players: list[str], title: str, comment: str,
                 file: str) -> None:
        self.reader = reader
        self.players = players
        self.title = title
        self.comment = comment
        self.file = file
        self.outcomes: dict[int, tuple[str, list[Fraction] | None]] = {}
        self.sets: dict[tuple[int, int], _Entry] = {}

    def entry(self) -> _Entry:
        reader = self.reader
        token = reader.current
        if token.kind != "word" or token.value not in ("p", "c", "t"):
            raise reader.unexpected("a node: 'p' (player), 'c' (chance) or 't' (terminal)",
                                    "nodes")
        reader.advance()
        kind = token.value
        name = reader.expect("text", "the node's name in double quotes", "nodes").value
        player, infoset, actions, probabilities, infoset_name = 0, 0, None, None, ""
        if kind in ("p", "c"):
            if kind == "p":
                player = reader.integer("the player's number", "nodes")
                if not 1 <= player <= len(self.players):
                    raise reader.error(token.offset, f"player {player} does not exist (the game "
                                       f"has {len(self.players)})", "nodes")
            infoset = reader.integer("the information set's number", "nodes")
            if reader.current.kind == "text":
                infoset_name = reader.advance().value
            if reader.current.kind == "lbrace":
                actions, probabilities = self._actions(kind == "c")
        outcome = reader.integer("an outcome number", "nodes")
        if reader.current.kind == "text":
            label = reader.advance().value
            payoffs = self._payoffs() if reader.current.kind == "lbrace" else None
            known = self.outcomes.get(outcome)
            if outcome and (known is None or known[1] is None):
                self.outcomes[outcome] = (label, payoffs)
        return _Entry(kind, name, player, infoset, infoset_name, actions, probabilities, outcome,
                      token.offset)

    def _actions(self, chance: bool) -> tuple[list[str], list[Fraction] | None]:
        reader = self.reader
        reader.advance()
        actions, probabilities = [], []
        while reader.current.kind == "text":
            actions.append(reader.advance().value)
            if chance:
                probabilities.append(_number(reader, "the move's probability", "nodes"))
        reader.expect("rbrace", "a move's name in double quotes or '}'", "nodes")
        return actions, (probabilities if chance else None)

    def _payoffs(self) -> list[Fraction]:
        reader = self.reader
        opening = reader.advance()
        values = []
        while reader.current.kind == "word":
            values.append(_number(reader, "a payoff (a number)", "outcomes"))
            if reader.current.kind == "comma":
                reader.advance()
        reader.expect("rbrace", "a payoff (a number) or '}'", "outcomes")
        if len(values) != len(self.players):
            raise reader.error(opening.offset, f"an outcome has {len(values)} payoffs, expected "
                               f"{len(self.players)} (one per player)", "outcomes")
        return values

    def build(self) -> GameTree:
        reader = self.reader
        n = len(self.players)
        builder = TreeBuilder(unique_labels(self.players))
        leaf_totals: list[list[Fraction]] = []
        leaf_names: list[str] = []
        chance_values: list[Fraction] = []
        # Each open node: (index, number of moves, children added, payoffs so far).
        stack: list[list] = []
        parent, action, above = -1, -1, [Fraction(0)] * n
        count = 0
        while True:
            if reader.current.kind == "end" and not stack and count:
                break
            entry = self.entry()
            count += 1
            if count > MAX_NODES:
                raise reader.error(entry.offset, f"more than {MAX_NODES:,} nodes (negsim's "
                                   "limit)", "nodes")
            total = self._add_outcome(above, entry)
            if entry.kind == "t":
                builder.terminal(parent, action, len(leaf_totals), name=entry.name)
                leaf_totals.append(total)
                leaf_names.append(self.outcomes.get(entry.outcome, ("", None))[0])
            else:
                actions = self._set_actions(entry)
                labels = list(unique_labels(actions))
                if entry.kind == "c":
                    k = builder.chance(parent, action, labels, name=entry.name)
                    chance_values.extend(self.sets[(0, entry.infoset)].probabilities)
                else:
                    first = self.sets[(entry.player, entry.infoset)]
                    k = builder.decision(parent, action, entry.player - 1, labels,
                                         info=entry.infoset, label=first.infoset_name,
                                         name=entry.name)
                stack.append([k, len(labels), 0, total])
            # Move on to the next child slot, closing finished nodes.
            while stack and stack[-1][2] == stack[-1][1]:
                stack.pop()
            if not stack:
                if reader.current.kind != "end":
                    raise reader.error(reader.current.offset, "text after the last node of the "
                                       "tree", "nodes")
                break
            top = stack[-1]
            parent, action, above = top[0], top[2], top[3]
            top[2] += 1
            if reader.current.kind == "end":
                raise reader.error(reader.current.offset, "the file ends before every move has "
                                   "a node", "nodes")
        try:
            shape = builder.shape()
        except ValueError as exc:
            raise InputError([Problem(str(exc), file=self.file)]) from None
        exact = np.empty((n, len(leaf_totals)), dtype=object)
        for k, totals in enumerate(leaf_totals):
            for i in range(n):
                exact[i, k] = totals[i]
        shape = type(shape)(shape.players, shape.nodes, shape.infosets, shape.n_outcomes,
                            shape.n_chance, shape.player_names, tuple(leaf_names))
        try:
            return GameTree(
                shape=shape,
                payoffs=exact.astype(float),
                probabilities=np.array([float(p) for p in chance_values]),
                id="" if self.file == "<string>" else Path(self.file).stem,
                title=self.title,
                exact_payoffs=exact,
                exact_probabilities=tuple(chance_values),
                description=self.comment.strip(),
            )
        except ValueError as exc:
            raise InputError([Problem(str(exc), file=self.file)]) from None

    def _add_outcome(self, above: list[Fraction], entry: _Entry) -> list[Fraction]:
        if entry.outcome == 0:
            return list(above)
        known = self.outcomes.get(entry.outcome)
        if known is None or known[1] is None:
            raise self.reader.error(entry.offset, f"outcome {entry.outcome} is used without "
                                    "payoffs (give them where it first appears)", "outcomes")
        return [a + b for a, b in zip(above, known[1])]

    def _set_actions(self, entry: _Entry) -> list[str]:
        key = (entry.player, entry.infoset)
        known = self.sets.get(key)
        if known is None:
            if entry.actions is None:
                raise self.reader.error(entry.offset, "the first node of an information set "
                                        "must list its moves", "nodes")
            if not entry.actions:
                raise self.reader.error(entry.offset, "a node needs at least one move", "nodes")
            # As in Gambit: numbers are exact, so .3333 and 2/3 do not make 1 (write 1/3).
            if entry.kind == "c" and sum(entry.probabilities) != 1:
                total = sum(entry.probabilities)
                raise self.reader.error(entry.offset, "the probabilities of a chance node must "
                                        f"add up to exactly 1; they add up to {total}",
                                        "nodes")
            if entry.kind == "c" and any(p < 0 for p in entry.probabilities):
                raise self.reader.error(entry.offset, "a chance probability is negative",
                                        "nodes")
            self.sets[key] = entry
            return entry.actions
        if entry.actions is not None and entry.actions != known.actions:
            raise self.reader.error(entry.offset, "this node's information set lists other moves "
                                    "where it first appears", "nodes")
        return known.actions


def read_efg(path: str | os.PathLike[str]) -> GameTree:
    """The tree in a Gambit ``.efg`` file; see :func:`parse_efg`."""
    name = os.fspath(path)
    text = read_text_file(name, limit=MAX_FILE_BYTES, kind="Gambit .efg files")
    return parse_efg(text, file=name)


# -- writing -------------------------------------------------------------------------------------


def write_efg(tree: GameTree) -> str:
    """The tree as a Gambit ``.efg`` file (``EFG 2 R``), every number exact.

    Payoffs are the tree's exact values when it has them (from a ``.efg`` file), otherwise
    each float as an integer or its shortest decimal. Chance probabilities are written so that
    those of each chance node add up to exactly 1. Players, moves and outcome names must be
    labels Gambit accepts (printable ASCII, single spaces), else an
    :class:`~negsim.errors.InputError` lists every one that is not.
    """
    shape = tree.shape
    problems = _unwritable(tree)
    if problems:
        raise InputError(problems)
    exact = tree.exact_payoffs
    use_exact = exact is not None and np.array_equal(exact.astype(float), tree.payoffs)
    set_number: dict[int, int] = {}
    counters: dict[int, int] = {}
    chance_number = 0
    outcome_labels = _outcome_labels(tree)
    written_outcomes: set[int] = set()
    lines = []
    players = " ".join(_quote(p) for p in shape.players)
    lines.append(f"EFG 2 R {_quote(_ascii(tree.title or tree.id or 'negsim game'))} {{ {players} }}")
    lines.append(_quote(_ascii(tree.description)) if tree.description else '""')
    lines.append("")
    for node in shape.nodes:
        name = _quote(_ascii(node.name))
        if node.kind == "terminal":
            o = node.outcome
            if o in written_outcomes:
                lines.append(f"t {name} {o + 1}")
                continue
            written_outcomes.add(o)
            values = [
                format_fraction(exact[i, o]) if use_exact else _float_text(tree.payoffs[i, o])
                for i in range(shape.n_players)
            ]
            lines.append(f"t {name} {o + 1} {_quote(outcome_labels[o])} {{ {', '.join(values)} }}")
        elif node.kind == "chance":
            chance_number += 1
            probabilities = _probability_texts(tree, node)
            moves = " ".join(f"{_quote(a)} {p}" for a, p in zip(node.actions, probabilities))
            lines.append(f'c {name} {chance_number} "" {{ {moves} }} 0')
        else:
            infoset = shape.infosets[node.infoset]
            first = node.infoset not in set_number
            if first:
                counters[infoset.player] = counters.get(infoset.player, 0) + 1
                set_number[node.infoset] = counters[infoset.player]
            moves = " ".join(_quote(a) for a in node.actions)
            label = _quote(_ascii(infoset.label))
            lines.append(f"p {name} {infoset.player + 1} {set_number[node.infoset]} {label} "
                         f"{{ {moves} }} 0")
    return "\n".join(lines) + "\n"


def save_efg(tree: GameTree, path: str | os.PathLike[str]) -> Path:
    """Write the tree to ``path`` as a ``.efg`` file, atomically (complete or absent)."""
    return write_text_atomic(path, write_efg(tree))


def _unwritable(tree: GameTree) -> list[Problem]:
    problems = []
    shape = tree.shape
    for k, player in enumerate(shape.players):
        reason = gambit_label_problem(player)
        if reason:
            problems.append(Problem(f"player {player!r} cannot be a Gambit label: {reason}",
                                    path=f"players[{k + 1}]"))
    seen = set()
    for node in shape.nodes:
        for action in node.actions:
            reason = gambit_label_problem(action)
            if reason and action not in seen:
                seen.add(action)
                problems.append(Problem(f"move {action!r} cannot be a Gambit label: {reason}",
                                        path="moves"))
    return problems


def _outcome_labels(tree: GameTree) -> list[str]:
    """Non-empty, distinct outcome labels (Gambit 16.6 and later expects them)."""
    labels = []
    used: set[str] = set()
    for k in range(tree.shape.n_outcomes):
        label = _ascii(tree.shape.outcome_names[k]) or f"Outcome {k + 1}"
        if label in used:
            label = f"{label} ({k + 1})"
        used.add(label)
        labels.append(label)
    return labels


def _probability_texts(tree: GameTree, node) -> list[str]:
    if tree.exact_probabilities is not None:
        values = [Fraction(tree.exact_probabilities[c]) for c in node.chance]
    else:
        values = [Fraction(repr(float(tree.probabilities[c]))) for c in node.chance]
        # Decimals of thirds and the like do not add up to exactly 1; the last takes the rest.
        values[-1] = 1 - sum(values[:-1])
    return [format_fraction(v) for v in values]




def _float_text(value: float) -> str:
    value = float(value) + 0.0
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text:  # Gambit reads no exponents with a sign; an exact fraction always works
        return format_fraction(Fraction(value))
    return text


def _quote(label: str) -> str:
    # Gambit undoes only the escape of a quote; labels with other backslashes are refused
    # (players, moves) or have them replaced (names, titles) before they get here.
    return '"' + label.replace('"', '\\"') + '"'


def _ascii(text: str) -> str:
    for fancy, plain in (("\u2013", "-"), ("\u2014", "-"), ("\u2018", "'"), ("\u2019", "'"),
                         ("\u201c", '"'), ("\u201d", '"'), ("\u2192", "->")):
        text = text.replace(fancy, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.replace("\\", "/").split())
