"""Checks of a sweep spec against its scenario: parameter names exist, ranges lie within the
parameters' min..max (unless allowed), the method exists, the sweep is not too large."""

from __future__ import annotations

import math
from typing import Any

from negsim.errors import InputError, did_you_mean
from negsim.scenario.issues import Issue
from negsim.scenario.loader import sort_problems
from negsim.sequential.credibility import find_responses
from negsim.solve import METHODS
from negsim.sweep.analyses import ANALYSES
from negsim.sweep.points import axis_length
from negsim.sweep.spec import MAX_POINTS, Distribution, SweepSpec, equilibrium_concept
from negsim.sweep.spec_errors import located, short_number

__all__ = ["check_against_scenario", "located", "scenario_issues", "tree_issues"]


def check_against_scenario(spec: SweepSpec, game: Any, tree: Any = None, source: Any = None) -> None:
    """Parameter names exist, ranges lie within min..max (unless allowed), the method exists,
    the sweep is not too large; for game trees (``tree``, a
    :class:`~negsim.tree.ParametricTree`), the equilibrium and the responses asked about fit
    the tree; with ``source`` (the loaded scenario), the analysis kinds' own checks (e.g.
    ``stability`` needs an option-form conflict): an :class:`InputError` listing every problem."""
    issues = scenario_issues(spec, game) + tree_issues(spec, tree)
    if source is not None:
        for kind in ANALYSES.values():
            issues += kind.check(spec, source)
    if issues:
        file = spec._file
        raise InputError(sort_problems(located(i, spec._marks, file) for i in issues)
                         if file else [located(i, None, None) for i in issues])


def scenario_issues(spec: SweepSpec, game: Any) -> list[Issue]:

    issues: list[Issue] = []
    names = list(game.parameters)
    bounds = dict(game.bounds)

    def unknown(path: tuple, name: str) -> None:
        hint = did_you_mean(name, names) if names else " (the scenario has no parameters)"
        issues.append(Issue(path, f"unknown parameter {name!r}{hint}", key=name))

    def check_range(path: tuple, name: str, value: float) -> None:
        if spec.allow_outside_range:
            return
        low, high = bounds.get(name, (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            issues.append(Issue(path, f"{short_number(value)} is outside {name}'s range "
                                      f"{_range(low, high)} (add allow_outside_range: true to "
                                      "sweep beyond it)"))

    def needs_bounds(path: tuple, name: str, what: str) -> bool:
        low, high = bounds.get(name, (None, None))
        if low is None or high is None:
            issues.append(Issue(path, f"{name} has no min and max in the scenario; {what}"))
            return False
        return True

    if spec.method != "auto" and spec.method not in METHODS:
        issues.append(Issue(("method",), f"unknown method {spec.method!r}"
                                         f"{did_you_mean(spec.method, ['auto', *METHODS])}"))
    for name, value in spec.set.items():
        if name not in names:
            unknown(("set",), name)
        else:
            check_range(("set", name), name, value)
    swept: list[str] = []
    if spec.grid is not None:
        for name, axis in spec.grid.items():
            if name not in names:
                unknown(("grid",), name)
                continue
            swept.append(name)
            if axis.values is not None:
                for k, v in enumerate(axis.values):
                    check_range(("grid", name, "values", k), name, v)
            else:
                check_range(("grid", name, "start"), name, axis.start)
                check_range(("grid", name, "stop"), name, axis.stop)

        total = math.prod(axis_length(a) for a in spec.grid.values())
        if total > MAX_POINTS:
            issues.append(Issue(("grid",), f"{total:,} points; a sweep may have at most "
                                           f"{MAX_POINTS:,}"))
    elif spec.monte_carlo is not None:
        mc = spec.monte_carlo
        if mc.parameters == "all":
            for name in names:
                swept.append(name)
                needs_bounds(("monte_carlo", "parameters"), name,
                             "list the parameters to draw, each with low and high")
            if not names:
                issues.append(Issue(("monte_carlo", "parameters"),
                                    "the scenario has no parameters to draw"))
        else:
            for name, dist in mc.parameters.items():
                here = ("monte_carlo", "parameters", name)
                if name not in names:
                    unknown(("monte_carlo", "parameters"), name)
                    continue
                swept.append(name)
                issues += _distribution_issues(spec, here, name, dist, bounds, check_range)
    else:
        oat = spec.one_at_a_time
        chosen = names if oat.parameters == "all" else oat.parameters
        if oat.parameters == "all" and not names:
            issues.append(Issue(("one_at_a_time", "parameters"),
                                "the scenario has no parameters to move"))
        for k, name in enumerate(chosen):
            here = ("one_at_a_time", "parameters") if oat.parameters == "all" else \
                ("one_at_a_time", "parameters", k)
            if name not in names:
                issues.append(Issue(here, f"unknown parameter {name!r}{did_you_mean(name, names)}"))
                continue
            if name in swept:
                issues.append(Issue(here, f"{name} is listed twice"))
            swept.append(name)
            needs_bounds(here, name, "one-at-a-time ranges run from min to max")
        if len(chosen) * oat.count > MAX_POINTS:
            issues.append(Issue(("one_at_a_time",), f"{len(chosen) * oat.count:,} points; a "
                                                    f"sweep may have at most {MAX_POINTS:,}"))
    for name in spec.set:
        if name in swept:
            issues.append(Issue(("set",), f"{name} is both held fixed (set) and swept", key=name))
    return issues


def _distribution_issues(spec: SweepSpec, here: tuple, name: str, dist: Distribution,
                         bounds: dict, check_range: Any) -> list[Issue]:
    issues: list[Issue] = []
    low, high = bounds.get(name, (None, None))
    kind = dist.distribution
    if kind in ("uniform", "triangular"):
        for key, default in (("low", low), ("high", high)):
            given = getattr(dist, key)
            if given is None and default is None:
                issues.append(Issue(here, f"{name} has no {'min' if key == 'low' else 'max'} in "
                                          f"the scenario; give {key}"))
            elif given is not None:
                check_range((*here, key), name, given)
        lo = dist.low if dist.low is not None else low
        hi = dist.high if dist.high is not None else high
        if lo is not None and hi is not None and hi < lo:
            issues.append(Issue(here, f"high ({short_number(hi)}) is below low ({short_number(lo)})"))
        elif kind == "triangular" and lo is not None and hi is not None:
            mode = dist.mode
            if mode is not None and not lo <= mode <= hi:
                issues.append(Issue((*here, "mode"), f"mode must lie between low ({short_number(lo)}) "
                                                     f"and high ({short_number(hi)})"))
    elif kind == "normal":
        if dist.clip is False and not spec.allow_outside_range and (
                low is not None or high is not None):
            issues.append(Issue((*here, "clip"), "clip: false can draw values outside "
                                                 f"{name}'s range {_range(low, high)}; add "
                                                 "allow_outside_range: true"))
        if dist.mean is not None:
            check_range((*here, "mean"), name, dist.mean)
    elif kind == "choice":
        for k, v in enumerate(dist.values or []):
            check_range((*here, "values", k), name, v)
    return issues


def _range(low: float | None, high: float | None) -> str:
    return f"{'-inf' if low is None else short_number(low)}..{'inf' if high is None else short_number(high)}"


def tree_issues(spec: SweepSpec, tree: Any) -> list[Issue]:
    """What ``equilibrium``, ``method`` and ``credibility`` ask of the scenario's tree (None
    for a simultaneous game)."""

    issues: list[Issue] = []
    concept = equilibrium_concept(spec, tree is not None)
    if tree is None:
        if spec.equilibrium == "subgame-perfect":
            issues.append(Issue(("equilibrium",), "subgame-perfect equilibria need a game tree: "
                                                  "this is a simultaneous game; give the "
                                                  "scenario a move order (timing: [first, "
                                                  "second]) or a tree"))
        if spec.credibility:
            issues.append(Issue(("credibility",), "threats and promises need a game tree: this "
                                                  "is a simultaneous game; give the scenario a "
                                                  "move order (timing: [first, second]) or a "
                                                  "tree"))
        return issues
    if concept == "subgame-perfect" and spec.method != "auto":
        issues.append(Issue(("method",), f"method {spec.method!r} solves for Nash equilibria; "
                                         "subgame-perfect equilibria are found by backward "
                                         "induction (add equilibrium: nash, or --equilibrium "
                                         "nash, to solve the strategic form with it)"))
    if spec.credibility and concept != "subgame-perfect":
        issues.append(Issue(("credibility",), "credibility is measured by backward induction: "
                                              "it needs equilibrium: subgame-perfect (the "
                                              "default for game trees), not nash"))
    elif spec.credibility:
        for k, text in enumerate(spec.credibility):
            try:
                find_responses(tree.shape, text)
            except InputError as exc:
                issues += [Issue(("credibility", k), p.message) for p in exc.problems]
    return issues
