"""The scenario library: every built-in scenario validates, solves to the equilibria its
interpretation describes, and renders; its evidence and assumptions are complete.

The equilibria below are pinned at the default parameter values: all of them, pure and mixed,
with their probabilities and payoffs. A change of a default value, a payoff expression or the
engine that moves an equilibrium fails here, and the scenario's ``interpretation`` must then be
rewritten with it.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from fractions import Fraction
from pathlib import Path

import negsim.scenarios
import numpy as np
import pytest
import yaml
from negsim.scenarios import articles

from negsim.cli import main
from negsim.compile import compile_scenario
from negsim.compile.source import DEFAULT_SCENARIO
from negsim.scenario import builtin_ids, builtin_path, load_scenario, resolve_scenario
from negsim.solve import solve
from negsim.solve.dominance import iterated_elimination

LIBRARY = Path(negsim.scenarios.__file__).parent
# Files starting with "_" are the library's own data (the sources index), not scenarios.
FILES = sorted(p for p in LIBRARY.rglob("*.yaml") if not p.name.startswith("_"))


def _seeds() -> Path:
    """The source articles: NEGSIM_SEEDS, or a ``shared/seeds`` folder beside the checkout or
    beside one of its parent folders."""
    if "NEGSIM_SEEDS" in os.environ:
        return Path(os.environ["NEGSIM_SEEDS"])
    here = Path(__file__).resolve()
    for folder in here.parents[1:]:
        candidate = folder / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return here.parents[2] / "shared" / "seeds"


SEEDS = _seeds()


def eq(payoffs, **strategies):
    """An expected equilibrium: each player's strategies with probabilities (fractions as text)."""
    return {
        "strategies": {p: {s: Fraction(str(q)) for s, q in mix.items()} for p, mix in strategies.items()},
        "payoffs": tuple(Fraction(str(v)) for v in payoffs),
    }


EXPECTED = {
    # -- the S-400 dispute ------------------------------------------------------------------------
    "s400-2017-procurement": [
        eq((-0.9, -4.5), turkey={"s400_slow": 1}, us={"threaten": 1}),
    ],
    "s400-2018-buy-but-never-use": [
        eq((-0.5, -5.5), turkey={"full": 1}, us={"offer": 1}),
    ],
    "s400-2018-high-sanction-cost": [
        eq((-2.5, -1), turkey={"store": 1}, us={"offer": 1}),
    ],
    "s400-2020-idlib-standoff": [
        eq((3, -1), turkey={"store": 1}, us={"hold_off": 1}),
    ],
    "s400-2020-idlib-no-linkage": [
        eq((5, 1), turkey={"store": 1}, us={"support": 1}),
    ],
    "s400-2025-limited-use": [
        eq((4.5, -3.25), turkey={"limited": 1}, us={"keep": 1}),
    ],
    "s400-2025-harsher-sanctions": [
        eq((4, 2), turkey={"store": 1}, us={"incentives": 1}),
    ],
    "s400-2025-generous-incentives": [
        eq((7, 1), turkey={"store": 1}, us={"incentives": 1}),
        eq((4.5, -3.25), turkey={"limited": 1}, us={"keep": 1}),
        eq((4.5, "-17/8"), turkey={"store": "1/2", "limited": "1/2"},
           us={"keep": "5/8", "incentives": "3/8"}),
    ],
    "s400-2025-patriot-good-offer": [
        eq((4.5, -3.25), turkey={"limited": 1}, us={"keep": 1}),
        eq((5, 4), turkey={"patriot": 1}, us={"incentives": 1}),
        eq((4.5, "-35/16"), turkey={"limited": "3/4", "patriot": "1/4"},
           us={"keep": "1/2", "incentives": "1/2"}),
    ],
    "s400-2025-weak-us-resolve": [
        eq((4.5, -5.5), turkey={"limited": 1}, us={"keep": 1}),
        eq((8, -9), turkey={"full": 1}, us={"waive": 1}),
        eq((5, -7), turkey={"limited": "2/3", "full": "1/3"}, us={"keep": "3/4", "waive": "1/4"}),
    ],
    "s400-2025-with-russia": [
        eq((4.5, -3.25, 0.5), turkey={"limited": 1}, us={"keep": 1}, russia={"support": 1}),
    ],
    "greek-s300-crete": [
        eq((3.5, 3), greece={"drills": 1}, us={"tolerate": 1}),
    ],
    # -- classic teaching games -------------------------------------------------------------------
    "prisoners-dilemma": [
        eq((1, 1), row={"defect": 1}, column={"defect": 1}),
    ],
    "chicken": [
        eq((-1, 1), driver_a={"swerve": 1}, driver_b={"straight": 1}),
        eq((1, -1), driver_a={"straight": 1}, driver_b={"swerve": 1}),
        eq((-0.5, -0.5), driver_a={"swerve": "1/2", "straight": "1/2"},
           driver_b={"swerve": "1/2", "straight": "1/2"}),
    ],
    "stag-hunt": [
        eq((3, 3), hunter_1={"stag": 1}, hunter_2={"stag": 1}),
        eq((2, 2), hunter_1={"hare": 1}, hunter_2={"hare": 1}),
        eq((2, 2), hunter_1={"stag": "1/2", "hare": "1/2"}, hunter_2={"stag": "1/2", "hare": "1/2"}),
    ],
    "battle-of-the-sexes": [
        eq((2, 1), player_1={"bach": 1}, player_2={"bach": 1}),
        eq((1, 2), player_1={"stravinsky": 1}, player_2={"stravinsky": 1}),
        eq(("2/3", "2/3"), player_1={"bach": "2/3", "stravinsky": "1/3"},
           player_2={"bach": "1/3", "stravinsky": "2/3"}),
    ],
    "matching-pennies": [
        eq((0, 0), player_1={"heads": "1/2", "tails": "1/2"}, player_2={"heads": "1/2", "tails": "1/2"}),
    ],
    "rock-paper-scissors": [
        eq((0, 0), player_1={"rock": "1/3", "paper": "1/3", "scissors": "1/3"},
           player_2={"rock": "1/3", "paper": "1/3", "scissors": "1/3"}),
    ],
    "deterrence": [
        eq((0, -2), challenger={"hold": "1/2", "challenge": "1/2"},
           defender={"accommodate": "3/5", "resist": "2/5"}),
    ],
}


#: The sequential and Bayesian scenarios: their subgame-perfect equilibria and the
#: credibility of their threats are pinned in tests/test_tree_s400.py.
PINNED_IN_TEST_TREE_S400 = {
    "s400-2018-commitment-sequential",
    "s400-2019-activation-then-sanctions",
    "s400-2019-us-resolve-uncertain",
}


#: The conflicts in option form (players with yes/no options): their stability tables are
#: pinned in tests/test_conflict_library.py and tests/test_conflict_s400.py.
PINNED_IN_TEST_CONFLICT_LIBRARY = {
    "prisoners-dilemma-options",
    "elmira",
    "cuban-missile-crisis",
    "garrison-diversion",
    "s400-options-2017-2019",
    "s400-options-2025",
    "s400-options-2025-parametric",
}


def solution_of(scenario_id: str, overrides: dict | None = None):
    game = compile_scenario(resolve_scenario(scenario_id)).game(overrides)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a degenerate-game warning would fail the test
        return game, solve(game)


def described(game, e) -> dict:
    return {
        player: {game.strategies[i][k]: float(p) for k, p in enumerate(e.strategies[i]) if p > 1e-12}
        for i, player in enumerate(game.players)
    }


# -- the catalogue ------------------------------------------------------------------------------


def test_every_scenario_file_is_built_in_and_pinned_here():
    """Every simultaneous scenario is pinned in EXPECTED. Game trees (scenarios with timing,
    types or a tree) are solved for subgame-perfect equilibria, not the Nash equilibria of
    their strategic form, and are pinned in tests/test_tree_s400.py instead."""
    assert FILES, f"no scenario files under {LIBRARY}"
    ids = [yaml.safe_load(path.read_text())["id"] for path in FILES]
    assert len(ids) == len(set(ids)), "scenario ids must be unique"
    assert set(ids) == set(builtin_ids())
    trees = {i for i in ids if resolve_scenario(i).is_tree}
    assert trees == PINNED_IN_TEST_TREE_S400, "pin new sequential scenarios in test_tree_s400.py"
    conflicts = {i for i in ids if resolve_scenario(i).payoff_form == "options"}
    assert conflicts == PINNED_IN_TEST_CONFLICT_LIBRARY, "pin new conflicts in test_conflict_library.py"
    assert set(ids) - trees - conflicts == set(EXPECTED), \
        "every scenario needs its equilibria pinned in EXPECTED"


def test_the_library_readme_lists_every_built_in_scenario_once_and_nothing_else():
    readme = (LIBRARY / "README.md").read_text(encoding="utf-8")
    # The first cell of each table row is a scenario id in backticks.
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", readme, flags=re.MULTILINE)
    assert len(listed) == len(set(listed)), "a scenario is listed twice in scenarios/README.md"
    missing = sorted(set(builtin_ids()) - set(listed))
    unknown = sorted(set(listed) - set(builtin_ids()))
    assert not missing, f"scenarios/README.md does not list {missing}"
    assert not unknown, f"scenarios/README.md lists scenarios that do not exist: {unknown}"


def test_the_default_scenario_is_the_2025_limited_use_case():
    assert DEFAULT_SCENARIO == "s400-2025-limited-use"
    assert (LIBRARY / "s400" / "2025-limited-use.yaml").is_file()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_validates(path, capsys):
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    scenario = load_scenario(path)
    assert scenario.title and scenario.description
    assert scenario.assumptions, "state the modelling assumptions"
    assert scenario.interpretation and len(scenario.interpretation) > 200, (
        "say in words what the equilibria at the defaults mean"
    )
    assert scenario.sources, "cite the evidence"


def test_every_payoff_form_is_used_in_the_library():
    forms = {resolve_scenario(i).payoff_form for i in builtin_ids()} - {"options"}
    assert forms == {"expressions", "matrix", "table", "ranking"}


VARIANT_KEYS = {"negsim", "id", "extends", "title", "description", "tags", "parameters",
                "interpretation"}
#: What turns a base into a game tree: a move order, or types with a prior.
TREE_KEYS = {"timing", "types"}


def test_variants_extend_a_base_and_change_only_a_few_lines():
    variants = [p for p in FILES if "extends" in yaml.safe_load(p.read_text())]
    simultaneous = [p for p in variants if not TREE_KEYS & set(yaml.safe_load(p.read_text()))]
    assert len(simultaneous) >= 5
    for path in simultaneous:
        raw = yaml.safe_load(path.read_text())
        assert set(raw) <= VARIANT_KEYS, path.name
        assert raw["parameters"], f"{path.name} changes no parameter"
        for name, change in raw["parameters"].items():
            assert set(change) == {"value", "rationale"}, f"{path.name}: {name}"


def test_variants_that_make_a_game_tree_say_what_they_add():
    """A variant that gives its base a move order or types changes the game itself: it may
    restate the assumptions and declare the parameters its types need (each in full, with a
    range and a reason); parameters of the base it changes, it changes as other variants do."""
    variants = [p for p in FILES if "extends" in yaml.safe_load(p.read_text())
                and TREE_KEYS & set(yaml.safe_load(p.read_text()))]
    assert variants, "the library has sequential variants (e.g. 2018-commitment-sequential)"
    for path in variants:
        raw = yaml.safe_load(path.read_text())
        assert set(raw) <= VARIANT_KEYS | TREE_KEYS | {"assumptions"}, path.name
        assert raw.get("assumptions"), f"{path.name}: state the assumptions of the move order or types"
        base = load_scenario(path.parent / raw["extends"])
        for name, change in (raw.get("parameters") or {}).items():
            if name in base.parameters:
                assert set(change) == {"value", "rationale"}, f"{path.name}: {name}"
            else:
                assert {"value", "min", "max", "description", "rationale"} <= set(change), \
                    f"{path.name}: the new parameter {name} needs a value, range and reason"


# -- equilibria at the defaults ----------------------------------------------------------------


@pytest.mark.parametrize("scenario_id", sorted(EXPECTED))
def test_equilibria_at_the_defaults(scenario_id):
    game, solution = solution_of(scenario_id)
    assert not solution.degenerate
    assert solution.max_regret <= 1e-9
    found = [(described(game, e), tuple(float(v) for v in e.payoffs)) for e in solution.equilibria]
    expected = [
        ({p: {s: float(q) for s, q in mix.items()} for p, mix in x["strategies"].items()},
         tuple(float(v) for v in x["payoffs"]))
        for x in EXPECTED[scenario_id]
    ]
    assert len(found) == len(expected), found
    for strategies, payoffs in expected:
        matches = [
            f for f in found
            if f[0].keys() == strategies.keys()
            and all(f[0][p].keys() == strategies[p].keys() for p in strategies)
            and all(np.isclose(f[0][p][s], q, atol=1e-9)
                    for p in strategies for s, q in strategies[p].items())
        ]
        assert len(matches) == 1, f"{strategies} not found in {found}"
        assert np.allclose(matches[0][1], payoffs, atol=1e-9), (strategies, matches[0][1])


@pytest.mark.parametrize("scenario_id", sorted(i for i in EXPECTED if len(resolve_scenario(i).players) == 2))
def test_two_player_equilibria_are_complete_and_exact(scenario_id):
    """Rational vertex enumeration finds exactly the pinned equilibria, as fractions."""
    game = compile_scenario(resolve_scenario(scenario_id)).game()
    solution = solve(game, exact=True)
    assert solution.complete and solution.exact and not solution.degenerate
    found = {
        (tuple(tuple(s) for s in e.exact_strategies), tuple(e.exact_payoffs))
        for e in solution.equilibria
    }
    expected = set()
    for x in EXPECTED[scenario_id]:
        vectors = tuple(
            tuple(x["strategies"][player].get(s, Fraction(0)) for s in game.strategies[i])
            for i, player in enumerate(game.players)
        )
        expected.add((vectors, x["payoffs"]))
    assert found == expected


def test_the_three_player_game_is_dominance_solvable():
    """Iterated strict dominance leaves one profile, so the pinned pure equilibrium is the only
    equilibrium, mixed ones included (the n-player solver does not promise completeness)."""
    game = compile_scenario(resolve_scenario("s400-2025-with-russia")).game()
    result = iterated_elimination(game)
    assert result.solved()
    survivors = {p: game.strategies[i][s[0]] for i, (p, s) in enumerate(zip(game.players, result.surviving))}
    assert survivors == {"turkey": "limited", "us": "keep", "russia": "support"}


# -- the experiments the scenarios are built for: tipping points inside the ranges ------------


def pure_labels(scenario_id: str, **overrides) -> set[str]:
    game, solution = solution_of(scenario_id, overrides)
    return {e.label(game) for e in solution.pure}


@pytest.mark.parametrize("sanction_cost, expected", [
    (1, {"full / tighten"}),
    (2, set()),                                      # a mixed equilibrium only: brinkmanship
    (4, {"limited / keep"}),
    (6, {"limited / keep", "store / incentives"}),
    (8, {"store / incentives"}),
])
def test_2025_sanction_cost_moves_turkey_from_full_to_limited_to_storage(sanction_cost, expected):
    assert pure_labels("s400-2025-limited-use", sanction_cost=sanction_cost) == expected


@pytest.mark.parametrize("patriot_price, expected", [
    (3.5, {"limited / keep"}),
    (2, {"limited / keep", "patriot / incentives"}),
    (1.2, {"patriot / incentives"}),
])
def test_2025_a_cheap_enough_patriot_makes_the_co_purchase_an_equilibrium(patriot_price, expected):
    assert pure_labels("s400-2025-limited-use", patriot_price=patriot_price) == expected


@pytest.mark.parametrize("autonomy, sanction_cost, accepted", [
    (3, 6, False), (3, 9, True), (0.25, 6, True), (8, 12, False), (6, 12, True),
])
def test_2018_storage_is_accepted_above_the_line_sanction_cost_equals_autonomy_plus_5(
        autonomy, sanction_cost, accepted):
    labels = pure_labels("s400-2018-buy-but-never-use", autonomy=autonomy, sanction_cost=sanction_cost)
    assert labels == ({"store / offer"} if accepted else {"full / offer"})


@pytest.mark.parametrize("linkage, support_value, expected", [
    (1, 2, {"store / hold_off"}),
    (0, 2, {"store / support"}),
    (1, 4, {"store / hold_off", "scrap / support"}),
])
def test_2020_the_idlib_linkage_changes_the_us_move_and_only_a_large_offer_moves_turkey(
        linkage, support_value, expected):
    labels = pure_labels("s400-2020-idlib-standoff", idlib_linkage=linkage,
                         idlib_support_value=support_value)
    assert labels == expected


def test_2025_monte_carlo_over_every_parameter_range_solves_cleanly():
    """Random points across every parameter's range (the Monte Carlo experiment): every point
    compiles and solves, and the outcomes vary, so the ranges span the interesting region."""
    compiled = compile_scenario(resolve_scenario("s400-2025-limited-use"))
    rng = np.random.default_rng(2025)
    points = {name: rng.uniform(lo, hi, 200) for name, (lo, hi) in compiled.bounds.items()}
    payoffs = compiled.evaluate(points)
    outcomes = set()
    for k in range(200):
        game = compiled.game_from_payoffs(payoffs[k], {n: v[k] for n, v in points.items()})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            solution = solve(game)
        assert solution.equilibria and solution.max_regret <= 1e-6
        outcomes |= {e.label(game) for e in solution.pure}
    assert {"limited / keep", "store / incentives", "full / tighten"} <= outcomes


# -- rendering ----------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario_id", sorted(EXPECTED) + sorted(PINNED_IN_TEST_TREE_S400))
def test_run_renders(scenario_id, capsys):
    code = main(["run", scenario_id])
    out, err = capsys.readouterr()
    assert code == 0, err
    flat = " ".join(out.split())
    assert resolve_scenario(scenario_id).title.split(",")[0] in flat
    # Sources are named by outlet, title and date, never by the article's file name alone.
    scenario = resolve_scenario(scenario_id)
    assert "Sources" in out
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", out)
    for source in scenario.sources:
        shown = source.citation or articles.describe_article(source.file)
        assert " ".join(shown.split()) in flat


@pytest.mark.parametrize("scenario_id", ["s400-2025-limited-use", "s400-2025-with-russia", "deterrence"])
def test_solve_json(scenario_id, capsys):
    assert main(["solve", scenario_id, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"] == scenario_id
    assert len(data["equilibria"]) == len(EXPECTED[scenario_id])


# -- evidence and assumptions ------------------------------------------------------------------


def quoted_sources(node):
    """Every ``{file, quote}`` mapping anywhere in a raw scenario file."""
    if isinstance(node, dict):
        if "quote" in node or "file" in node:
            yield node
        for value in node.values():
            yield from quoted_sources(value)
    elif isinstance(node, list):
        for value in node:
            yield from quoted_sources(value)


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


QUOTES = [
    pytest.param(path, source, id=f"{path.stem}:{source.get('quote', '')[:30]}")
    for path in FILES
    for source in quoted_sources(yaml.safe_load(path.read_text()))
]


def test_every_s400_base_scenario_quotes_the_articles_for_its_story_and_its_options():
    for path in FILES:
        raw = yaml.safe_load(path.read_text())
        if path.parent.name != "s400" or "extends" in raw:
            continue
        assert sum(1 for s in raw["sources"] if "quote" in s) >= 3, path.name
        options = [s for p in raw["players"].values() for s in p["strategies"].values()]
        quoted = [s for s in options if "quote" in s.get("source", {})]
        # At most two options per scenario may be ones the articles do not describe.
        assert len(quoted) >= len(options) - 2, f"{path.name}: quote the articles for the options"


@pytest.mark.parametrize("path, source", QUOTES)
def test_every_quote_is_one_verified_in_its_article(path, source):
    """Everywhere: the quote is one whose digest the shipped sources index records as verified
    against its article (an edited quote is not). Where the articles are present, also
    verbatim in the article itself."""
    assert set(source) == {"file", "quote"}, "a quote needs its file and a file needs its quote"
    known = articles.article(source["file"])
    assert known is not None, f"{path.name}: {source['file']} is not in scenarios/_sources.yaml"
    assert articles.digest(source["quote"]) in known.quotes, (
        f"{path.name}: this quote was not verified against {source['file']}; check it against the "
        "article and run `python -m negsim.scenarios.articles --write SEEDS_FOLDER`"
    )
    if SEEDS.is_dir():
        article = SEEDS / source["file"]
        assert normalised(source["quote"]) in normalised(article.read_text(encoding="utf-8"))


def test_the_sources_index_names_every_cited_article_and_holds_no_stale_digest():
    cited = articles.library_quotes()
    assert set(articles.articles()) == set(cited)
    for file, quotes in cited.items():
        entry = articles.article(file)
        assert entry.title and entry.date
        assert entry.quotes == {articles.digest(q) for q in quotes}, f"{file}: stale digests"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source articles not found at {SEEDS}")
def test_the_sources_index_was_made_from_these_articles():
    index, problems = articles.verified_index(SEEDS)
    assert problems == []
    for file, (text_digest, quotes) in index.items():
        entry = articles.article(file)
        assert entry.text_digest == text_digest, f"{file} differs from the article verified"
        assert sorted(entry.quotes) == quotes


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source articles not found at {SEEDS}")
def test_the_shipped_index_is_what_the_digest_writer_makes(tmp_path):
    copy = tmp_path / "_sources.yaml"
    shipped = (LIBRARY / "_sources.yaml").read_text(encoding="utf-8")
    copy.write_text(shipped.replace("text_digest: ", "text_digest: 0"), encoding="utf-8")
    assert articles.write_digests(SEEDS, copy) == 0
    assert copy.read_text(encoding="utf-8") == shipped


def test_the_sources_index_examples_hold():
    import doctest

    assert doctest.testmod(articles).failed == 0


def test_an_edited_quote_fails_the_digest_check():
    path, source = QUOTES[0].values
    edited = source["quote"].replace(" ", "  ", 1) + " (edited)"
    assert articles.digest(edited) not in articles.article(source["file"]).quotes
    # White space alone is not an edit: quotes are compared normalised, as with the article.
    assert articles.digest(source["quote"].replace(" ", "\n  ", 1)) in articles.article(
        source["file"]).quotes


@pytest.mark.parametrize("scenario_id", sorted(EXPECTED))
def test_every_parameter_has_a_rationale_and_a_range_holding_its_value(scenario_id):
    scenario = resolve_scenario(scenario_id)
    for name, p in scenario.parameters.items():
        assert p.description and p.rationale and len(p.rationale) > 20, name
        assert p.min is not None and p.max is not None, f"{name} needs a range for sweeps"
        assert p.min <= p.value <= p.max and p.min < p.max, name


@pytest.mark.parametrize("scenario_id", sorted(EXPECTED))
def test_parameter_directions_match_the_payoffs(scenario_id):
    """A parameter declared ``better`` for a player never lowers that player's payoffs, ``worse``
    never raises them; and in a base scenario every parameter moves some payoff (a variant may
    switch one off, as the no-linkage variant does with ``precondition_cost``)."""
    scenario = resolve_scenario(scenario_id)
    compiled = compile_scenario(scenario)
    players = list(scenario.players)
    is_variant = "extends" in yaml.safe_load(builtin_path(scenario_id).read_text())
    for name, p in scenario.parameters.items():
        step = (p.max - p.min) / 10
        low = p.value - step if p.value + step > p.max else p.value
        before, after = compiled.evaluate({name: [low, low + step]})
        if not is_variant:
            assert np.abs(after - before).max() > 0, f"{name} does not enter the payoffs"
        for player, direction in (p.direction or {}).items():
            change = (after - before)[players.index(player)]
            if direction == "worse":
                change = -change
            assert change.min() >= -1e-12, f"{name} is not {direction} for {player}"
            assert is_variant or change.max() > 0, f"{name} does not change {player}'s payoffs"
