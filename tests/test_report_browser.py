"""The report page in a real headless Chromium (Debian's), driven by Playwright.

The session installs Chromium with apt-get when it is missing and the tests run as root;
otherwise they fail with a message saying what to install. Playwright only drives the browser
(``executable_path``); it never downloads one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest

from negsim.compile.source import DEFAULT_SCENARIO, load_source
from negsim.render.report import format_number, read_page_data, write_report
from negsim.solve import solve
from negsim.solve.welfare import best_responses

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
POINTS = 600


def _install_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) "
                    "or run the tests as root so that they install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    if not CHROMIUM.exists():
        pytest.fail(f"apt-get installed chromium but {CHROMIUM} is still missing")


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    _install_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright for Python: pip install playwright "
                    "(its own browser download is not needed)")
    with sync_playwright() as playwright:
        # A persistent context is how Playwright takes a fresh --user-data-dir.
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900})
        yield context
        context.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(DEFAULT_SCENARIO, path, points=POINTS)
    return path


@pytest.fixture(scope="module")
def source():
    return load_source(DEFAULT_SCENARIO)


@pytest.fixture
def opened(browser_context, report):
    """The page, loaded from its file, with every console message, page error and request."""
    page = browser_context.new_page()
    seen = {"console": [], "errors": [], "requests": []}
    page.on("console", lambda m: seen["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def record(route):
        seen["requests"].append(route.request.url)
        # Only the page itself may be fetched; anything else is refused (and recorded).
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", record)
    page.goto(report.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=10_000)
    yield page, seen
    page.close()


def shown_equilibria(page) -> list[tuple[list[float], list[float]]]:
    items = page.locator("#equilibria li.equilibrium")
    return [(json.loads(items.nth(k).get_attribute("data-profile")),
             json.loads(items.nth(k).get_attribute("data-payoffs"))) for k in range(items.count())]


def assert_page_shows_engine(page, source) -> None:
    """The equilibria, matrix and point on screen are exactly what negsim computes there."""
    values = json.loads(page.locator("#point").get_attribute("data-values"))
    game = source.at(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(game)
    shown = shown_equilibria(page)
    assert len(shown) == len(solution.equilibria), values
    for (profile, payoffs), e in zip(shown, solution.equilibria):
        assert np.allclose(profile, np.concatenate(e.strategies), atol=1e-8), values
        assert np.allclose(payoffs, e.payoffs, atol=1e-8), values
    text = page.locator("#equilibria").inner_text()
    for e in solution.equilibria:
        for i, support in enumerate(e.support):
            for k in support:
                assert game.strategy_names[i][k] in text
        for value in e.payoffs:
            assert format_number(value) in text
    cells = page.locator("#matrix td")
    assert cells.count() == game.n_profiles
    best = best_responses(game)
    for flat in range(game.n_profiles):
        profile = np.unravel_index(flat, game.shape)
        spans = cells.nth(flat).locator("span.pay")
        assert [spans.nth(i).inner_text() for i in range(2)] == [
            format_number(game.payoffs[(i, *profile)]) for i in range(2)]
        assert ["best" in spans.nth(i).get_attribute("class") for i in range(2)] == [
            bool(best[(i, *profile)]) for i in range(2)]
    pure = {e.pure_profile() for e in solution.equilibria if e.pure_profile() is not None}
    shaded = {tuple(int(k) for k in np.unravel_index(flat, game.shape)) for flat in range(game.n_profiles)
              if "eq" in (cells.nth(flat).get_attribute("class") or "")}
    assert shaded == pure


def move_slider(page, name: str, index: int) -> None:
    """Move a slider as a person does with the keyboard: focus it, press the arrow keys."""
    slider = page.locator(f"#slider-{name}")
    slider.scroll_into_view_if_needed()
    now = int(slider.input_value())
    slider.focus()
    key = "ArrowRight" if index > now else "ArrowLeft"
    for _ in range(abs(index - now)):
        slider.press(key)
    assert int(slider.input_value()) == index


def test_loads_without_errors_or_requests(opened, report):
    page, seen = opened
    assert seen["errors"] == []
    assert [m for m in seen["console"] if m[0] in ("error", "warning")] == []
    assert seen["requests"] == [report.as_uri()]
    assert page.title().startswith("Turkey-US S-400 dispute")
    assert page.locator("#story").is_visible()


def test_base_point_is_the_engine_default(opened, source):
    page, _ = opened
    assert "the base point" in page.locator("#point").inner_text()
    assert json.loads(page.locator("#point").get_attribute("data-values")) == pytest.approx(
        source.game.values())
    assert_page_shows_engine(page, source)


def test_script_draws_what_the_file_holds(opened, report):
    # The file carries the base point drawn by Python; the script redraws it on load. Both
    # must be the same markup, or the printed/no-script page would differ from the live one.
    page, _ = opened
    text = report.read_text(encoding="utf-8")
    for part in ("matrix", "equilibria"):
        static = re.search(rf'<div id="{part}">(.*?)</div>', text, re.S).group(1)
        normalised = page.evaluate(
            "html => { const d = document.createElement('div'); d.innerHTML = html; return d.innerHTML; }",
            static)
        assert page.locator(f"#{part}").inner_html() == normalised


def test_moving_sliders_shows_the_engines_equilibria(opened, source, report):
    page, seen = opened
    data = read_page_data(report.read_text(encoding="utf-8"))
    slider = next(s for s in data["sliders"] if s["name"] == "sanction_cost")
    before = shown_equilibria(page)
    labels = set()
    # Every value of sanction_cost: the regimes from full activation to the US deal.
    for index in range(len(slider["values"]) - 1, -1, -1):
        move_slider(page, "sanction_cost", index)
        values = json.loads(page.locator("#point").get_attribute("data-values"))
        assert values["sanction_cost"] == slider["values"][index]
        point_text = page.locator("#point").inner_text()
        if index != slider["baseIndex"]:
            assert f"sanction_cost = {format_number(slider['values'][index])}" in point_text
        assert_page_shows_engine(page, source)
        labels.add(page.locator("#equilibria").inner_text())
    assert len(labels) >= 3, "the equilibria should change along sanction_cost"
    # A second grid slider moves together with the first.
    move_slider(page, "sanction_cost", 1)
    other = next(s for s in data["sliders"] if s["joint"] and s["name"] != "sanction_cost")
    move_slider(page, other["name"], len(other["values"]) - 1)
    values = json.loads(page.locator("#point").get_attribute("data-values"))
    assert values["sanction_cost"] == slider["values"][1]
    assert values[other["name"]] == other["values"][-1]
    assert_page_shows_engine(page, source)
    # A one-at-a-time slider puts the grid sliders back at base.
    page.locator("details.more summary").click()
    line = next(s for s in data["sliders"] if not s["joint"] and s["name"] == "tightening")
    move_slider(page, "tightening", len(line["values"]) - 1)
    values = json.loads(page.locator("#point").get_attribute("data-values"))
    assert values["tightening"] == line["values"][-1]
    assert values["sanction_cost"] == data["base"]["sanction_cost"]
    assert_page_shows_engine(page, source)
    page.locator("#reset").click()
    assert "the base point" in page.locator("#point").inner_text()
    assert shown_equilibria(page) == before
    assert seen["errors"] == [] and [m for m in seen["console"] if m[0] == "error"] == []


def chart_matches_engine(page, source) -> str:
    """The chart's band names, at every value of its slider, the engine's equilibria there."""
    parameter = page.locator("#chart").get_attribute("data-parameter")
    shown = json.loads(page.locator("#point").get_attribute("data-values"))
    cells = page.locator("#chart rect.regime")
    assert cells.count() >= 3
    for k in range(cells.count()):
        value = float(cells.nth(k).get_attribute("data-value"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            solution = solve(source.at({**shown, parameter: value}))
        expected = " | ".join(e.label(solution.game) for e in solution.equilibria)
        assert cells.nth(k).get_attribute("data-set") == expected, (parameter, value)
    return parameter


def test_chart_follows_the_last_slider(opened, source, report):
    page, seen = opened
    data = read_page_data(report.read_text(encoding="utf-8"))
    joint = [s for s in data["sliders"] if s["joint"]]
    assert chart_matches_engine(page, source) == joint[0]["name"]
    # Along the first grid slider, with a second grid slider moved: the slice follows the point.
    move_slider(page, joint[1]["name"], 0)
    assert chart_matches_engine(page, source) == joint[1]["name"]
    page.locator("details.more summary").click()
    move_slider(page, "security", 0)
    assert chart_matches_engine(page, source) == "security"
    assert seen["errors"] == []


def test_answers_reveal_on_click(opened, source):
    page, _ = opened
    question = page.locator("#q1")
    answer = question.locator(".answer")
    assert not answer.is_visible()
    question.locator("summary").click()
    assert answer.is_visible()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(source.at())
    game = solution.game
    text = answer.inner_text()
    for e in solution.equilibria:
        for i, support in enumerate(e.support):
            assert all(game.strategy_names[i][k] in text for k in support)
    for k in range(2, page.locator("details.qa").count() + 1):
        assert not page.locator(f"#q{k} .answer").is_visible()


def test_print_hides_the_controls(opened):
    page, _ = opened
    page.emulate_media(media="print")
    assert not page.locator(".controls").is_visible()
    assert page.locator("#matrix").is_visible()
    page.emulate_media(media="screen")


def test_screenshot(opened, report):
    # At sanction_cost 6 two equilibria coexist: a telling picture of the page at work.
    page, seen = opened
    slider = next(s for s in read_page_data(report.read_text(encoding="utf-8"))["sliders"]
                  if s["name"] == "sanction_cost")
    move_slider(page, "sanction_cost", int(np.argmin(np.abs(np.array(slider["values"]) - 6))))
    page.locator("#q1 summary").click()
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "report.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    assert seen["errors"] == []


def test_chart_colours_and_names_are_those_of_the_sweep_figure(opened, report):
    # The chart along sanction_cost at the base point and the figure `negsim plot` draws for a
    # sweep over the same values (equilibria.png) give every outcome one colour and one name.
    from matplotlib.colors import to_hex

    import negsim

    page, seen = opened
    data = read_page_data(report.read_text(encoding="utf-8"))
    slider = next(s for s in data["sliders"] if s["name"] == "sanction_cost")
    assert page.locator("#chart").get_attribute("data-parameter") == "sanction_cost"
    items = page.locator("#chart li.band")
    shown = [(items.nth(k).get_attribute("data-outcome"), items.nth(k).get_attribute("data-colour"),
              items.nth(k).inner_text().strip().removesuffix(" (thin mark: at one value of the grid only)"),
              "single" in items.nth(k).get_attribute("class")) for k in range(items.count())]
    cells = page.locator("#chart rect.regime")
    fills = {(cells.nth(k).get_attribute("data-outcome"), cells.nth(k).get_attribute("fill"))
             for k in range(cells.count())}
    assert fills == {(outcome, colour) for outcome, colour, _, _ in shown}

    swept = negsim.sweep_over(DEFAULT_SCENARIO, {"sanction_cost": slider["values"]})
    figure = swept.figures()["equilibria"]
    ax = figure.axes[0]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()][::-1]   # top first
    colours: dict[int, set] = {}
    for patch in ax.patches:
        row = len(labels) - 1 - round(patch.get_y() + patch.get_height() / 2)
        colours.setdefault(row, set()).add(to_hex(patch.get_facecolor()).upper())

    def same(name: str, label: str) -> bool:
        # The figure cuts a name that needs more than three lines; the page has room for it.
        return name == label or (label.endswith("\u2026") and name.startswith(label[:-1]))

    # Every band of the figure is on the page, in the same order, named and coloured alike.
    k = 0
    matched = []
    for row, label in enumerate(labels):
        while not same(shown[k][2], label):
            k += 1
        assert {shown[k][1].upper()} == colours[row], (label, shown[k])
        matched.append(k)
        k += 1
    assert len(matched) == len(labels) >= 4
    # The page's other rows are outcomes the figure leaves out as holding only exactly at a
    # tipping point: each is at one value of the page's grid.
    others = [row for k, row in enumerate(shown) if k not in matched]
    assert all(single for _, _, _, single in others)
    note = figure.legends[0].get_title().get_text()
    if others:
        assert f"{len(others)} more hold only exactly at a tipping point" in note
    else:
        assert "exactly at a tipping point" not in note
    assert seen["errors"] == []
