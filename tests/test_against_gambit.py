"""The equilibrium engine against Gambit itself (pygambit), game by game.

Two players: Gambit's ``enummixed_solve`` in rational arithmetic lists every extreme
equilibrium, also of degenerate games; negsim must report the same set, in floating point and
with ``exact=True``. Three or more players: Gambit's ``enumpure_solve`` against negsim's pure
equilibria. Games: Gambit's own examples in ``tests/data/nfg/`` (sources in its README) and
random integer games, with many ties (degenerate) and with few (non-degenerate), 2x2 to 6x6.
Every game reaches Gambit as the ``.nfg`` text negsim writes, so the file format is checked
on the way.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from negsim.errors import DegenerateGameWarning
from negsim.game import Game
from negsim.io.gambit import read_nfg, write_nfg
from negsim.solve import solve

pytestmark = pytest.mark.gambit

pygambit = pytest.importorskip("pygambit", reason="pygambit is not installed (pip install 'negsim[gambit]')")

DATA = Path(__file__).parent / "data" / "nfg"
TWO_PLAYER_FILES = sorted(p.name for p in DATA.glob("*.nfg") if read_nfg(p).n_players == 2)
MANY_PLAYER_FILES = sorted(p.name for p in DATA.glob("*.nfg") if read_nfg(p).n_players > 2)

Profile = tuple[tuple[Fraction, ...], ...]


# -- Gambit's answers ------------------------------------------------------------------------


def gambit_game(game: Game):
    return pygambit.read_nfg(io.StringIO(write_nfg(game)))


def gambit_extreme_equilibria(game: Game) -> set[Profile]:
    g = gambit_game(game)
    result = pygambit.nash.enummixed_solve(g, rational=True)
    return {
        tuple(tuple(Fraction(str(eq[s])) for s in player.strategies) for player in g.players)
        for eq in result.equilibria
    }


def gambit_pure_equilibria(game: Game) -> set[tuple[int, ...]]:
    g = gambit_game(game)
    result = pygambit.nash.enumpure_solve(g)
    profiles = set()
    for eq in result.equilibria:
        profile = []
        for player in g.players:
            chosen = [k for k, s in enumerate(player.strategies) if eq[s] == 1]
            assert len(chosen) == 1
            profile.append(chosen[0])
        profiles.add(tuple(profile))
    return profiles


# -- comparing -------------------------------------------------------------------------------


def as_floats(profile) -> np.ndarray:
    return np.concatenate([np.asarray([float(p) for p in s]) for s in profile])


def same_profiles(found, expected, tol: float = 1e-7) -> bool:
    """Equal sets of mixed profiles, up to ``tol`` in every probability."""
    found = [as_floats(p) for p in found]
    expected = [as_floats(p) for p in expected]
    if len(found) != len(expected):
        return False
    unmatched = list(range(len(expected)))
    for f in found:
        match = next((k for k in unmatched if np.allclose(f, expected[k], atol=tol, rtol=0)), None)
        if match is None:
            return False
        unmatched.remove(match)
    return True


def describe(game: Game) -> str:
    return f"game (Gambit .nfg):\n{write_nfg(game)}"


def negsim_solution(game: Game, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return solve(game, **options)


def check_two_player(game: Game) -> None:
    expected = gambit_extreme_equilibria(game)
    exact = negsim_solution(game, exact=True)
    assert exact.complete
    found_exact = {tuple(tuple(s) for s in e.exact_strategies) for e in exact.equilibria}
    assert found_exact == expected, describe(game)
    floating = negsim_solution(game)
    assert floating.complete
    assert same_profiles([e.strategies for e in floating.equilibria], expected), describe(game)


def check_pure(game: Game, method: str = "pure") -> None:
    expected = gambit_pure_equilibria(game)
    found = {e.pure_profile() for e in negsim_solution(game, method=method).pure}
    assert found == expected, describe(game)


# -- Gambit's example games ------------------------------------------------------------------

# von Stengel's 6x6 game has 75 extreme equilibria, two of them reachable only through
# ill-conditioned bases; negsim enumerates games of this size in exact arithmetic.


@pytest.mark.slow
@pytest.mark.parametrize("name", TWO_PLAYER_FILES)
def test_two_player_file_matches_enummixed(name):
    check_two_player(read_nfg(DATA / name))


@pytest.mark.slow
@pytest.mark.parametrize("name", MANY_PLAYER_FILES)
def test_many_player_file_matches_enumpure(name):
    game = read_nfg(DATA / name)
    check_pure(game, method="pure")
    check_pure(game, method="auto")


@pytest.mark.slow
def test_gambit_finds_what_the_files_promise():
    """The reference itself, on facts stated in the files' titles."""
    assert len(gambit_extreme_equilibria(read_nfg(DATA / "stengel.nfg"))) == 75
    assert len(gambit_extreme_equilibria(read_nfg(DATA / "coord3.nfg"))) == 7
    assert len(gambit_extreme_equilibria(read_nfg(DATA / "2x2.nfg"))) == 1


# -- random games ----------------------------------------------------------------------------

SIZES = [(2, 2), (2, 3), (3, 2), (3, 3), (2, 5), (3, 4), (4, 4), (4, 5), (5, 5), (6, 4), (6, 6)]


def random_game(seed: int, shape: tuple[int, ...], high: int) -> Game:
    """Integer payoffs in 0..high: ``high`` small gives many ties, hence degenerate games."""
    rng = np.random.default_rng(seed)
    payoffs = rng.integers(0, high + 1, size=(len(shape), *shape))
    return Game.from_matrices(*payoffs)


@pytest.mark.slow
@pytest.mark.parametrize("shape", SIZES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("seed", range(3))
def test_random_game_with_ties_matches_enummixed(shape, seed):
    check_two_player(random_game(1000 + seed, shape, high=3))


@pytest.mark.slow
@pytest.mark.parametrize("shape", SIZES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("seed", range(3))
def test_random_generic_game_matches_enummixed(shape, seed):
    check_two_player(random_game(2000 + seed, shape, high=10**6))


@pytest.mark.slow
def test_random_games_include_degenerate_and_non_degenerate_ones():
    """The two families above are what they claim to be."""
    tied = [negsim_solution(random_game(1000 + s, shape, 3)).degenerate for shape in SIZES for s in range(3)]
    generic = [
        negsim_solution(random_game(2000 + s, shape, 10**6)).degenerate for shape in SIZES for s in range(3)
    ]
    assert sum(tied) >= len(tied) // 2
    assert not any(generic)


MANY_SIZES = [(2, 2, 2), (3, 2, 2), (3, 3, 3), (2, 2, 2, 2), (4, 3, 2), (2, 2, 2, 2, 2)]


@pytest.mark.parametrize("shape", MANY_SIZES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("high", [1, 3, 10**6])
@pytest.mark.parametrize("seed", range(3))
def test_random_many_player_game_matches_enumpure(shape, high, seed):
    check_pure(random_game(3000 + seed, shape, high))


# -- the command line, as a user runs it -----------------------------------------------------

CLI_FILES = [
    "e02.nfg",
    "2x2.nfg",
    "coord3.nfg",
    "deg1.nfg",
    "labels.nfg",
    "stengel.nfg",
    "2x2x2.nfg",
    "5x4x3.nfg",
]


def cli_solve(path: Path, *options: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "negsim", "solve", str(path), "--format", "json", *options],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("name", CLI_FILES)
def test_cli_json_matches_gambit(name):
    game = read_nfg(DATA / name)
    output = cli_solve(DATA / name)
    assert output["players"] == list(game.players)
    assert output["strategies"] == dict(zip(game.players, map(list, game.strategies)))
    profiles = [e["profile"] for e in output["equilibria"]]
    if game.n_players == 2:
        assert same_profiles(profiles, gambit_extreme_equilibria(game), tol=1e-6)
    else:
        pure = {
            tuple(int(np.argmax(s)) for s in e["profile"])
            for e in output["equilibria"]
            if e["kind"] == "pure"
        }
        assert pure == gambit_pure_equilibria(game)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["e02.nfg", "deg1.nfg", "labels.nfg", "stengel.nfg", "rational.nfg"])
def test_cli_exact_json_matches_gambit_exactly(name):
    game = read_nfg(DATA / name)
    output = cli_solve(DATA / name, "--exact")
    found = {
        tuple(tuple(Fraction(p) for p in s) for s in e["exact"]["profile"]) for e in output["equilibria"]
    }
    assert found == gambit_extreme_equilibria(game)


def test_api_exact_uses_the_files_fractions():
    game = read_nfg(DATA / "rational.nfg")
    found = {
        tuple(tuple(s) for s in e.exact_strategies) for e in negsim_solution(game, exact=True).equilibria
    }
    assert found == gambit_extreme_equilibria(game)
    assert found == {((Fraction(1, 2), Fraction(1, 2)), (Fraction(3000017, 3000018), Fraction(1, 3000018)))}
