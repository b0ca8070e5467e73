"""Gambit ``.nfg`` files: both variants, malformed files, round trips, and Gambit's own reader.

Most fixtures in ``tests/data/nfg/`` are example games published by the Gambit project
(https://github.com/gambitproject/gambit, ``contrib/games/`` and the pygambit catalog,
GPL-2.0-or-later); ``tests/data/nfg/README.md`` lists each file's source.
"""

from __future__ import annotations

import errno
import io
import os
import threading
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negsim.errors import InputError
from negsim.game import Game
from negsim.io import gambit
from negsim.io.gambit import parse_nfg, read_nfg, save_nfg, unique_labels, write_nfg

DATA = Path(__file__).parent / "data" / "nfg"
FIXTURES = sorted(DATA.glob("*.nfg"))


def F(text: str) -> Fraction:
    return Fraction(text)


def messages(excinfo: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


# -- reading the payoff variant --------------------------------------------------------------


def test_payoff_variant_with_strategy_counts():
    game = read_nfg(DATA / "e02.nfg")
    assert game.players == ("Player 1", "Player 2")
    assert game.strategies == (("1", "2", "3"), ("1", "2"))
    assert game.title == "Selten (IJGT, 75), Figure 2, normal form"
    assert game.id == "e02"
    # The file lists 1 1 | 0 2 | 0 2 | 1 1 | 0 3 | 2 0: the first player's strategy changes fastest.
    assert game.payoffs[0].tolist() == [[1, 1], [0, 0], [0, 2]]
    assert game.payoffs[1].tolist() == [[1, 1], [2, 3], [2, 0]]


def test_payoff_variant_with_labels_decimals_fractions_and_escapes():
    game = read_nfg(DATA / "labels.nfg")
    assert game.title == 'Basing rights, an "illustrative" game'
    # An empty player or strategy label becomes its 1-based position; repeats get _1, _2.
    assert game.players == ("Ankara", "2")
    assert game.strategies == (("scrap", "2", "keep_1", "keep_2"), ("sanction", 'wai"ve'))
    exact = game.exact_payoffs
    assert exact[:, 0, 0].tolist() == [F("3/2"), F("-1")]
    assert exact[:, 1, 0].tolist() == [F("3/20"), F("1/2")]
    assert exact[:, 2, 0].tolist() == [0, 0]
    assert exact[:, 3, 0].tolist() == [F("-9/4"), F("7/3")]
    assert exact[:, 0, 1].tolist() == [2, 4]
    assert exact[:, 1, 1].tolist() == [F("-1/3"), 100]
    assert exact[:, 2, 1].tolist() == [10, F("-1/8")]
    assert exact[:, 3, 1].tolist() == [4, 4]
    assert all(isinstance(v, Fraction) for v in exact.flat)
    assert np.array_equal(game.payoffs, exact.astype(float))
    assert game.payoffs[1, 2, 1] == -0.125 and game.payoffs[0, 1, 1] == float(F("-1/3"))


def test_data_type_d_with_decimals():
    game = read_nfg(DATA / "sh3.nfg")
    assert game.shape == (3, 3)
    assert game.payoffs[:, 0, 0].tolist() == [0, 0]
    assert game.payoffs[:, 1, 0].tolist() == [2, 3]
    assert game.payoffs[:, 2, 2].tolist() == [1, 1]


# -- reading the outcome variant -------------------------------------------------------------


def test_outcome_variant_two_players():
    game = read_nfg(DATA / "2x2.nfg")
    assert game.strategies == (("1", "2"), ("1", "2"))
    # Outcomes 1..4 are assigned to profiles (1,1), (2,1), (1,2), (2,2).
    assert game.payoffs[0].tolist() == [[2, 0], [0, 1]]
    assert game.payoffs[1].tolist() == [[0, 1], [1, 0]]


def test_outcome_variant_three_players():
    game = read_nfg(DATA / "2x2x2.nfg")
    assert game.players == ("Player 1", "Player 2", "Player 3")
    assert game.payoffs[:, 0, 0, 0].tolist() == [9, 8, 12]
    assert game.payoffs[:, 1, 0, 0].tolist() == [0, 0, 0]
    assert game.payoffs[:, 1, 1, 0].tolist() == [9, 8, 2]
    assert game.payoffs[:, 1, 0, 1].tolist() == [3, 4, 6]
    assert game.payoffs[:, 0, 1, 1].tolist() == [3, 4, 6]
    assert game.payoffs[:, 1, 1, 1].tolist() == [0, 0, 0]


def test_outcome_variant_with_comment_and_labels():
    game = read_nfg(DATA / "nau2004_sec3.nfg")
    assert game.title == "Battle of the Sexes"
    assert game.strategies == (("Top", "Bottom"), ("Left", "Right"))
    assert game.payoffs[:, 0, 0].tolist() == [3, 2]
    assert game.payoffs[:, 1, 1].tolist() == [2, 3]


def test_outcome_zero_commas_and_free_layout():
    game = parse_nfg(
        'NFG 1 R "" { "a" "b" } { { "x" "y" } { "z" } } '
        '{ { "win" 1, 2 } { "draw" 1/2 1/2, } } 0 2'
    )
    assert game.exact_payoffs[:, 0, 0].tolist() == [0, 0]
    assert game.exact_payoffs[:, 1, 0].tolist() == [F("1/2"), F("1/2")]
    assert game.id == ""


def test_numbers_gambit_refuses_but_negsim_reads():
    game = parse_nfg('NFG 1 R "t" { "a" } { 3 } +4 1.5e+2 -.5')
    assert game.exact_payoffs[0].tolist() == [4, 150, F("-1/2")]


def test_byte_order_mark_and_crlf_line_ends():
    game = parse_nfg('\ufeffNFG 1 R "t"\r\n{ "a" "b" }\r\n{ 1 1 }\r\n1 2\r\n')
    assert game.payoffs[:, 0, 0].tolist() == [1, 2]


def test_unique_labels_follow_gambit_and_number_empty_ones():
    assert unique_labels(["a", "b"]) == ("a", "b")
    assert unique_labels(["", ""]) == ("1", "2")
    assert unique_labels(["x", "x", "x_1"]) == ("x_2", "x_3", "x_1")
    # An empty label's position can collide with a label; then both are numbered.
    assert unique_labels(["", "1"]) == ("1_1", "1_2")


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_fixture_reads_with_exact_payoffs(path):
    game = read_nfg(path)
    assert game.exact_payoffs is not None
    assert np.array_equal(game.exact_payoffs.astype(float), game.payoffs)


# -- malformed files -------------------------------------------------------------------------

HEADER = 'NFG 1 R "t" { "a" "b" } { 2 2 }\n'

MALFORMED = [
    ("empty", "", "<string>:1:1: expected 'NFG' at the start of a Gambit strategic-form file, "
     "found end of file"),
    ("efg", 'EFG 2 R "t" { "a" }', "<string>:1:1: expected 'NFG' at the start of a Gambit "
     "strategic-form file (this is an extensive-form .efg file; negsim reads strategic-form .nfg "
     "files), found 'EFG'"),
    ("version", 'NFG 2 R "t"', "<string>:1:5: expected version 1 after 'NFG', found '2'"),
    ("data type", 'NFG 1 X "t"', "<string>:1:7: expected 'R' or 'D' after 'NFG 1', found 'X'"),
    ("no title", 'NFG 1 R { "a" } { 2 }', "<string>:1:9: title: expected the game's title in "
     "double quotes, found '{'"),
    ("unquoted player", 'NFG 1 R "t" { a } { 2 }', "<string>:1:15: players: expected a player's "
     "name in double quotes or '}', found 'a'"),
    ("no players", 'NFG 1 R "t" { } { }', "<string>:1:13: players: the game needs at least one "
     "player"),
    ("unterminated label", 'NFG 1 R "t" { "a } { 2 }',
     "<string>:1:15: a label's closing double quote is missing"),
    ("zero strategies", 'NFG 1 R "t" { "a" "b" } { 0 2 }', "<string>:1:27: strategies.a: "
     "expected a positive whole number of strategies, found '0'"),
    ("fractional count", 'NFG 1 R "t" { "a" "b" } { 2 2.5 }', "<string>:1:29: strategies.b: "
     "expected a positive whole number of strategies, found '2.5'"),
    ("too few counts", 'NFG 1 R "t" { "a" "b" } { 2 }', "<string>:1:29: strategies: expected 2 "
     "strategy counts (one per player), found 1"),
    ("too many lists", 'NFG 1 R "t" { "a" } { { "x" } { "y" } }', "<string>:1:39: strategies: "
     "expected 1 strategy lists (one per player), found 2"),
    ("empty list", 'NFG 1 R "t" { "a" "b" } { { } { "y" } }', "<string>:1:27: strategies.a: a "
     "player needs at least one strategy"),
    ("missing body", HEADER, "<string>:2:1: payoffs: expected the payoffs (a list of numbers) or "
     "the outcomes ('{'), found end of file"),
    ("two comments", HEADER + '"one"\n"two"\n1 2', "<string>:3:1: payoffs: a second comment "
     "string: after the strategies come at most one comment, then the payoffs or the outcomes"),
    ("too few payoffs", HEADER + "1 2 3 4 5 6 7\n", "<string>:3:1: payoffs: wrong number of "
     "payoffs: expected 8 (4 profiles x 2 players), found 7"),
    ("too many payoffs", HEADER + "1 2 3 4 5 6 7 8\n9\n", "<string>:3:1: payoffs: wrong number "
     "of payoffs: expected 8 (4 profiles x 2 players), found more, starting with '9'"),
    ("brace in payoffs", HEADER + "1 2 3 } 5 6 7 8", "<string>:2:7: payoffs: expected a payoff "
     "(a number), found '}'"),
    ("zero denominator", HEADER + "1 2 3/0 4 5 6 7 8", "<string>:2:5: payoffs: bad number "
     "'3/0': the denominator is zero"),
    ("overflow", HEADER + "1 2 3 1e400 5 6 7 8", "<string>:2:7: payoffs: number '1e400' is too "
     "large for a floating-point payoff"),
    ("outcome without name", 'NFG 1 R "t" { "a" } { 2 } { { 1 } } 1 1', "<string>:1:31: "
     "outcomes[1]: expected the outcome's name in double quotes, found '1'"),
    ("outcome payoff count", 'NFG 1 R "t" { "a" "b" } { 1 1 }\n{ { "" 1 2 }\n{ "" 3 } }\n2',
     "<string>:3:1: outcomes[2]: outcome 2 has 1 payoff, expected 2 (one per player)"),
    ("outcome out of range", 'NFG 1 R "t" { "a" } { 3 }\n{ { "" 1 } { "" 2 } }\n1 7 0',
     "<string>:3:3: profiles[2]: outcome number 7 is out of range: the file defines 2 outcomes "
     "(1 to 2; 0 means every payoff is zero)"),
    ("outcome index not a number", 'NFG 1 R "t" { "a" } { 2 }\n{ { "" 1 } }\n1 -1',
     "<string>:3:3: profiles[2]: expected an outcome number, found '-1': the file defines 1 "
     "outcome (1 to 1; 0 means every payoff is zero)"),
    ("too few outcome numbers", 'NFG 1 R "t" { "a" } { 3 }\n{ { "" 1 } }\n1 1',
     "<string>:3:4: profiles: wrong number of outcome numbers: expected 3 (one per profile), "
     "found 2"),
    ("too many outcome numbers", 'NFG 1 R "t" { "a" } { 1 }\n{ { "" 1 } }\n1 1',
     "<string>:3:3: profiles: wrong number of outcome numbers: expected 1 (one per profile), "
     "found more, starting with '1'"),
]


@pytest.mark.parametrize(("text", "expected"), [m[1:] for m in MALFORMED],
                         ids=[m[0] for m in MALFORMED])
def test_malformed_file_gives_one_located_problem(text, expected):
    with pytest.raises(InputError) as excinfo:
        parse_nfg(text)
    assert messages(excinfo) == [expected]


def test_every_bad_number_is_listed():
    with pytest.raises(InputError) as excinfo:
        parse_nfg(HEADER + "1 2 x 4\n5 six 7 1/2/3")
    assert messages(excinfo) == [
        "<string>:2:5: payoffs: bad number 'x': expected an integer, a decimal such as -1.5 or "
        "2.5e-3, or a fraction such as 3/2",
        "<string>:3:3: payoffs: bad number 'six': expected an integer, a decimal such as -1.5 or "
        "2.5e-3, or a fraction such as 3/2",
        "<string>:3:9: payoffs: bad number '1/2/3': expected an integer, a decimal such as -1.5 "
        "or 2.5e-3, or a fraction such as 3/2",
    ]


def test_bad_numbers_are_capped():
    with pytest.raises(InputError) as excinfo:
        parse_nfg('NFG 1 R "t" { "a" } { 100 }\n' + "x " * 100)
    assert len(excinfo.value.problems) == gambit.MAX_PROBLEMS


def test_numbers_that_would_cost_time_are_refused():
    with pytest.raises(InputError) as excinfo:
        parse_nfg('NFG 1 R "t" { "a" } { 3 }\n1e999999999 ' + "7" * 5000 + " 1/" + "0" * 12)
    assert messages(excinfo) == [
        "<string>:2:1: payoffs: number '1e999999999' is out of range: exponents go up to 400",
        "<string>:2:13: payoffs: number '777777777777777777777777777...' is too long: 5,000 "
        "characters, at most 1,000",
        "<string>:2:5014: payoffs: bad number '1/000000000000': the denominator is zero",
    ]


def test_huge_outcome_number_is_out_of_range():
    with pytest.raises(InputError) as excinfo:
        parse_nfg('NFG 1 R "t" { "a" } { 1 }\n{ { "" 1 } }\n' + "9" * 5000)
    assert messages(excinfo) == [
        "<string>:3:1: profiles[1]: outcome number 999999999999999999999999999... is out of "
        "range: the file defines 1 outcome (1 to 1; 0 means every payoff is zero)"
    ]


def test_line_numbers_count_lines_inside_labels():
    text = 'NFG 1 R "t" { "a" } { 1 }\n"a comment\nover two lines"\nnope'
    with pytest.raises(InputError) as excinfo:
        parse_nfg(text, file="game.nfg")
    assert messages(excinfo) == [
        "game.nfg:4:1: payoffs: bad number 'nope': expected an integer, a decimal such as -1.5 or "
        "2.5e-3, or a fraction such as 3/2"
    ]


def test_too_many_profiles_is_refused_before_allocating():
    with pytest.raises(InputError) as excinfo:
        parse_nfg('NFG 1 R "t" { "a" "b" } { 1000 99999999999999999999999999999 }')
    assert messages(excinfo) == [
        "<string>:1:32: strategies: the game has more than 1,000,000 strategy profiles "
        "(negsim's limit)"
    ]


def test_too_many_payoff_entries_is_refused():
    players = " ".join(f'"p{k}"' for k in range(5))
    with pytest.raises(InputError) as excinfo:
        parse_nfg(f'NFG 1 R "t" {{ {players} }} {{ 1 1 1 1 1000000 }}')
    assert messages(excinfo)[0].endswith(
        "strategies: the game has more than 2,000,000 payoff entries (negsim's limit)"
    )


def test_file_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.nfg"
    path.write_text(HEADER + "1 2 3 4 5 6 7 8\n")
    monkeypatch.setattr(gambit, "MAX_FILE_BYTES", 16)
    with pytest.raises(InputError) as excinfo:
        read_nfg(path)
    assert messages(excinfo) == [
        f"{path}: the file is too large: negsim reads Gambit files of up to 16 bytes"
    ]
    with pytest.raises(InputError) as excinfo:
        parse_nfg("x" * 17)
    assert messages(excinfo) == [
        "<string>: the text is too large: 17 characters, and negsim reads Gambit files of up to "
        "16 bytes"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_file_size_limit_holds_for_a_pipe(tmp_path, monkeypatch):
    path = tmp_path / "pipe.nfg"
    os.mkfifo(path)
    # Small enough to sit in the pipe's buffer whole, so the writer never waits for the reader.
    writer = threading.Thread(target=path.write_text, args=(HEADER + "1 2 3 4 5 6 7 8\n",))
    writer.start()
    monkeypatch.setattr(gambit, "MAX_FILE_BYTES", 16)
    with pytest.raises(InputError) as excinfo:
        read_nfg(path)
    writer.join(timeout=10)
    assert messages(excinfo) == [
        f"{path}: the file is too large: negsim reads Gambit files of up to 16 bytes"
    ]


def test_missing_file_and_non_utf8_file(tmp_path):
    with pytest.raises(InputError) as excinfo:
        read_nfg(tmp_path / "absent.nfg")
    assert messages(excinfo) == [f"{tmp_path / 'absent.nfg'}: no such file"]
    path = tmp_path / "latin1.nfg"
    path.write_bytes(b'NFG 1 R "t"\n{ "caf\xe9" } { 1 }\n1\n')
    with pytest.raises(InputError) as excinfo:
        read_nfg(path)
    assert messages(excinfo) == [f"{path}:2:7: the file is not UTF-8 text (byte 0xe9)"]


# -- writing ---------------------------------------------------------------------------------


def test_write_numbers_exactly():
    game = Game.from_matrices([[1.0, 0.1], [-2.5, 1e-7]], [[1e20, -0.0], [1 / 3, 2.0]],
                              players=("r", "c"), strategies=(("u", "d"), ("l", "r")))
    text = write_nfg(game)
    assert text.splitlines()[3:] == [
        "1 100000000000000000000",
        "-2.5 0.3333333333333333",
        "0.1 0",
        "1e-07 2",
    ]
    assert np.array_equal(parse_nfg(text).payoffs, game.payoffs)


def test_write_exact_payoffs_as_integers_decimals_or_fractions():
    game = read_nfg(DATA / "labels.nfg")
    rows = write_nfg(game).splitlines()[3:]
    assert rows == ["1.5 -1", "0.15 0.5", "0 0", "-2.25 7/3", "2 4", "-1/3 100", "10 -0.125",
                    "4 4"]


def test_write_quotes_labels_and_keeps_backslashes():
    game = Game.from_matrices([[1]], [[2]], players=('say "hi"', "back\\slash"),
                              strategies=(("a",), ("b",)), title="T")
    first = write_nfg(game).splitlines()[0]
    assert first == 'NFG 1 R "T" { "say \\"hi\\"" "back\\slash" }'
    assert parse_nfg(write_nfg(game)).players == game.players


def test_labels_gambit_cannot_read_are_refused():
    game = Game.from_matrices([[1, 2]], [[3, 4]], players=("Türkiye", "us"),
                              strategies=(("go",), (" pad", "a\\")))
    with pytest.raises(InputError) as excinfo:
        write_nfg(game)
    assert messages(excinfo) == [
        "players[1]: player 'Türkiye' cannot be a Gambit label: only printable ASCII characters "
        "and single spaces are allowed",
        "strategies.us[1]: strategy ' pad' cannot be a Gambit label: it must not begin or end "
        "with a space",
        "strategies.us[2]: strategy 'a\\\\' cannot be a Gambit label: a backslash may not come "
        "before a quote or a backslash, or end the label",
    ]


def test_title_is_written_in_ascii():
    game = Game.from_matrices([[1]], [[1]], title="Türkiye \u2013 \u201cS-400\u201d\nrow\\col")
    assert write_nfg(game).splitlines()[0].startswith('NFG 1 R "Turkiye - \\"S-400\\" row/col" ')


def test_stale_exact_payoffs_are_not_written():
    game = read_nfg(DATA / "2x2.nfg")
    changed = game.replace(payoffs=game.payoffs + 0.5)
    assert np.array_equal(parse_nfg(write_nfg(changed)).payoffs, changed.payoffs)


def test_infeasible_profiles_cannot_be_written():
    game = Game.from_matrices([[1, 2], [3, 4]], infeasible=[[False, True], [False, False]])
    with pytest.raises(InputError) as excinfo:
        write_nfg(game)
    assert "1 infeasible profile, which a Gambit .nfg file cannot express" in messages(excinfo)[0]


def test_save_is_atomic_and_leaves_no_temporary_file(tmp_path):
    game = read_nfg(DATA / "coord3.nfg")
    path = tmp_path / "out.nfg"
    path.write_text("old")
    save_nfg(game, path)
    assert path.read_text() == write_nfg(game)
    assert sorted(os.listdir(tmp_path)) == ["out.nfg"]


def test_save_refuses_infeasible_game_without_touching_the_file(tmp_path):
    game = Game.from_matrices([[1, 2], [3, 4]], infeasible=[[False, True], [False, False]])
    path = tmp_path / "out.nfg"
    path.write_text("old")
    with pytest.raises(InputError):
        save_nfg(game, path)
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.nfg"]


def test_save_into_missing_directory_is_an_input_error(tmp_path):
    game = read_nfg(DATA / "2x2.nfg")
    with pytest.raises(InputError) as excinfo:
        save_nfg(game, tmp_path / "missing" / "out.nfg")
    # The reason is the operating system's own words for the error, whatever they are here.
    assert messages(excinfo)[0].endswith(f"cannot write the file: {os.strerror(errno.ENOENT)}")


# -- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_round_trip(path):
    game = read_nfg(path)
    again = parse_nfg(write_nfg(game))
    assert again.players == game.players
    assert again.strategies == game.strategies
    assert again.title == game.title
    assert np.array_equal(again.exact_payoffs, game.exact_payoffs)
    assert np.array_equal(again.payoffs, game.payoffs)


# Identifiers Gambit can read: printable ASCII, quotes and backslashes included.
LABEL = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1,
                max_size=8).filter(lambda s: gambit.gambit_label_problem(s) is None)


@st.composite
def games(draw, *, exact: bool, max_players: int = 4):
    n = draw(st.integers(1, max_players))
    shape = [draw(st.integers(1, 4 if n <= 2 else 2)) for _ in range(n)]
    players = draw(st.lists(LABEL, min_size=n, max_size=n, unique=True))
    strategies = [draw(st.lists(LABEL, min_size=m, max_size=m, unique=True)) for m in shape]
    size = n * int(np.prod(shape))
    if exact:
        values = draw(st.lists(st.fractions(max_denominator=50).filter(lambda f: abs(f) < 10**6),
                               min_size=size, max_size=size))
        exact_payoffs = np.empty(size, dtype=object)
        exact_payoffs[:] = values
        exact_payoffs = exact_payoffs.reshape(n, *shape)
        return Game(tuple(players), tuple(map(tuple, strategies)),
                    exact_payoffs.astype(float), exact_payoffs=exact_payoffs)
    values = draw(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=size,
                           max_size=size))
    return Game(tuple(players), tuple(map(tuple, strategies)),
                np.array(values, dtype=float).reshape(n, *shape))


@settings(max_examples=150, deadline=None)
@given(games(exact=False))
def test_write_then_read_is_the_identity_for_floats(game):
    again = parse_nfg(write_nfg(game))
    assert again.players == game.players
    assert again.strategies == game.strategies
    assert np.array_equal(again.payoffs, game.payoffs)


@settings(max_examples=100, deadline=None)
@given(games(exact=True))
def test_write_then_read_is_the_identity_for_fractions(game):
    again = parse_nfg(write_nfg(game))
    assert again.players == game.players
    assert again.strategies == game.strategies
    assert np.array_equal(again.exact_payoffs, game.exact_payoffs)
    assert np.array_equal(again.payoffs, game.payoffs)


# -- Gambit reads what negsim writes ---------------------------------------------------------


def _gambit_can_label(game: Game) -> bool:
    """Gambit 16.7 gives players and strategies the default labels "1", "2", ... before it
    reads the file's labels in order, and refuses a label that equals a later default: it
    cannot open a game whose strategies are ("2", "1"). Such games are left out here."""
    lists = [game.players, *game.strategies]
    return not any(
        label.isdigit() and k + 1 < int(label) <= len(labels)
        for labels in lists for k, label in enumerate(labels)
    )


def _gambit_view(text: str) -> tuple[list[str], list[list[str]], list[np.ndarray]]:
    pygambit = pytest.importorskip("pygambit", reason="pygambit is not installed")
    g = pygambit.read_nfg(io.StringIO(text))
    players = [p.label for p in g.players]
    strategies = [[s.label for s in p.strategies] for p in g.players]
    # to_arrays gives one array of exact rationals per player, indexed like negsim's.
    return players, strategies, [np.asarray(a, dtype=object) for a in g.to_arrays()]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_gambit_reads_negsim_files_to_the_same_payoffs(path):
    game = read_nfg(path)
    players, strategies, arrays = _gambit_view(write_nfg(game))
    assert players == list(game.players)
    assert strategies == [list(s) for s in game.strategies]
    for i in range(game.n_players):
        assert np.array_equal(arrays[i], game.exact_payoffs[i])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games(exact=False, max_players=3))
def test_gambit_reads_negsim_float_games(game):
    assume(_gambit_can_label(game))
    players, strategies, arrays = _gambit_view(write_nfg(game))
    assert players == list(game.players)
    assert strategies == [list(s) for s in game.strategies]
    for i in range(game.n_players):
        # Gambit reads each decimal exactly; the nearest float is negsim's payoff.
        assert [float(Fraction(str(v))) for v in arrays[i].flat] == game.payoffs[i].ravel().tolist()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games(exact=True, max_players=3))
def test_gambit_reads_negsim_exact_games(game):
    assume(_gambit_can_label(game))
    _, _, arrays = _gambit_view(write_nfg(game))
    for i in range(game.n_players):
        assert [Fraction(str(v)) for v in arrays[i].flat] == list(game.exact_payoffs[i].flat)
