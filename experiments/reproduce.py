"""Rerun the experiments: sweep every spec, draw the figures, write the numbers.

From the repository root, after ``pip install -e .``::

    python experiments/reproduce.py                    # all of them
    python experiments/reproduce.py 03-buy-but-never-use
    python experiments/reproduce.py --check            # rerun and compare with findings.json

Each experiment folder gets its figures in ``figures/`` and the numbers its README quotes in
``findings.json``; the run folders go to ``--runs-dir`` (default ``runs/experiments``, not
committed). ``--check`` writes nothing into the experiment folders: it reruns the sweeps and
reports every number that differs from the committed ``findings.json`` (exit code 1).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from negsim.plot import draw_run, load_run
from negsim.plot.compare import draw_comparison
from negsim.plot.montecarlo import draw_drivers, outcome_by_bins, outcome_shares, wilson_interval
from negsim.plot.runs import RunData
from negsim.plot.stability import draw_state_regions
from negsim.plot.style import save_figure
from negsim.sweep import parse_sweep_spec, run_sweep

HERE = Path(__file__).resolve().parent
#: SVG copies are committed only when smaller than this (region maps are large as SVG).
SVG_LIMIT = 400_000
#: Significant digits kept in findings.json: enough for the README, robust to the last bits
#: of floating point on other machines.
DIGITS = 6


@dataclass
class Experiment:
    specs: dict[str, str]                  # short name -> spec file in the experiment's folder
    figures: dict[str, list[str]]          # short name -> figures of that run to publish
    summarise: Callable[[dict[str, RunData]], dict]
    extra: Callable[[dict[str, RunData]], dict] = field(default=lambda runs: {})  # more figures


# -- reading numbers out of runs --------------------------------------------------------------------


def _round(value):
    if isinstance(value, float):
        if value == 0 or not math.isfinite(value):
            return value
        return round(value, DIGITS - 1 - int(math.floor(math.log10(abs(value)))))
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return value


def tipping(data: RunData, parameter: str | None = None, line: dict | None = None) -> list[dict]:
    """Tipping points (value, from, to, sentence) along one line of a run."""
    found = []
    for t in data.tipping_points:
        if parameter and t["parameter"] != parameter:
            continue
        if line is not None and any(abs(t["line"].get(k, math.nan) - v) > 1e-9 for k, v in line.items()):
            continue
        found.append({"parameter": t["parameter"], "value": t["value"], "from": t["from"], "to": t["to"],
                      "sentence": t["sentence"]})
    return sorted(found, key=lambda t: t["value"])


def shares(data: RunData, top: int = 8) -> list[dict]:
    """The most frequent equilibrium sets with their share of points."""
    return [{"set": o["equilibrium_set"], "points": o["points"], "share": o["share"]}
            for o in data.manifest["outcomes"][:top]]


def set_at(data: RunData, **values: float) -> str:
    """The equilibrium set at the grid point with these parameter values."""
    import numpy as np

    mask = np.ones(len(data.columns["point"]), dtype=bool)
    for name, value in values.items():
        mask &= np.isclose(data.values(name), value)
    found = set(data.columns["equilibrium_set"][mask])
    if len(found) != 1:
        raise ValueError(f"no single grid point at {values}: {found}")
    return found.pop()


def payoffs_at(data: RunData, **values: float) -> list[dict]:
    import numpy as np

    mask = np.ones(len(data.columns["point"]), dtype=bool)
    for name, value in values.items():
        mask &= np.isclose(data.values(name), value)
    return [{"outcome": data.columns["outcome"][k],
             **{f"payoff_{p}": float(data.columns[f"payoff.{p}"][k]) for p in data.players}}
            for k in np.flatnonzero(mask)]


# -- the experiments -----------------------------------------------------------------------------


def summarise_01(runs: dict[str, RunData]) -> dict:
    one, two = runs["sanction-cost"], runs["by-security"]
    by_security = {}
    for security in (2.0, 4.0, 5.0, 6.0, 8.0):
        by_security[f"security={security:g}"] = [
            {"value": t["value"], "from": t["from"], "to": t["to"]}
            for t in tipping(two, "sanction_cost", {"security": security})]
    return {"tipping_points": tipping(one), "equilibrium_at_default": set_at(one, sanction_cost=4.0),
            "shares": shares(one), "by_security": by_security, "region_shares": shares(two)}


def summarise_02(runs: dict[str, RunData]) -> dict:
    price, grid = runs["price"], runs["price-by-value"]
    lines = {}
    for value in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0):
        lines[f"patriot_value={value:g}"] = [
            {"value": t["value"], "from": t["from"], "to": t["to"]}
            for t in tipping(grid, "patriot_price", {"patriot_value": value})]
    # The margin value - price at which, as the price rises, the co-purchase stops being an
    # equilibrium, and stops being the only one, on every line of the grid.
    stops, alone = [], []
    for t in grid.tipping_points:
        if t["parameter"] != "patriot_price":
            continue
        margin = t["line"]["patriot_value"] - t["value"]
        before, after = t["from"].split(" | "), t["to"].split(" | ")
        if "patriot / incentives" in before and "patriot / incentives" not in after:
            stops.append(margin)
        if t["from"] == "patriot / incentives":
            alone.append(margin)
    return {"tipping_points_along_price": tipping(price), "region_shares": shares(grid),
            "tipping_points_by_value": lines,
            "margin_where_co_purchase_stops_being_an_equilibrium": {
                "lines": len(stops), "min": min(stops), "max": max(stops)},
            "margin_where_co_purchase_stops_being_the_only_equilibrium": {
                "lines": len(alone), "min": min(alone), "max": max(alone)}}


def summarise_03(runs: dict[str, RunData]) -> dict:
    grid = runs["autonomy-by-sanction-cost"]
    lines = {}
    gaps = []
    for t in grid.tipping_points:
        if t["parameter"] != "sanction_cost":
            continue
        a = t["line"]["autonomy"]
        if "store / offer" in t["to"] and "store / offer" not in t["from"]:
            gaps.append(t["value"] - a)
    for autonomy in (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0):
        lines[f"autonomy={autonomy:g}"] = [
            {"value": t["value"], "from": t["from"], "to": t["to"]}
            for t in tipping(grid, "sanction_cost", {"autonomy": autonomy})]
    return {"region_shares": shares(grid),
            "equilibrium_at_default": set_at(grid, autonomy=3.0, sanction_cost=6.0),
            "payoffs_at_default": payoffs_at(grid, autonomy=3.0, sanction_cost=6.0),
            "tipping_points_by_autonomy": lines,
            "sanction_cost_minus_autonomy_where_storage_becomes_an_equilibrium": {
                "lines": len(gaps), "min": min(gaps), "max": max(gaps)}}


def summarise_04(runs: dict[str, RunData]) -> dict:
    linked, unlinked, share = runs["linked"], runs["unlinked"], runs["linkage-share"]
    by_support = {}
    for support in (1.0, 2.0, 4.0, 6.0):
        by_support[f"idlib_support_value={support:g}"] = [
            {"value": t["value"], "from": t["from"], "to": t["to"]}
            for t in tipping(share, "idlib_linkage", {"idlib_support_value": support})]
    return {
        "linked": {"tipping_points": tipping(linked), "shares": shares(linked),
                   "at_default": payoffs_at(linked, idlib_support_value=2.0)},
        "unlinked": {"tipping_points": tipping(unlinked), "shares": shares(unlinked),
                     "at_default": payoffs_at(unlinked, idlib_support_value=2.0)},
        "linkage_share": {"region_shares": shares(share), "tipping_points_by_support": by_support},
    }


def summarise_05(runs: dict[str, RunData]) -> dict:
    mc, oat = runs["monte-carlo"], runs["one-at-a-time"]
    n = mc.n_points
    sets = []
    for o in shares(mc, top=10):
        lo, hi = wilson_interval(o["points"], n)
        sets.append({**o, "ci95": [lo, hi]})
    outcomes = []
    for outcome, count in outcome_shares(mc)[:10]:
        lo, hi = wilson_interval(count, n)
        outcomes.append({"outcome": outcome, "points": count, "share": count / n, "ci95": [lo, hi]})
    drivers = {}
    for outcome in ("limited / keep", "full / keep", "patriot / incentives"):
        spread = []
        for p in mc.swept:
            bins = outcome_by_bins(mc, outcome, p)
            spread.append({"parameter": p, "lowest_fifth": float(bins[0]), "highest_fifth": float(bins[-1]),
                           "range": float(bins.max() - bins.min())})
        drivers[outcome] = sorted(spread, key=lambda r: -r["range"])[:6]
    ranking = [{"rank": r["rank"], "parameter": r["parameter"], "swing": r["swing"],
                "outcome_changes": r["outcome_changes"], "tipping_values": r["tipping_values"]}
               for r in sorted(oat.sensitivity, key=lambda r: r["rank"])]
    unmoved = [r["parameter"] for r in oat.sensitivity if r["outcome_changes"] == 0]
    return {"draws": n, "seed": mc.manifest["seed"], "sets": sets, "outcomes": outcomes,
            "distinct_sets": len(mc.manifest["outcomes"]), "drivers": drivers,
            "one_at_a_time": ranking, "never_change_the_equilibria_alone": sorted(unmoved)}


def summarise_08(runs: dict[str, RunData]) -> dict:
    import numpy as np

    data = runs["dynamics"]
    x = np.asarray(data.values("sanction_cost"), dtype=float)
    order = np.argsort(x)
    results = ("best_response.status_quo", "fictitious_play.uniform", "fictitious_play.status_quo",
               "replicator.uniform", "qre.limit")

    def at(value: float) -> dict:
        k = int(np.flatnonzero(np.isclose(x, value))[0])
        return {"nash": data.columns["nash"][k], **{r: data.columns[r][k] for r in results}}

    def stretches(column: str) -> list[dict]:
        """The grid's runs of one label: from the first to the last value where it holds."""
        out: list[dict] = []
        for k in order:
            label = data.columns[column][k]
            if out and out[-1]["reaches"] == label:
                out[-1]["to"] = float(x[k])
            else:
                out.append({"reaches": label, "from": float(x[k]), "to": float(x[k])})
        return out

    shares = {}
    for value in (4.0, 5.5, 6.0, 6.5, 7.0, 8.0):
        k = int(np.flatnonzero(np.isclose(x, value))[0])
        shares[f"sanction_cost={value:g}"] = {
            name.removeprefix("basin."): float(data.columns[name][k])
            for name in data.columns if name.startswith("basin.") and float(data.columns[name][k]) > 0}
    return {"tipping_points": tipping(data), "at_default": at(4.0), "at_6": at(6.0),
            "stretches": {r: stretches(r) for r in results}, "basin_shares": shares,
            "samples": data.manifest["dynamics"]["settings"]["basins"]}


#: Limited activation with the US incentives: keep (1) + limited (2) + incentives (16).
LIMITED_INCENTIVES = 19


def stable_share(data: RunData, state: int) -> float:
    """The share of a run's points where ``state`` is an equilibrium."""
    import numpy as np

    points = data.columns["point"]
    return len(np.unique(points[data.columns["state"] == state])) / data.n_points


def stable_grid(data: RunData, state: int, x: str, y: str) -> dict:
    """Where ``state`` is an equilibrium on a two-parameter grid: {(x, y): bool}."""
    import numpy as np

    point = data.columns["point"]
    first = np.unique(point, return_index=True)[1]
    xs, ys = data.values(x)[first], data.values(y)[first]
    stable = set(point[data.columns["state"] == state].tolist())
    return {(float(a), float(b)): int(p) in stable for p, a, b in zip(point[first].tolist(), xs, ys)}


def state_tipping(data: RunData, state: int, parameter: str | None = None) -> list[dict]:
    found = []
    for t in data.tipping_points:
        if parameter and t["parameter"] != parameter:
            continue
        if state in t.get("states_appeared", []) or state in t.get("states_disappeared", []):
            found.append({"parameter": t["parameter"], "value": t["value"], "line": t["line"],
                          "starts": state in t["states_appeared"], "sentence": t["sentence"]})
    return sorted(found, key=lambda t: (sorted(t["line"].items()), t["value"]))


def summarise_06(runs: dict[str, RunData]) -> dict:
    one, values = runs["incentive-cost"], runs["security-by-incentives"]
    costs = runs["security-by-incentive-cost"]
    s = LIMITED_INCENTIVES
    # The closed form (derived by hand in tests/test_conflict_s400.py), the other parameters at
    # their defaults: extra = security * (1 - limited_share); Turkey's step up to full use is
    # deterred when extra <= incentive_value (withdrawing the incentives is a US improvement
    # when they cost it anything), or extra <= incentive_value + sanction_cost when the
    # incentives cost the US more than sanctions (1); the US's withdrawal is deterred when
    # incentive_cost <= radar_risk * (1 - limited_risk) = 4.
    def closed_form(security, value, cost):
        extra, tol = security * 0.4, 1e-9
        turkey = (extra <= tol or (cost > tol and extra <= value + tol)
                  or (cost > 1 + tol and extra <= value + 4 + tol))
        us = cost <= tol or (extra > tol and cost <= 4 + tol)
        return turkey and us

    by_value = stable_grid(values, s, "security", "incentive_value")
    by_cost = stable_grid(costs, s, "security", "incentive_cost")
    agree_value = sum(v == closed_form(a, b, 1.0) for (a, b), v in by_value.items()) / len(by_value)
    agree_cost = sum(v == closed_form(a, 2.0, b) for (a, b), v in by_cost.items()) / len(by_cost)
    thresholds = {}
    for security in (1.0, 2.5, 5.0, 7.5, 10.0):
        hits = [t for t in state_tipping(values, s, "incentive_value")
                if t["line"].get("security") == security]
        thresholds[f"security={security:g}"] = [{"value": t["value"], "starts": t["starts"]} for t in hits]
    return {
        "state": {"code": s, "outcome": "keep&limited / incentives"},
        "along_incentive_cost": {"tipping_points": state_tipping(one, s),
                                 "stable_at_default":
                                     "keep&limited / incentives" in set_at(one, incentive_cost=1.0),
                                 "share": stable_share(one, s)},
        "security_by_incentive_value": {"share": stable_share(values, s),
                                        "agrees_with_closed_form": agree_value,
                                        "incentive_value_where_it_becomes_stable": thresholds},
        "security_by_incentive_cost": {"share": stable_share(costs, s),
                                       "agrees_with_closed_form": agree_cost},
        "equilibrium_sets_along_incentive_cost": shares(one, top=6),
    }


def extra_06(runs: dict[str, RunData]) -> dict:
    s = LIMITED_INCENTIVES
    return {
        "limited-activation-by-security-and-incentive-value":
            draw_state_regions(runs["security-by-incentives"], "security", "incentive_value", states=[s]),
        "limited-activation-by-security-and-incentive-cost":
            draw_state_regions(runs["security-by-incentive-cost"], "security", "incentive_cost", states=[s]),
    }


def extra_04(runs: dict[str, RunData]) -> dict:
    return {"comparison": draw_comparison(
        [runs["linked"], runs["unlinked"]],
        ["Linkage on: support only if Turkey returns the S-400s (s400-2020-idlib-standoff)",
         "Linkage off: support whatever Turkey does (s400-2020-idlib-no-linkage)"])}


def extra_05(runs: dict[str, RunData]) -> dict:
    # The scenario's prediction at its defaults first, then the two most frequent rivals.
    present = {o for o, _ in outcome_shares(runs["monte-carlo"])}
    wanted = [o for o in ("limited / keep", "full / keep", "patriot / incentives") if o in present]
    return {"monte-carlo-drivers-of-the-prediction": draw_drivers(runs["monte-carlo"], wanted or None)}


def column_at(data: RunData, column: str, **values: float) -> float | None:
    """A column's value at the grid point with these parameter values (``None`` if empty)."""
    import numpy as np

    mask = np.ones(len(data.columns["point"]), dtype=bool)
    for name, value in values.items():
        mask &= np.isclose(data.values(name), value)
    (k,) = np.flatnonzero(mask)
    value = data.columns[column][k]
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def summarise_07(runs: dict[str, RunData]) -> dict:
    from negsim.compile import load_source

    source = load_source("s400-2025-limited-use")
    at_defaults = {}
    for agreements in ("pure", "lotteries", "transfers"):
        result = source.bargain(agreements=agreements)
        nash = result.solutions["nash"]
        at_defaults[agreements] = {"agreement": nash.how(result.names),
                                   "payoffs": [str(v) for v in nash.payoffs]}
    declared = source.bargain()
    play = source.repeated()
    thresholds = {}
    for cost in (0.0, 2.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        data = runs["sanction-cost"]
        thresholds[f"sanction_cost={cost:g}"] = {
            "verdict": set_at(data, sanction_cost=cost),
            "scheme": data.columns["scheme"][int(np.flatnonzero(np.isclose(data.values("sanction_cost"),
                                                                          cost))[0])],
            "turkey": column_at(data, "delta.turkey", sanction_cost=cost),
            "us": column_at(data, "delta.us", sanction_cost=cost)}
    return {
        "nash_from_the_status_quo": at_defaults,
        "alternating_offers": declared.offers_sentence(),
        "alternating_offers_agreement": declared.offers_agreement.how(declared.names),
        "status_quo_tipping_points": tipping(runs["status-quo"]),
        "stand_off_tipping_points": tipping(runs["stand-off"]),
        "cooperation": {s.label: {"sentence": s.sentence(), "at_declared_discount": play.verdict(s)}
                        for s in play.cooperation},
        "us_patience_tipping_points": tipping(runs["us-patience"]),
        "thresholds_by_sanction_cost": thresholds,
        "sanction_cost_tipping_points": tipping(runs["sanction-cost"]),
        "storage_with_a_waiver": shares(runs["waiver"]),
    }


def extra_07(runs: dict[str, RunData]) -> dict:
    from negsim.compile import load_source
    from negsim.plot.bargaining import draw_offers, draw_payoff_set
    from negsim.plot.repeated import draw_folk_region
    from negsim.repeated.analysis import RepeatedAnalysis

    source = load_source("s400-2025-limited-use")
    lotteries = source.bargain(agreements="lotteries")
    declared = source.bargain()
    play = source.repeated()
    package = play.cooperation[1]
    analysis = RepeatedAnalysis(play.game, play.punishments, play.folk, play.outcomes, package,
                                play.finite[1])
    title = "Where will they settle? The 2025 dispute, from the status quo"
    return {
        "payoff-set-lotteries": draw_payoff_set(lotteries.problem, lotteries.solutions.agreements,
                                                title=f"{title}, lotteries allowed"),
        "payoff-set-side-payments": draw_payoff_set(declared.problem, declared.agreements,
                                                    title=f"{title}, side payments allowed"),
        "alternating-offers": draw_offers(declared),
        "folk-region": draw_folk_region(analysis, title="Which outcomes can last in repeated play? (2025)"),
    }


EXPERIMENTS: dict[str, Experiment] = {
    "01-sanction-threshold": Experiment(
        specs={"sanction-cost": "spec.yaml", "by-security": "security.yaml"},
        figures={"sanction-cost": ["equilibria", "payoffs", "mixed-strategies"], "by-security": ["regions"]},
        summarise=summarise_01),
    "02-patriot-co-purchase": Experiment(
        specs={"price-by-value": "spec.yaml", "price": "price.yaml"},
        figures={"price-by-value": ["regions"], "price": ["equilibria", "payoffs"]},
        summarise=summarise_02),
    "03-buy-but-never-use": Experiment(
        specs={"autonomy-by-sanction-cost": "spec.yaml"},
        figures={"autonomy-by-sanction-cost": ["regions"]},
        summarise=summarise_03),
    "04-idlib-linkage": Experiment(
        specs={"linked": "linked.yaml", "unlinked": "unlinked.yaml", "linkage-share": "linkage-share.yaml"},
        figures={"linked": ["payoffs"], "linkage-share": ["regions"]},
        summarise=summarise_04, extra=extra_04),
    "05-robustness": Experiment(
        specs={"monte-carlo": "monte-carlo.yaml", "one-at-a-time": "one-at-a-time.yaml"},
        figures={"monte-carlo": ["equilibrium-sets", "outcomes"],
                 "one-at-a-time": ["tornado", "outcome-strips"]},
        summarise=summarise_05, extra=extra_05),
    "06-limited-activation": Experiment(
        specs={"incentive-cost": "incentive-cost.yaml",
               "security-by-incentives": "security-by-incentives.yaml",
               "security-by-incentive-cost": "security-by-incentive-cost.yaml"},
        figures={"incentive-cost": ["equilibria"], "security-by-incentives": ["state-regions"]},
        summarise=summarise_06, extra=extra_06),
    "07-bargaining-and-repeated-play": Experiment(
        specs={"status-quo": "status-quo.yaml", "stand-off": "stand-off.yaml",
               "us-patience": "us-patience.yaml", "sanction-cost": "sanction-cost.yaml",
               "waiver": "waiver.yaml"},
        figures={"status-quo": ["equilibria", "payoffs"], "stand-off": ["equilibria", "payoffs"],
                 "us-patience": ["thresholds"], "sanction-cost": ["thresholds"]},
        summarise=summarise_07, extra=extra_07),
    "08-learning-dynamics": Experiment(
        specs={"dynamics": "spec.yaml"},
        figures={"dynamics": ["dynamics", "basins", "equilibria"]},
        summarise=summarise_08),
}


# -- running ------------------------------------------------------------------------------------------


def coarse(data: dict) -> dict:
    """The spec on a coarse grid (few points): for quick checks that it still runs."""
    data = json.loads(json.dumps(data))
    for axis in (data.get("grid") or {}).values():
        if "count" in axis:
            axis["count"] = min(axis["count"], 6)
        elif "step" in axis:
            axis["step"] = (axis["stop"] - axis["start"]) / 5
    if data.get("monte_carlo"):
        data["monte_carlo"]["draws"] = min(data["monte_carlo"]["draws"], 60)
    if data.get("one_at_a_time"):
        data["one_at_a_time"]["count"] = 5
    if (data.get("dynamics") or {}).get("basins") is not None:
        data["dynamics"]["basins"]["samples"] = min(data["dynamics"]["basins"].get("samples", 300), 20)
    return data


def load_spec(path: Path, *, quick: bool = False):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return parse_sweep_spec(coarse(data) if quick else data, file=str(path))


def run_experiment(name: str, runs_dir: Path, *, quick: bool = False, publish: bool = True,
                   workers: int = 1) -> dict:
    """Sweep, draw and summarise one experiment; with ``publish``, write its figures and
    findings.json into its folder. Returns the findings.

    ``quick`` runs every spec on a coarse grid and only draws the figures (nothing is saved);
    it returns the figures by name instead: a fast check that the experiment still works."""
    experiment = EXPERIMENTS[name]
    folder = HERE / name
    runs: dict[str, RunData] = {}
    for short, spec_file in experiment.specs.items():
        spec = load_spec(folder / spec_file, quick=quick)
        result = run_sweep(spec, runs_dir=runs_dir, workers=workers,
                           command=f"python experiments/reproduce.py {name}")
        runs[short] = load_run(result.folder)
        print(f"  {short}: {result.n_points:,} points -> {result.folder}")
    figures = {}
    for short, data in runs.items():
        drawn = draw_run(data)
        for figure_name in experiment.figures.get(short, []):
            figures[f"{short}-{figure_name}"] = drawn[figure_name]
    figures.update(experiment.extra(runs))
    if quick:
        return figures
    findings = _round(experiment.summarise(runs))
    target = folder / "figures" if publish else Path(tempfile.mkdtemp(dir=runs_dir))
    if publish:
        if target.exists():
            shutil.rmtree(target)
        target.mkdir()
    for stem, figure in figures.items():
        for path in save_figure(figure, target / stem, ["png", "svg"]):
            if path.suffix == ".svg" and path.stat().st_size > SVG_LIMIT and publish:
                path.unlink()
    if publish:
        manifest = {"experiment": name, "runs": {k: {"spec": experiment.specs[k], "points": d.n_points,
                                                     "negsim_version": d.manifest.get("negsim_version")}
                                                 for k, d in runs.items()},
                    "findings": findings}
        (folder / "findings.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    return findings


def compare(old, new, where: str = "") -> list[str]:
    """Every difference between committed and fresh findings (numbers to 1e-6 relative)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            if key not in old or key not in new:
                out.append(f"{where}.{key}: only in {'the new' if key in new else 'the committed'} findings")
            else:
                out += compare(old[key], new[key], f"{where}.{key}")
        return out
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{where}: {len(old)} items committed, {len(new)} now"]
        return [d for k, (a, b) in enumerate(zip(old, new)) for d in compare(a, b, f"{where}[{k}]")]
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        if math.isclose(old, new, rel_tol=1e-6, abs_tol=1e-9):
            return []
    elif old == new:
        return []
    return [f"{where}: committed {old!r}, now {new!r}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiments", nargs="*", metavar="EXPERIMENT",
                        help=f"experiment folders to rerun (default: all): {', '.join(EXPERIMENTS)}")
    parser.add_argument("--runs-dir", type=Path, default=Path("runs") / "experiments",
                        help="where the run folders go (default runs/experiments)")
    parser.add_argument("--check", action="store_true",
                        help="rerun and compare with the committed findings.json; write nothing else")
    parser.add_argument("--workers", type=int, default=1, help="processes per sweep")
    args = parser.parse_args(argv)
    unknown = [e for e in args.experiments if e not in EXPERIMENTS]
    if unknown:
        print(f"unknown experiment(s): {', '.join(unknown)}; known: {', '.join(EXPERIMENTS)}",
              file=sys.stderr)
        return 2
    args.runs_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    for name in args.experiments or list(EXPERIMENTS):
        print(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            findings = run_experiment(name, args.runs_dir, publish=not args.check, workers=args.workers)
        if args.check:
            committed = json.loads((HERE / name / "findings.json").read_text(encoding="utf-8"))["findings"]
            differences = compare(committed, json.loads(json.dumps(findings)), name)
            for line in differences:
                print(f"  differs: {line}")
            print("  findings reproduced" if not differences else f"  {len(differences)} differences")
            failed |= bool(differences)
        else:
            print(f"  figures and findings.json written to {HERE / name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
