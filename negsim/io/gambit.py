"""Gambit strategic-form files (``.nfg``): read both variants, write the payoff variant.

A Gambit ``.nfg`` file opens with a prologue::

    NFG 1 R "Prisoner's dilemma" { "Row" "Column" }
    { { "C" "D" } { "C" "D" } }          (or the strategy counts only: { 2 2 })
    "an optional comment"

followed by one of two bodies. The *payoff* body is a flat list of numbers: the payoffs of
every player at the first profile, then at the next one, and so on, with the **first player's
strategy changing fastest**. The *outcome* body lists outcomes ``{ "name" 3, 3 }`` (payoffs
optionally separated by commas) and then, for every profile in the same order, the 1-based
number of its outcome; outcome ``0`` gives every player 0.

Numbers may be integers, decimals (``-1.5``, ``.25``, ``1.5e-1``) or fractions (``3/2``);
Gambit treats them all as exact, and so does negsim: :attr:`Game.exact_payoffs` holds them
as :class:`~fractions.Fraction` while :attr:`Game.payoffs` holds the nearest floats. negsim
also reads a leading ``+`` and exponents such as ``e+3``, which Gambit refuses; it never
writes them.

Labels are double-quoted; inside one, ``\\"`` is a quote and ``\\\\`` a backslash (as C++'s
``std::quoted`` writes them). The format has no comment syntax other than the optional
comment string, which negsim reads and drops.

Identifiers. Players and strategies take the file's labels. An empty label is replaced by the
1-based position (``"1"``, ``"2"``, ...); the payoff variant's strategy counts name strategies
the same way. Labels that are then still repeated within one list are made unique the way
Gambit itself does it: every copy of a repeated label ``x`` becomes ``x_1``, ``x_2``, ...,
skipping names already in use, so files with distinct labels get the same names as in Gambit.

Writing. :func:`write_nfg` writes players and strategies by identifier, so writing and reading
back is the identity; identifiers Gambit cannot read (see :func:`gambit_label_problem`) and
infeasible profiles are refused. :func:`save_nfg` writes atomically.

Limits. Files above :data:`MAX_FILE_BYTES` and games with more than :data:`MAX_PROFILES`
profiles or :data:`MAX_PAYOFFS` payoff entries are refused before anything is allocated;
numbers longer than :data:`MAX_NUMBER_CHARS` characters or with exponents beyond
:data:`MAX_EXPONENT` are refused before they are computed.

>>> game = parse_nfg('NFG 1 R "PD" { "Row" "Col" } { 2 2 }  3 3  5 0  0 5  1 1')
>>> game.strategies
(('1', '2'), ('1', '2'))
>>> float(game.payoffs[0, 1, 0])   # Row plays 2, Col plays 1: Row's payoff
5.0
>>> print(write_nfg(game), end="")
NFG 1 R "PD" { "Row" "Col" }
{ { "1" "2" } { "1" "2" } }
<BLANKLINE>
3 3
5 0
0 5
1 1
"""

from __future__ import annotations

import math
import os
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np

from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.io.gambit_lexer import (
    DECIMAL,
    INTEGER,
    RATIONAL,
    SIGNED_INTEGER,
    Reader,
    Token,
    shorten,
)
from negsim.io.text_files import read_text_file

__all__ = [
    "MAX_EXPONENT",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_CHARS",
    "MAX_PAYOFFS",
    "MAX_PROFILES",
    "gambit_label_problem",
    "parse_nfg",
    "read_nfg",
    "save_nfg",
    "unique_labels",
    "write_nfg",
]

#: Largest file :func:`read_nfg` reads (and longest text :func:`parse_nfg` parses): 64 MiB.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Most pure-strategy profiles a game may have (the product of the strategy counts).
MAX_PROFILES = 1_000_000
#: Most payoff entries (profiles times players) a game may have.
MAX_PAYOFFS = 2_000_000
#: Longest number, in characters: beyond every float, short of costly big integers.
MAX_NUMBER_CHARS = 1000
#: Largest decimal exponent (``1e400``) read: beyond every float; bigger ones only cost time.
MAX_EXPONENT = 400
#: Most problems of one kind (bad numbers, bad outcome indices) listed before stopping.
MAX_PROBLEMS = 20

# -- numbers ---------------------------------------------------------------------------------


def _value(word: str) -> tuple[Fraction, float] | str:
    """A payoff's exact value and nearest float, or what is wrong with the word."""
    if len(word) > MAX_NUMBER_CHARS:
        return f"number '{shorten(word)}' is too long: {len(word):,} characters, at most {MAX_NUMBER_CHARS:,}"
    if SIGNED_INTEGER.fullmatch(word):
        exact = Fraction(int(word))
    elif DECIMAL.fullmatch(word):
        exponent = word.lower().partition("e")[2]
        if exponent and abs(int(exponent)) > MAX_EXPONENT:
            return f"number '{word}' is out of range: exponents go up to {MAX_EXPONENT}"
        exact = Fraction(Decimal(word))
    elif RATIONAL.fullmatch(word):
        numerator, _, denominator = word.partition("/")
        if int(denominator) == 0:
            return f"bad number '{word}': the denominator is zero"
        exact = Fraction(int(numerator), int(denominator))
        try:
            return exact, float(exact)
        except OverflowError:
            return f"number '{word}' is too large for a floating-point payoff"
    else:
        return (
            f"bad number '{shorten(word)}': expected an integer, a decimal such as -1.5 or "
            "2.5e-3, or a fraction such as 3/2"
        )
    # Python rounds a decimal string to the nearest float, as float(exact) would, but faster.
    approx = float(word)
    if not math.isfinite(approx):
        return f"number '{shorten(word)}' is too large for a floating-point payoff"
    return exact, approx


def _outcome_number(word: str, outcomes: int) -> int | None:
    """The outcome index a word names, or None when it names none of the outcomes."""
    if INTEGER.fullmatch(word) and len(word) <= 9 and int(word) <= outcomes:
        return int(word)
    return None


def _plain_words(reader: Reader, expected: int) -> list[str] | None:
    """The rest of the text split at whitespace, when that is all it holds: ``expected`` words
    and no braces, commas or quotes. This fast path covers every well-formed body; anything
    else goes token by token, which locates each problem."""
    rest = reader.text[reader.current.offset :]
    if any(c in rest for c in '{},"'):
        return None
    words = rest.split()
    return words if len(words) == expected else None


class _Numbers:
    """Parses payoff words to exact values and floats, sharing repeated values."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.seen: dict[str, tuple[Fraction, float]] = {}
        self.problems: list[Problem] = []

    def read(self, token: Token, path: str) -> tuple[Fraction, float]:
        known = self.seen.get(token.value)
        if known is not None:
            return known
        value = _value(token.value)
        if isinstance(value, str):
            self.note(self.reader.problem(token.offset, value, path))
            return Fraction(0), 0.0
        self.seen[token.value] = value
        return value

    def note(self, problem: Problem) -> None:
        self.problems.append(problem)
        if len(self.problems) >= MAX_PROBLEMS:
            self.stop()

    def stop(self) -> None:
        if self.problems:
            raise InputError(self.problems)


# -- the prologue ----------------------------------------------------------------------------


@dataclass
class _Prologue:
    title: str
    players: list[str]
    strategies: list[list[str]]
    comment: str


def _prologue(reader: Reader) -> _Prologue:
    first = reader.current
    if first.kind != "word" or first.value != "NFG":
        hint = ""
        if first.kind == "word" and first.value == "EFG":
            hint = " (this is an extensive-form .efg file; negsim reads strategic-form .nfg files)"
        raise reader.unexpected(f"'NFG' at the start of a Gambit strategic-form file{hint}")
    reader.advance()
    version = reader.current
    if version.kind != "word" or version.value != "1":
        raise reader.unexpected("version 1 after 'NFG'")
    reader.advance()
    kind = reader.current
    if kind.kind != "word" or kind.value not in ("R", "D"):
        raise reader.unexpected("'R' or 'D' after 'NFG 1'")
    reader.advance()
    title = reader.expect("text", "the game's title in double quotes", "title").value

    start = reader.expect("lbrace", "'{' opening the list of players", "players")
    players = []
    while reader.current.kind == "text":
        players.append(reader.advance().value)
    reader.expect("rbrace", "a player's name in double quotes or '}'", "players")
    if not players:
        raise reader.error(start.offset, "the game needs at least one player", "players")

    reader.expect("lbrace", "'{' opening the strategies", "strategies")
    if reader.current.kind == "lbrace":
        strategies = _strategy_labels(reader, players)
    else:
        strategies = _strategy_counts(reader, players)
    comment = reader.advance().value if reader.current.kind == "text" else ""
    return _Prologue(title, players, strategies, comment)


def _strategy_labels(reader: Reader, players: list[str]) -> list[list[str]]:
    lists: list[list[str]] = []
    while reader.current.kind == "lbrace":
        start = reader.advance()
        labels = []
        while reader.current.kind == "text":
            labels.append(reader.advance().value)
        path = f"strategies.{_name(players, len(lists))}"
        reader.expect("rbrace", "a strategy label in double quotes or '}'", path)
        if not labels:
            raise reader.error(start.offset, "a player needs at least one strategy", path)
        lists.append(labels)
        _check_size(reader, start.offset, [len(s) for s in lists], len(players))
    if reader.current.kind != "rbrace" or len(lists) != len(players):
        raise reader.error(
            reader.current.offset,
            f"expected {len(players)} strategy lists (one per player), found {len(lists)}{_and_then(reader)}",
            "strategies",
        )
    reader.advance()
    return lists


def _strategy_counts(reader: Reader, players: list[str]) -> list[list[str]]:
    counts: list[int] = []
    while reader.current.kind == "word":
        token = reader.advance()
        path = f"strategies.{_name(players, len(counts))}"
        if not INTEGER.fullmatch(token.value) or int(token.value) < 1:
            raise reader.error(
                token.offset,
                f"expected a positive whole number of strategies, found '{token.value}'",
                path,
            )
        # Checked before any label list is built, so huge counts cost nothing.
        counts.append(int(token.value) if len(token.value) <= 9 else MAX_PROFILES + 1)
        _check_size(reader, token.offset, counts, len(players))
    if reader.current.kind != "rbrace" or len(counts) != len(players):
        raise reader.error(
            reader.current.offset,
            f"expected {len(players)} strategy counts (one per player), found {len(counts)}"
            f"{_and_then(reader)}",
            "strategies",
        )
    reader.advance()
    return [[""] * m for m in counts]


def _and_then(reader: Reader) -> str:
    """What follows a list that did not end where expected."""
    return "" if reader.current.kind == "rbrace" else f" and then {reader.current.describe()}"


def _check_size(reader: Reader, offset: int, counts: Sequence[int], n_players: int) -> None:
    profiles = math.prod(counts)
    if profiles > MAX_PROFILES:
        raise reader.error(
            offset,
            f"the game has more than {MAX_PROFILES:,} strategy profiles (negsim's limit)",
            "strategies",
        )
    if profiles * n_players > MAX_PAYOFFS:
        raise reader.error(
            offset,
            f"the game has more than {MAX_PAYOFFS:,} payoff entries (negsim's limit)",
            "strategies",
        )


def _name(players: Sequence[str], index: int) -> str:
    """A player as named in key paths: its label, or its position when unlabeled."""
    if index < len(players) and players[index]:
        return players[index]
    return str(index + 1)


# -- identifiers -----------------------------------------------------------------------------


def unique_labels(labels: Sequence[str]) -> tuple[str, ...]:
    """Identifiers from labels: empty ones by position, repeats numbered like Gambit does.

    >>> unique_labels(["", "x", "x", "x_1"])
    ('1', 'x_2', 'x_3', 'x_1')
    """
    filled = [label if label else str(k + 1) for k, label in enumerate(labels)]
    counts: dict[str, int] = {}
    for label in filled:
        counts[label] = counts.get(label, 0) + 1
    used = set(filled)
    visited: dict[str, int] = {}
    result = []
    for label in filled:
        if counts[label] == 1:
            result.append(label)
            continue
        while True:
            visited[label] = visited.get(label, 0) + 1
            candidate = f"{label}_{visited[label]}"
            if candidate not in used:
                break
        used.add(candidate)
        result.append(candidate)
    return tuple(result)


# -- the bodies ------------------------------------------------------------------------------


def _payoff_body(reader: Reader, n_players: int, n_profiles: int) -> tuple[list[Fraction], list[float]]:
    expected = n_players * n_profiles
    words = _plain_words(reader, expected)
    if words is not None:
        read = {word: _value(word) for word in set(words)}
        values = {w: v for w, v in read.items() if not isinstance(v, str)}
        if len(values) == len(read):
            return [values[w][0] for w in words], [values[w][1] for w in words]
    numbers = _Numbers(reader)
    exact: list[Fraction] = []
    approx: list[float] = []
    while len(exact) < expected:
        token = reader.current
        if token.kind != "word":
            if token.kind == "end":
                numbers.stop()
                raise reader.error(
                    token.offset,
                    f"wrong number of payoffs: expected {expected} ({n_profiles} profiles x "
                    f"{n_players} players), found {len(exact)}",
                    "payoffs",
                )
            numbers.stop()
            raise reader.unexpected("a payoff (a number)", "payoffs")
        reader.advance()
        value, as_float = numbers.read(token, "payoffs")
        exact.append(value)
        approx.append(as_float)
    numbers.stop()
    if reader.current.kind != "end":
        raise reader.error(
            reader.current.offset,
            f"wrong number of payoffs: expected {expected} ({n_profiles} profiles x "
            f"{n_players} players), found more, starting with {reader.current.describe()}",
            "payoffs",
        )
    return exact, approx


def _outcome_body(reader: Reader, n_players: int, n_profiles: int) -> tuple[list[Fraction], list[float]]:
    numbers = _Numbers(reader)
    reader.expect("lbrace", "'{' opening the list of outcomes", "outcomes")
    outcomes: list[tuple[list[Fraction], list[float]]] = []
    while reader.current.kind == "lbrace":
        start = reader.advance()
        path = f"outcomes[{len(outcomes) + 1}]"
        reader.expect("text", "the outcome's name in double quotes", path)
        exact: list[Fraction] = []
        approx: list[float] = []
        while reader.current.kind == "word":
            value, as_float = numbers.read(reader.advance(), path)
            exact.append(value)
            approx.append(as_float)
            reader.accept("comma")
        if reader.current.kind != "rbrace":
            numbers.stop()
            raise reader.unexpected("a payoff (a number) or '}'", path)
        if len(exact) != n_players:
            numbers.note(
                reader.problem(
                    start.offset,
                    f"outcome {len(outcomes) + 1} has {len(exact)} payoff"
                    f"{'' if len(exact) == 1 else 's'}, expected {n_players} (one per player)",
                    path,
                )
            )
        reader.advance()
        outcomes.append((exact, approx))
        if len(outcomes) > MAX_PROFILES:
            raise reader.error(start.offset, f"more than {MAX_PROFILES:,} outcomes", "outcomes")
    reader.expect("rbrace", "'{' opening an outcome or '}' closing the outcomes", "outcomes")
    numbers.stop()

    table = [([Fraction(0)] * n_players, [0.0] * n_players), *outcomes]  # 0: all zero
    words = _plain_words(reader, n_profiles)
    if words is not None:
        numbered = {word: _outcome_number(word, len(outcomes)) for word in set(words)}
        indices = {w: k for w, k in numbered.items() if k is not None}
        if len(indices) == len(numbered):
            chosen = [table[indices[w]] for w in words]
            return ([x for e, _ in chosen for x in e], [x for _, a in chosen for x in a])
    exact_all: list[Fraction] = []
    approx_all: list[float] = []
    found = 0
    while found < n_profiles:
        token = reader.current
        if token.kind == "end":
            numbers.stop()
            raise reader.error(
                token.offset,
                f"wrong number of outcome numbers: expected {n_profiles} (one per profile), found {found}",
                "profiles",
            )
        if token.kind != "word":
            numbers.stop()
            raise reader.unexpected("an outcome number", "profiles")
        reader.advance()
        found += 1
        index = _outcome_number(token.value, len(outcomes))
        if index is None:
            what = (
                f"outcome number {shorten(token.value)} is out of range"
                if INTEGER.fullmatch(token.value)
                else f"expected an outcome number, found {token.describe()}"
            )
            numbers.note(
                reader.problem(
                    token.offset,
                    f"{what}: the file defines {len(outcomes)} outcome"
                    f"{'' if len(outcomes) == 1 else 's'} (1 to {len(outcomes)}; 0 means every "
                    "payoff is zero)",
                    f"profiles[{found}]",
                )
            )
            continue
        exact, approx = table[index]
        exact_all.extend(exact)
        approx_all.extend(approx)
    numbers.stop()
    if reader.current.kind != "end":
        raise reader.error(
            reader.current.offset,
            f"wrong number of outcome numbers: expected {n_profiles} (one per profile), found "
            f"more, starting with {reader.current.describe()}",
            "profiles",
        )
    return exact_all, approx_all


# -- reading ---------------------------------------------------------------------------------


def parse_nfg(text: str, *, file: str = "<string>") -> Game:
    """The game in the text of a Gambit ``.nfg`` file (payoff or outcome variant).

    ``file`` names the source in error messages, and its stem becomes the game's ``id``.
    Raises :class:`~negsim.errors.InputError` with one ``file:line:col`` problem for a
    malformed file (or one per bad number or outcome number, up to :data:`MAX_PROBLEMS`).
    """
    if len(text) > MAX_FILE_BYTES:
        raise InputError(
            [
                Problem(
                    f"the text is too large: {len(text):,} characters, and negsim reads Gambit files of "
                    f"up to {MAX_FILE_BYTES:,} bytes",
                    file=file,
                )
            ]
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = Reader(text, file)
    prologue = _prologue(reader)
    players = prologue.players
    shape = tuple(len(s) for s in prologue.strategies)
    n_players, n_profiles = len(players), math.prod(shape)
    body = reader.current
    if body.kind == "lbrace":
        exact, approx = _outcome_body(reader, n_players, n_profiles)
    elif body.kind == "word":
        exact, approx = _payoff_body(reader, n_players, n_profiles)
    else:
        if body.kind == "text":
            raise reader.error(
                body.offset,
                "a second comment string: after the strategies come at most one comment, then "
                "the payoffs or the outcomes",
                "payoffs",
            )
        raise reader.unexpected("the payoffs (a list of numbers) or the outcomes ('{')", "payoffs")
    return Game(
        players=unique_labels(players),
        strategies=tuple(unique_labels(labels) for labels in prologue.strategies),
        payoffs=_table(np.array(approx, dtype=float), n_players, shape),
        exact_payoffs=_table(_object_array(exact), n_players, shape),
        id="" if file == "<string>" else Path(file).stem,
        title=prologue.title,
    )


def _object_array(values: list[Fraction]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _table(flat: np.ndarray, n_players: int, shape: tuple[int, ...]) -> np.ndarray:
    """Flat Gambit order (first player's strategy fastest) to negsim's ``(n, m_0, ...)``."""
    return np.stack([flat[i::n_players].reshape(shape, order="F") for i in range(n_players)])


def read_nfg(path: str | os.PathLike[str]) -> Game:
    """The game in a Gambit ``.nfg`` file; see :func:`parse_nfg`."""
    name = os.fspath(path)
    text = read_text_file(name, limit=MAX_FILE_BYTES, kind="Gambit files")
    return parse_nfg(text, file=name)


# -- writing ---------------------------------------------------------------------------------


def write_nfg(game: Game) -> str:
    """The game as a Gambit ``.nfg`` file, payoff variant, ``NFG 1 R``.

    Players and strategies are written by identifier, so reading the text back gives the same
    game. Payoffs are exact: the game's :attr:`~negsim.game.Game.exact_payoffs` when it has
    them (integers as integers, decimals of up to 12 characters as decimals, else ``p/q``),
    otherwise each float as an integer or the shortest decimal that reads back as the same
    float.

    Gambit (16.7 and later) opens a file only if every label is printable ASCII with single
    spaces inside, so an identifier outside that is an :class:`~negsim.errors.InputError`, as
    is a game with infeasible profiles (the format cannot express them). The title, which
    only people read, is written in ASCII.
    """
    problems = _unwritable(game)
    if problems:
        raise InputError(problems)
    exact = game.exact_payoffs
    # Exact values are used only while they still describe this game's payoffs.
    if exact is not None and np.array_equal(exact.astype(float), game.payoffs):
        formatted = np.vectorize(_format_fraction, otypes=[object])(exact)
    else:
        formatted = np.vectorize(_format_float, otypes=[object])(game.payoffs)
    # Rows are profiles in Gambit's order (first player fastest), columns are players.
    columns = [formatted[i].reshape(-1, order="F") for i in range(game.n_players)]
    rows = "\n".join(" ".join(cells) for cells in zip(*columns))
    players = " ".join(_quote(p) for p in game.players)
    strategies = " ".join("{ " + " ".join(_quote(s) for s in labels) + " }" for labels in game.strategies)
    title = _quote(_ascii_title(game.title or game.id))
    return f"NFG 1 R {title} {{ {players} }}\n{{ {strategies} }}\n\n{rows}\n"


def _unwritable(game: Game) -> list[Problem]:
    problems = []
    if game.infeasible is not None:
        cells = int(np.count_nonzero(game.infeasible))
        problems.append(
            Problem(
                f"the game has {cells} infeasible profile{'' if cells == 1 else 's'}, which a Gambit "
                ".nfg file cannot express; give those profiles payoffs instead",
                path=game.id,
            )
        )
    for k, player in enumerate(game.players):
        reason = gambit_label_problem(player)
        if reason:
            problems.append(
                Problem(f"player {player!r} cannot be a Gambit label: {reason}", path=f"players[{k + 1}]")
            )
    for player, labels in zip(game.players, game.strategies):
        for k, label in enumerate(labels):
            reason = gambit_label_problem(label)
            if reason:
                problems.append(
                    Problem(
                        f"strategy {label!r} cannot be a Gambit label: {reason}",
                        path=f"strategies.{player}[{k + 1}]",
                    )
                )
    return problems


def gambit_label_problem(label: str) -> str | None:
    """Why Gambit would refuse ``label`` (or misread it), or None when it is fine.

    >>> gambit_label_problem("limited activation") is None
    True
    >>> gambit_label_problem("Türkiye")
    'only printable ASCII characters and single spaces are allowed'
    """
    if not label:
        return "it is empty"
    if any(not " " <= c <= "~" for c in label) or "  " in label:
        return "only printable ASCII characters and single spaces are allowed"
    if label[0] == " " or label[-1] == " ":
        return "it must not begin or end with a space"
    # Gambit's reader keeps a backslash as it is unless a quote follows, and cannot read a
    # backslash before a quote or another backslash, or at the end of a label.
    if re.search(r'\\(["\\]|$)', label):
        return "a backslash may not come before a quote or a backslash, or end the label"
    return None


def _ascii_title(title: str) -> str:
    """The title in ASCII for Gambit: dashes and quotes simplified, accents dropped."""
    for fancy, plain in (
        ("\u2013", "-"),
        ("\u2014", "-"),
        ("\u2018", "'"),
        ("\u2019", "'"),
        ("\u201c", '"'),
        ("\u201d", '"'),
    ):
        title = title.replace(fancy, plain)
    title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    title = " ".join(title.replace("\\", "/").split())
    return title


def save_nfg(game: Game, path: str | os.PathLike[str]) -> None:
    """Write the game to ``path`` as a Gambit ``.nfg`` file, atomically.

    The text goes to a temporary file next to ``path`` that then replaces it, so readers never
    see half a file and an error leaves any existing file untouched.
    """
    text = write_nfg(game)  # any problem with the game surfaces before the disk is touched
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    temporary = os.path.join(directory, f".{os.path.basename(target)}.{secrets.token_hex(4)}.tmp")
    try:
        # 0o666 lets the process umask decide permissions, as for any new file.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise InputError([Problem(f"cannot write the file: {exc.strerror}", file=target)]) from None


def _quote(label: str) -> str:
    # Backslashes stay as they are: gambit_label_problem rules out the ones that would need an
    # escape, which Gambit's reader does not undo.
    return '"' + label.replace('"', '\\"') + '"'


def _format_float(value: float) -> str:
    value = float(value)
    if value.is_integer():
        return str(int(value))
    # repr is the shortest round-tripping decimal. It never has a positive exponent here (floats
    # from 1e16 up are whole numbers), which matters: Gambit rejects "1.5e+20".
    return repr(value)


def _format_fraction(value: Fraction) -> str:
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1:
        return str(numerator)
    fraction = f"{numerator}/{denominator}"
    decimal = _finite_decimal(numerator, denominator)
    # A decimal reads better than a fraction ("0.125", not "1/8"; a decimal read from a file
    # comes back as written); both are exact. Only 1/2**50 and the like stay fractions.
    if decimal is not None and len(decimal) <= max(_SHORTDECIMAL, len(fraction)):
        return decimal
    return fraction


_SHORTDECIMAL = 12


def _finite_decimal(numerator: int, denominator: int) -> str | None:
    """``3/20`` as ``"0.15"``; None when the decimal expansion does not end."""
    twos = (denominator & -denominator).bit_length() - 1
    rest, fives = denominator >> twos, 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return None
    places = max(twos, fives)
    whole, part = divmod(abs(numerator) * 10**places // denominator, 10**places)
    digits = str(part).rjust(places, "0").rstrip("0")
    return f"{'-' if numerator < 0 else ''}{whole}.{digits}"
