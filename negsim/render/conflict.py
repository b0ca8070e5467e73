"""``negsim conflict``: the stability table of a conflict in option form for the terminal, and
the same as one JSON object.

The table has one column per feasible state, headed by its decimal code, as GMCR tools show
it: the state's options as ``Y``/``N`` (one row per option, grouped by decision maker), then
per concept one row per decision maker with ``✓`` where the state is stable for it and ``·``
where not, and an equilibrium row with ``*`` where it is stable for all. The status quo's
column is marked ``SQ``. Wide tables are cut into chunks of states that fit the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.table import Table
from rich.text import Text

from negsim.conflict.report import ConflictReport, state_words
from negsim.conflict.stability import CONCEPT_NAMES
from negsim.conflict.status_quo import StatusQuoPath

__all__ = ["STABLE", "UNSTABLE", "conflict_to_dict", "render_conflict", "table_lines"]

STABLE = "✓"
UNSTABLE = "·"
EQUILIBRIUM = "*"


def table_lines(report: ConflictReport, width: int = 80) -> list[str]:
    """The stability table as text lines, states as columns (in chunks that fit ``width``).

    Each state's column shows its options as ``Y``/``N`` (rows grouped by decision maker), then
    per concept a mark per decision maker (``✓`` stable for it, ``·`` not) and ``*`` on the
    equilibrium row where it is stable for all; the status quo's column is headed ``SQ``."""
    c = report.conflict
    a = report.analysis
    rows: list[tuple[str, dict[int, str]]] = []
    for d in c.decision_makers:
        rows.append((d.label, {}))
        for o in d.options:
            rows.append((f"  {o}", {s: "Y" if s >> c.option_index(o) & 1 else "N" for s in c.states}))
    for concept in a.concepts:
        for k, d in enumerate(c.decision_makers):
            head = concept if k == 0 else ""
            rows.append(
                (
                    f"{head:<8}{d.id}",
                    {s: STABLE if a.stable(concept, d.id, s) else UNSTABLE for s in c.states},
                )
            )
        eq = set(a.equilibria(concept))
        rows.append((f"{'':<8}equilibrium", {s: EQUILIBRIUM for s in eq}))
    label_width = min(max(len(label) for label, _ in rows) + 2, 36)
    cell = max(3, max(len(str(s)) for s in c.states) + 1)
    per_chunk = max(4, (width - label_width) // cell)
    lines: list[str] = []
    states = list(c.states)
    for start in range(0, len(states), per_chunk):
        chunk = states[start : start + per_chunk]
        if start:
            lines.append("")
        lines.append("state".ljust(label_width) + "".join(str(s).rjust(cell) for s in chunk))
        if c.status_quo in chunk:
            lines.append(
                "".ljust(label_width)
                + "".join(("SQ" if s == c.status_quo else "").rjust(cell) for s in chunk)
            )
        for label, cells in rows:
            shown = label if len(label) <= label_width - 1 else label[: label_width - 2] + "…"
            lines.append(
                (shown.ljust(label_width) + "".join(cells.get(s, "").rjust(cell) for s in chunk)).rstrip()
            )
    return lines


def _legend(report: ConflictReport) -> str:
    c = report.conflict
    names = ", ".join(f"{d.id} = {d.label}" for d in c.decision_makers if d.id != d.label)
    return (
        f"{STABLE} stable for the decision maker, {UNSTABLE} not; {EQUILIBRIUM} equilibrium "
        f"(stable for every decision maker); SQ the status quo" + (f". {names}" if names else "")
    )


def _path_lines(report: ConflictReport, path: StatusQuoPath) -> list[str]:
    c = report.conflict
    concepts = [k for k in report.analysis.concepts if path.target in report.analysis.equilibria(k)]
    head = (
        f"to state {path.target} ({c.yn(path.target)}; {state_words(c, path.target)}), "
        f"an equilibrium under {', '.join(concepts)}:"
    )
    if path.target == c.status_quo:
        return [head, "    it is the status quo"]
    if path.by_improvements is not None:
        steps = path.words(c, improvements=True)
        return [
            head,
            "    by unilateral improvements, each one the mover wants:",
            *(f"    {n}. {step}" for n, step in enumerate(steps, 1)),
        ]
    if path.by_moves is not None:
        steps = path.words(c, improvements=False)
        return [
            head,
            "    not by improvements alone; by unilateral moves (some a mover would not want):",
            *(f"    {n}. {step}" for n, step in enumerate(steps, 1)),
        ]
    return [head, "    unreachable from the status quo (irreversible moves stand in the way)"]


def render_conflict(
    console: Console,
    report: ConflictReport,
    *,
    parameters: Mapping[str, float] | None = None,
    description: str | None = None,
) -> None:
    """Print the report: the table, the equilibria in words, and the parts asked for."""
    c = report.conflict
    say = console.print
    if description:
        say(Text(" ".join(description.split())))
    if parameters:
        say(
            "parameters: " + ", ".join(f"{k} = {v:g}" for k, v in parameters.items()),
            markup=False,
            style="dim",
        )
    if report.without:
        say(
            f"without the option(s) {', '.join(report.without)}: every state taking one is left out",
            markup=False,
        )
    say(f"{c.title or c.id}: stability of every state", style="bold", markup=False)
    for line in table_lines(report, console.width):
        say(line, markup=False, highlight=False)
    say(_legend(report), style="dim", markup=False)
    a = report.analysis
    say("Equilibria (states stable for every decision maker):", markup=False)
    width = max(len(k) for k in a.concepts)
    for concept in a.concepts:
        states = a.equilibria(concept)
        shown = " ".join(str(s) for s in states) or "none"
        say(f"  {concept:<{width}}  {shown}   ({CONCEPT_NAMES[concept]})", markup=False)
    stable = [s for s in c.states if any(s in a.equilibria(k) for k in a.concepts)]
    if stable:
        say("The equilibrium states:", markup=False)
        for s in stable:
            under = ", ".join(k for k in a.concepts if s in a.equilibria(k))
            note = ", the status quo" if s == c.status_quo else ""
            say(f"  {s:>4} {c.yn(s)}  {state_words(c, s)}  [{under}{note}]", markup=False)
    if report.coalitions is not None:
        _render_coalitions(console, report)
    if report.paths:
        sq = c.status_quo
        assert sq is not None
        say(f"From the status quo, state {sq} ({c.yn(sq)}; {state_words(c, sq)}):", markup=False)
        for path in report.paths:
            for line in _path_lines(report, path):
                say(f"  {line}", markup=False)
    if report.explained is not None:
        s = report.explained
        say(f"Why state {s} ({c.yn(s)}; {state_words(c, s)}) is or is not stable:", markup=False)
        for _concept, _dm, sentences in report.explanations:
            for k, line in enumerate(sentences):
                say(("  " if k == 0 else "    ") + line, markup=False)
    if report.comparison is not None:
        _render_comparison(console, report)


def _render_coalitions(console: Console, report: ConflictReport) -> None:
    ca = report.coalitions
    assert ca is not None
    c = report.conflict
    console.print("Coalitions (every group of decision makers, single ones included):", markup=False)
    for concept, name in (("CNash", "coalition Nash"), ("CSEQ", "coalition SEQ")):
        states = ca.equilibria(concept)
        shown = ", ".join(f"{s} ({c.yn(s)})" for s in states) or "none"
        console.print(f"  {name} equilibria: {shown}", markup=False)
    individual = set(report.analysis.equilibria("R")) if "R" in report.analysis.concepts else set()
    for s in sorted(individual - set(ca.equilibria("CNash"))):
        for (concept, coalition, state), verdict in ca.verdicts.items():
            if (
                concept == "CNash"
                and state == s
                and not verdict.stable
                and len(coalition) > 1
                and verdict.breaking
            ):
                names = " and ".join(c.decision_makers[c.dm_index(d)].label for d in coalition)
                end = verdict.breaking[-1].target
                console.print(
                    f"  state {s} is Nash stable for each alone, but {names} together move to "
                    f"state {end} ({c.yn(end)}), which all of them prefer",
                    markup=False,
                )
                break


def _render_comparison(console: Console, report: ConflictReport) -> None:
    cmp = report.comparison
    assert cmp is not None
    c = report.conflict
    table = Table(title="The matrix (normal form) beside the graph model", title_justify="left")
    table.add_column("state", justify="right")
    table.add_column("Y/N")
    table.add_column("Nash equilibrium of the matrix", justify="center")
    for concept in cmp.graph:
        table.add_column(f"{concept} equilibrium", justify="center")
    shown = sorted(set(cmp.matrix_pure).union(*cmp.graph.values()))
    for s in shown:
        row = [str(s), c.yn(s), "yes" if s in cmp.matrix_pure else ""]
        row += ["yes" if s in states else "" for states in cmp.graph.values()]
        table.add_row(*row)
    console.print(table)
    console.print(
        f"matrix: {len(cmp.matrix_pure)} pure Nash equilibrium(s), {cmp.matrix_mixed} mixed "
        f"(method {cmp.method})",
        markup=False,
        style="dim",
    )
    for w in cmp.warnings:
        console.print(f"note: {w}", markup=False, style="dim")
    irreversible = [o.id for o in c.options if o.direction != "both"]
    if "R" in cmp.graph and set(cmp.graph["R"]) != set(cmp.matrix_pure):
        why = (
            (
                f" (the irreversible option(s) {', '.join(irreversible)} forbid some of the matrix's "
                "deviations)"
            )
            if irreversible
            else ""
        )
        console.print(f"Nash stability differs from the matrix's pure Nash equilibria{why}.", markup=False)


def _path_dict(path: StatusQuoPath, report: ConflictReport) -> dict[str, object]:
    c = report.conflict
    data = path.to_dict()
    data["yn"] = c.yn(path.target)
    data["words"] = path.words(c, improvements=path.by_improvements is not None)
    return data


def conflict_to_dict(
    report: ConflictReport, *, scenario: str = "", parameters: Mapping[str, float] | None = None
) -> dict[str, object]:
    """The report as one JSON-ready object (the format ``negsim conflict --format json``
    prints, described in the README)."""
    c = report.conflict
    a = report.analysis
    owner = {o: d.id for d in c.decision_makers for o in d.options}
    data: dict[str, object] = {
        "scenario": scenario or c.id,
        "title": c.title,
        "parameters": dict(parameters or {}),
        "without": list(report.without),
        "decision_makers": [
            {"id": d.id, "name": d.label, "options": list(d.options)} for d in c.decision_makers
        ],
        "options": [
            {"id": o.id, "name": o.label, "player": owner[o.id], "bit": 1 << k, "direction": o.direction}
            for k, o in enumerate(c.options)
        ],
        "status_quo": None if c.status_quo is None else {"state": c.status_quo, "yn": c.yn(c.status_quo)},
        "concepts": list(a.concepts),
        "states": [
            {
                "state": s,
                "yn": c.yn(s),
                "taken": [o for o in c.option_ids if s >> c.option_index(o) & 1],
                "status_quo": s == c.status_quo,
                "preferences": {d: c.payoff(d, s) for d in c.dm_ids},
                "stable": {k: {d: a.stable(k, d, s) for d in c.dm_ids} for k in a.concepts},
                "equilibrium": {k: s in a.equilibria(k) for k in a.concepts},
            }
            for s in c.states
        ],
        "equilibria": {k: list(a.equilibria(k)) for k in a.concepts},
    }
    if report.coalitions is not None:
        ca = report.coalitions
        data["coalitions"] = {
            "equilibria": {k: list(ca.equilibria(k)) for k in ("CNash", "CSEQ")},
            "unstable": [
                {
                    "concept": v.concept,
                    "coalition": list(v.coalition),
                    "state": v.state,
                    "moves": [m.to_dict() for m in v.breaking or ()],
                }
                for v in ca.verdicts.values()
                if not v.stable
            ],
        }
    if report.paths:
        data["status_quo_paths"] = [_path_dict(p, report) for p in report.paths]
    if report.explained is not None:
        data["explain"] = {
            "state": report.explained,
            "yn": c.yn(report.explained),
            "verdicts": [
                {**a.verdict(k, d, report.explained).to_dict(), "sentences": list(sentences)}
                for k, d, sentences in report.explanations
            ],
        }
    if report.comparison is not None:
        data["comparison"] = report.comparison.to_dict()
    return data
