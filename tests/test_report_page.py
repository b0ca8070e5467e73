"""The report page without a browser: self-contained, complete, and faithful to the engine."""

from __future__ import annotations

import html
import json
import re
import shlex
import warnings
from pathlib import Path

import numpy as np
import pytest

from negsim.cli import main
from negsim.compile.source import DEFAULT_SCENARIO, load_source
from negsim.conflict.stability import BASIC_CONCEPTS, analyze
from negsim.errors import InputError
from negsim.render.report import format_number, read_page_data, render_report, write_report
from negsim.scenario.catalog import builtin_ids
from negsim.solve import solve
from negsim.solve.welfare import best_responses
from negsim.sweep import explorer as report_module
from negsim.sweep.explorer import MIN_AXIS_VALUES, axis_values, plan_sweep

POINTS = 400
NFG = Path(__file__).parent / "data" / "nfg"


@pytest.fixture(scope="module")
def source():
    return load_source(DEFAULT_SCENARIO)


@pytest.fixture(scope="module")
def page(source) -> str:
    return render_report(source, points=POINTS)


@pytest.fixture(scope="module")
def data(page) -> dict:
    return read_page_data(page)


def point_values(data: dict, point: int) -> dict[str, float]:
    """Parameter values of a point, read from the page's data the way its script does."""
    values = dict(data["base"])
    sliders = data["sliders"]
    for s in sliders:
        if not s["joint"] and s["offset"] <= point < s["offset"] + len(s["values"]):
            values[s["name"]] = s["values"][point - s["offset"]]
            return values
    joint = [s for s in sliders if s["joint"]]
    indices = np.unravel_index(point, data["gridShape"]) if joint else ()
    for s, k in zip(joint, indices):
        values[s["name"]] = s["values"][int(k)]
    return values


def engine_equilibria(source, values: dict) -> tuple:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(source.at(values))
    return solution


def assert_point_matches_engine(source, data: dict, point: int) -> None:
    values = point_values(data, point)
    game = source.at(values)
    solution = engine_equilibria(source, values)
    stored = data["points"]["equilibria"][point]
    assert len(stored) == len(solution.equilibria), values
    for (probabilities, payoffs), e in zip(stored, solution.equilibria):
        assert np.allclose(probabilities, np.concatenate(e.strategies), atol=1e-8), values
        assert np.allclose(payoffs, e.payoffs, atol=1e-8), values
    assert np.allclose(data["points"]["payoffs"][point], game.payoffs.ravel(), atol=1e-8)
    best = "".join("1" if b else "0" for b in best_responses(game).ravel())
    assert data["points"]["best"][point] == best
    assert (data["points"]["degenerate"][point] == "1") == solution.degenerate


# -- self-contained ----------------------------------------------------------------------------


def test_loads_nothing_from_anywhere(page):
    assert "{{" not in page, "a template placeholder was left unfilled"
    for attribute, value in re.findall(r"""\b(src|href|action|srcset|poster)\s*=\s*["']?([^"'\s>]*)""", page):
        assert value.startswith(("#", "data:")), f"{attribute}={value!r} would load something"
    assert not re.search(r"@import|url\((?!\s*['\"]?data:)", page)
    assert not re.search(r"""<(link|script|img|iframe)\b[^>]*\bsrc\s*=\s*["']?https?:""", page, re.I)
    assert re.search(r"\bfetch\(|XMLHttpRequest|WebSocket|EventSource|import\(", page) is None
    # The page forbids itself any request: a content security policy of "none" but inline code.
    assert "default-src 'none'" in page


def test_story_sources_assumptions_and_interpretation(page, source):
    scenario = source.scenario
    text = html.unescape(re.sub(r"\s+", " ", page))
    assert scenario.title in text
    assert " ".join(scenario.description.split()[:12]) in text
    for s in scenario.sources:
        if s.quote:
            assert s.quote in text and s.file in text
        else:
            assert s.citation in text
    for player in scenario.players.values():
        for strategy in player.strategies.values():
            assert strategy.name in text
            if strategy.source is not None and strategy.source.quote:
                assert strategy.source.quote in text
    for assumption in scenario.assumptions:
        # Names in backticks are set as code on the page.
        assert re.sub(r"`([^`]+)`", r"<code>\1</code>", " ".join(assumption.split())) in text
    assert " ".join(scenario.interpretation.split()[:10]) in text
    for name, parameter in scenario.parameters.items():
        assert f"<code>{name}</code>" in page and parameter.description in text


def test_matrix_and_equilibria_at_the_base_point(page, source, data):
    game = source.at()
    matrix = re.search(r'<div id="matrix">(.*?)</div>', page, re.S).group(1)
    for names in game.strategy_names[:2]:
        for name in names:
            assert html.escape(name, quote=True) in matrix
    cells = re.findall(r"<td[^>]*>(.*?)</td>", matrix)
    assert len(cells) == game.n_profiles
    best = best_responses(game)
    for flat, cell in enumerate(cells):
        profile = np.unravel_index(flat, game.shape)
        spans = re.findall(r'<span class="([^"]*)">([^<]*)</span>', cell)
        assert [v for _, v in spans] == [format_number(game.payoffs[(i, *profile)]) for i in range(2)]
        assert ["best" in c for c, _ in spans] == [bool(best[(i, *profile)]) for i in range(2)]
    shaded = [np.unravel_index(k, game.shape) for k, c in enumerate(re.findall(r"<td([^>]*)>", matrix))
              if 'class="eq"' in c]
    solution = engine_equilibria(source, {})
    assert sorted(tuple(map(int, p)) for p in shaded) == sorted(
        e.pure_profile() for e in solution.equilibria if e.pure_profile() is not None)
    listed = re.search(r'<div id="equilibria">(.*?)</div>', page, re.S).group(1)
    items = re.findall(r'data-profile="([^"]*)" data-payoffs="([^"]*)"', listed)
    assert len(items) == len(solution.equilibria) >= 1
    for (profile, payoffs), e in zip(items, solution.equilibria):
        assert np.allclose(json.loads(html.unescape(profile)), np.concatenate(e.strategies))
        assert np.allclose(json.loads(html.unescape(payoffs)), e.payoffs)


# -- the embedded sweep -----------------------------------------------------------------------


def test_embedded_sweep_has_the_points_promised(page, data):
    n = data["nPoints"]
    assert n <= POINTS
    grid = int(np.prod(data["gridShape"])) if data["gridShape"] else 1
    lines = [s for s in data["sliders"] if not s["joint"]]
    assert n == grid + sum(len(s["values"]) for s in lines)
    assert [len(s["values"]) for s in data["sliders"] if s["joint"]] == data["gridShape"]
    for key in ("payoffs", "best", "equilibria"):
        assert len(data["points"][key]) == n
    assert len(data["points"]["degenerate"]) == n
    assert f"This page holds {n} points" in page
    dims = " x ".join(str(k) for k in data["gridShape"])
    assert f"a full grid of {dims} values" in page
    # Every point is a different parameter point.
    seen = {tuple(sorted(point_values(data, p).items())) for p in range(n)}
    assert len(seen) == n - len(lines)  # each line repeats the base point once
    # Lines start at their offsets, one after the other.
    assert [s["offset"] for s in lines] == list(np.cumsum([grid] + [len(s["values"]) for s in lines])[:-1])


def test_slider_values_lie_in_range_and_include_the_base(data, source):
    for s in data["sliders"]:
        low, high = source.game.bounds[s["name"]]
        assert s["values"][0] == low and s["values"][-1] == high
        assert s["values"] == sorted(set(s["values"]))
        assert s["values"][s["baseIndex"]] == data["base"][s["name"]]
        assert len(s["values"]) >= MIN_AXIS_VALUES


def test_equilibria_equal_the_engine_at_sampled_points(source, data):
    rng = np.random.default_rng(5)
    n = data["nPoints"]
    grid = int(np.prod(data["gridShape"]))
    sample = {0, grid - 1, n - 1, *rng.integers(0, grid, 12).tolist(), *rng.integers(grid, n, 8).tolist()}
    for point in sorted(sample):
        assert_point_matches_engine(source, data, point)


def test_grid_slice_shows_the_sanction_cost_regimes(source, data):
    # Along sanction_cost (on the grid by default), each value's equilibria are the engine's:
    # this is what the class watches move.
    slider = next(s for s in data["sliders"] if s["name"] == "sanction_cost")
    assert slider["joint"]
    joint = [s for s in data["sliders"] if s["joint"]]
    for k in range(len(slider["values"])):
        indices = [k if s is slider else s["baseIndex"] for s in joint]
        point = int(np.ravel_multi_index(indices, data["gridShape"]))
        assert point_values(data, point)["sanction_cost"] == slider["values"][k]
        assert_point_matches_engine(source, data, point)


def test_set_moves_the_base_point(source):
    page = render_report(source, overrides={"sanction_cost": 6}, points=120, vary=["sanction_cost"])
    data = read_page_data(page)
    assert data["base"]["sanction_cost"] == 6
    base = int(np.ravel_multi_index([data["sliders"][0]["baseIndex"]], data["gridShape"]))
    assert point_values(data, base)["sanction_cost"] == 6
    assert_point_matches_engine(source, data, base)
    assert "at the values this page was made with" in page


def test_questions_answer_with_the_engine(page, source):
    solution = engine_equilibria(source, {})
    questions = re.search(r'<section id="questions">(.*?)</section>', page, re.S).group(1)
    first = re.search(r'<details class="qa" id="q1">(.*?)</details>', questions, re.S).group(1)
    assert "What is the equilibrium at the default values?" in first
    game = solution.game
    for e in solution.equilibria:
        for i, support in enumerate(e.support):
            for k in support:
                assert html.escape(game.strategy_names[i][k], quote=True) in first
    assert "dominated" in questions and "Pareto" in questions
    assert "<code>sanction_cost</code> moves from 0 to 10" in questions


# -- plans ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("base, low, high, count", [
    (4, 0, 10, 21), (4, 0, 10, 15), (0.7, 0, 1, 12), (1.5, -4, 4, 9), (3.5, 1, 6, 5),
    (2, 1, 4, 3), (12, 0, 10, 7), (0.123, 0, 1, 50),
])
def test_axis_values(base, low, high, count):
    values = axis_values(base, low, high, count)
    assert len(values) <= count
    assert float(base) in values and values[0] == min(low, base) and values[-1] == max(high, base)
    assert list(values) == sorted(set(values))
    inner = np.diff(values[1:-1])
    if len(inner) > 1:  # the lattice through the base is even; only the range's ends may break it
        assert np.allclose(inner, inner[0])


@pytest.mark.parametrize("points", [60, 200, 1000, 3000])
def test_plan_stays_within_the_cap(source, points):
    game = source.game
    plan = plan_sweep(game, game.values(), points=points)
    assert 0 < plan.n_points <= points
    assert plan.columns()["sanction_cost"].shape == (plan.n_points,)
    assert plan.values_at(plan.base_point) == game.values()


def test_vary_chooses_the_grid(source):
    plan = plan_sweep(source.game, source.game.values(), points=500, vary=["security", "autonomy"])
    assert [a.name for a in plan.joint] == ["security", "autonomy"]
    assert plan.grid_size <= 500 - sum(len(a.values) for a in plan.lines)


def test_too_few_points_is_an_input_error(source):
    with pytest.raises(InputError, match="too few"):
        plan_sweep(source.game, source.game.values(), points=20)


def test_format_number_rounds_like_the_script():
    # JavaScript's toFixed rounds exact ties away from zero; the page must print the same text.
    assert format_number(0.0625) == "0.063"
    assert format_number(-0.0625) == "-0.063"
    assert format_number(2.0) == "2"
    assert format_number(-0.0001) == "0"
    assert format_number(1 / 3) == "0.333"
    assert format_number(-3.25) == "-3.25"


# -- other sources -----------------------------------------------------------------------------


def test_classic_game_without_parameters():
    page = render_report(load_source("prisoners-dilemma"), points=10)
    data = read_page_data(page)
    assert data["nPoints"] == 1 and data["sliders"] == []
    assert 'type="range"' not in page
    assert len(data["points"]["equilibria"][0]) >= 1


def test_gambit_file_with_three_players():
    source = load_source(str(NFG / "2x2x2.nfg"))
    page = render_report(source, points=10)
    data = read_page_data(page)
    matrix = re.search(r'<div id="matrix">(.*?)</div>', page, re.S).group(1)
    assert matrix.count('<table class="matrix">') == 2  # one panel per strategy of player 3
    assert_point_matches_engine(source, data, 0)


# -- the command -------------------------------------------------------------------------------


def test_command_writes_the_page(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", DEFAULT_SCENARIO, "-o", str(out), "--points", "150"]) == 0
    assert "wrote" in capsys.readouterr().out
    data = read_page_data(out.read_text(encoding="utf-8"))
    assert data["nPoints"] <= 150
    assert main(["report", DEFAULT_SCENARIO, "-o", str(out), "--points", "150", "--force",
                 "--set", "sanction_cost=8", "--vary", "security"]) == 0
    data = read_page_data(out.read_text(encoding="utf-8"))
    assert data["base"]["sanction_cost"] == 8
    assert [s["name"] for s in data["sliders"] if s["joint"]] == ["security"]


@pytest.mark.parametrize("args, message", [
    (["no-such-scenario"], "no-such-scenario"),
    (["--set", "sanction_cots=3"], "did you mean 'sanction_cost'"),
    (["--set", "sanction_cost=lots"], "expected a number"),
    (["--points", "0"], "positive number of points"),
    (["--points", "5"], "too few"),
    (["--vary", "securty"], "did you mean 'security'"),
    ([str(NFG / "2x2.nfg"), "--vary", "x"], "unknown parameter 'x'"),
], ids=["unknown-scenario", "unknown-parameter", "not-a-number", "zero-points", "too-few-points",
        "unknown-vary", "vary-without-parameters"])
def test_invalid_input_exits_2_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "report.html"
    code = main(["report", *args, "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_bad_output_paths(tmp_path, capsys):
    assert main(["report", "-o", str(tmp_path / "report.txt")]) == 2
    assert ".html" in capsys.readouterr().err
    assert main(["report", "-o", str(tmp_path / "missing" / "report.html")]) == 2
    assert "folder does not exist" in capsys.readouterr().err
    existing = tmp_path / "report.html"
    existing.write_text("keep me")
    assert main(["report", "-o", str(existing)]) == 2
    assert "--force" in capsys.readouterr().err
    assert existing.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_report_checks_the_path_before_any_work(tmp_path):
    # An existing file is refused before the scenario is even read.
    existing = tmp_path / "r.html"
    existing.write_text("x")
    with pytest.raises(InputError, match="--force"):
        write_report("no-such-scenario", existing)


def test_footer_command_makes_the_same_page(source, tmp_path):
    page = render_report(source, overrides={"sanction_cost": 6.25, "security": 3}, points=150,
                         vary=["sanction_cost", "security"])
    command = html.unescape(re.search(r"Made with negsim [^:]+: (negsim report [^<]*)</p>", page).group(1))
    out = tmp_path / "again.html"
    args = shlex.split(command.replace("PAGE.html", str(out)))
    assert main(args[1:]) == 0
    assert out.read_text(encoding="utf-8") == page


def small_two_player(scenario: str) -> bool:
    # Sequential and incomplete-information scenarios become strategic forms with dozens of
    # strategies (seconds per solve); test_slow_games_are_refused_with_advice covers them.
    game = load_source(scenario).game
    return len(game.players) == 2 and int(np.prod(game.shape)) <= 40


@pytest.mark.parametrize("scenario", [s for s in builtin_ids() if small_two_player(s)])
def test_every_builtin_scenario_makes_a_page(scenario):
    source = load_source(scenario)
    page = render_report(source, points=120)
    data = read_page_data(page)
    assert data["nPoints"] <= 120
    base = int(np.ravel_multi_index([s["baseIndex"] for s in data["sliders"] if s["joint"]],
                                    data["gridShape"])) if data["gridShape"] else 0
    assert point_values(data, base) == pytest.approx(source.game.values())
    assert_point_matches_engine(source, data, base)
    assert_point_matches_engine(source, data, data["nPoints"] - 1)


def test_infeasible_profiles_are_shown_as_such():
    source = load_source(str(Path(__file__).parent / "data" / "scenarios" / "s400-mini.yaml"))
    page = render_report(source, points=60)
    data = read_page_data(page)
    matrix = re.search(r'<div id="matrix">(.*?)</div>', page, re.S).group(1)
    assert data["infeasible"] is not None
    assert matrix.count('class="infeasible"') == data["infeasible"].count("1") >= 1
    assert_point_matches_engine(source, data, 0)


def test_slow_games_are_refused_with_advice(tmp_path, source, monkeypatch):
    # One solve "takes" 10 ms; the default scenario's 16 parameters need a 336-point search.
    monkeypatch.setattr(report_module, "_seconds_per_point", lambda game, base: 0.01)
    out = tmp_path / "report.html"
    with pytest.raises(InputError, match=r"0\.01 s to solve per point, so 4000 points would take about "
                                         r"43 s; use --points 664 or fewer$"):
        write_report(DEFAULT_SCENARIO, out, max_seconds=10)
    assert not out.exists()
    with pytest.raises(InputError, match=r"use --vary NAME .* and --points 100 or fewer$"):
        render_report(source, max_seconds=1)
    with pytest.raises(InputError, match="at least 49 points .* too many for this game"):
        render_report(source, max_seconds=0.1)
    assert "This page holds" in render_report(source, points=200, max_seconds=100)


# -- one language with the rest of negsim ------------------------------------------------------


def test_names_in_backticks_are_set_as_code(page):
    for part in ("background", "interpretation", "parameters"):
        section = re.search(rf'<section id="{part}">(.*?)</section>', page, re.S).group(1)
        assert "`" not in section, part
    background = re.search(r'<section id="background">(.*?)</section>', page, re.S).group(1)
    assert "(<code>escalation_cost</code>)" in background
    assert "<code>autonomy</code> is positive" in page


def test_points_carry_the_sweep_tables_labels(source):
    from negsim.sweep.engine import solve_sets
    from negsim.sweep.explorer import solve_plan
    from negsim.sweep.table import Labels

    game = source.game
    plan = plan_sweep(game, game.values(), points=120)
    solved = solve_plan(game, plan)
    sets, _ = solve_sets(game, Labels.of(game), plan.columns(), "auto")
    assert solved.point_sets.tolist() == sets.tolist()


def test_chart_names_and_palette_are_the_figures(data, source):
    import negsim
    from negsim.plot.inline import run_data_of
    from negsim.plot.style import PALETTE, PLAYER_COLOURS

    figures = data["figures"]
    assert figures["palette"] == list(PALETTE) and figures["players"] == list(PLAYER_COLOURS)
    slider = next(s for s in data["sliders"] if s["name"] == "sanction_cost")
    names = run_data_of(negsim.sweep_over(source, {"sanction_cost": slider["values"]}))
    along = {o for o in names.columns["outcome"] if o}
    assert along <= set(figures["outcomes"])
    assert {o: figures["outcomes"][o] for o in along} == {o: names.outcome_label(o) for o in along}


def _stability_rows(page: str) -> dict[int, tuple[str, list[str]]]:
    """The page's stability table: state -> (Y/N text, per concept the marks and whether shaded)."""
    section = page[page.index('<section id="stability">'):]
    section = section[:section.index("</section>")]
    rows = {}
    for match in re.finditer(r"<tr[^>]*><th scope=\"row\"[^>]*>(\d+)(.*?)</tr>", section, re.S):
        yn = "".join(re.findall(r'<td class="yn">([YN])</td>', match.group(2)))
        marks = [("eq " if "eq" in cls else "") + re.sub(r"<[^>]+>", "", cell)
                 for cls, cell in re.findall(r'<td class="marks([^"]*)">(.*?)</td>', match.group(2))]
        rows[int(match.group(1))] = (yn, marks)
    return rows


@pytest.mark.parametrize("scenario", ["s400-options-2017-2019", "elmira", "prisoners-dilemma-options"])
def test_option_form_pages_show_the_stability_table_of_negsim_conflict(scenario):
    source = load_source(scenario)
    page = render_report(source, points=60)
    conflict = source.conflict_at()
    analysis = analyze(conflict, BASIC_CONCEPTS)
    rows = _stability_rows(page)
    assert sorted(rows) == sorted(conflict.states)
    for state, (yn, marks) in rows.items():
        assert yn == conflict.yn(state)
        for concept, shown in zip(BASIC_CONCEPTS, marks, strict=True):
            expected = "".join("✓" if analysis.stable(concept, d, state) else "·" for d in conflict.dm_ids)
            equilibrium = state in analysis.equilibria(concept)
            assert shown == ("eq " if equilibrium else "") + expected, (state, concept)
    # Each option is described with its source, as strategies are for other scenarios.
    for player in source.scenario.players.values():
        for option in player.options.values():
            assert html.escape(option.name or "", quote=False) in page
    assert '<a href="#stability">' in page


def test_strategy_pages_have_no_stability_section(page):
    assert 'id="stability"' not in page
