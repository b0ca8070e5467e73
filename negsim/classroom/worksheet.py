"""Worksheets: Markdown, a self-contained HTML page and PDF, in student and teacher editions.

A worksheet is first laid out as a list of blocks (headings, paragraphs, quotes, payoff
tables, figures, the answer section); each format then writes the same blocks, so the three
formats cannot say different things. The student edition has no answers. The teacher edition
adds the answer and the worked solution to every exercise: visible in Markdown and PDF, and in
HTML folded away (``<details>``) until revealed, with buttons to show or hide all of them;
printing the teacher page prints the answers.

PDF goes through Typst (the ``typst`` package bundles the compiler and its fonts, so no system
package is needed). Every piece of text is passed to Typst as a string literal, never as
markup, so no character in a strategy name or a quote can change the layout.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from negsim.classroom.calc import exact_payoffs, fmt
from negsim.classroom.exercises import Exercise, ExerciseSet, Figure
from negsim.classroom.keyfile import answer_template, key_to_yaml

__all__ = ["render_html", "render_markdown", "render_pdf", "render_typst", "worksheet_blocks"]


# -- the layout, shared by every format --------------------------------------------------------


@dataclass
class Block:
    kind: str  # heading, para, labelled, quote, table, figure, steps, answer
    text: str = ""
    label: str = ""
    level: int = 2
    rows: list[list[str]] = field(default_factory=list)
    figure: Figure | None = None
    items: list[str] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)


def _payoff_table(ex: Exercise) -> Block:
    game = ex.game
    if ex.table:
        return Block("table", rows=[list(row) for row in ex.table], text=ex.table_caption)
    exact = exact_payoffs(game)
    corner = f"{game.player_names[0]} \\ {game.player_names[1]}"
    header = [corner] + [_strategy_label(game, 1, c) for c in range(game.shape[1])]
    rows = [header]
    for r in range(game.shape[0]):
        rows.append(
            [_strategy_label(game, 0, r)]
            + [f"{fmt(exact[0, r, c])}, {fmt(exact[1, r, c])}" for c in range(game.shape[1])]
        )
    return Block(
        "table",
        rows=rows,
        text=(
            f"Payoffs ({game.player_names[0]}, {game.player_names[1]}); "
            f"rows: {game.player_names[0]}, columns: {game.player_names[1]}."
        ),
    )


def _strategy_label(game, player: int, k: int) -> str:
    name, short = game.strategy_names[player][k], game.strategies[player][k]
    return short if name == short or name.lower() == short else f"{name} ({short})"


def worksheet_blocks(exercise_set: ExerciseSet, *, teacher: bool) -> list[Block]:
    """The worksheet as blocks: what every format renders."""
    blocks = [Block("heading", exercise_set.title, level=1)]
    who = exercise_set.student_name or exercise_set.student
    edition = "Teacher edition, with answers and worked solutions" if teacher else "Student edition"
    line = edition + (
        f" \u2014 {who}" + (f" ({exercise_set.student})" if exercise_set.student_name else "") if who else ""
    )
    blocks.append(Block("para", line))
    if not teacher:
        where = f"answers/{exercise_set.student}.yaml" if exercise_set.student else "your answer file"
        blocks.append(
            Block(
                "para",
                (
                    f"Write your answers in {where}, under each exercise's number (e1, e2, ...). "
                    "Name strategies by their short names, shown in brackets in the tables; give "
                    "probabilities and payoffs as exact "
                    "fractions such as 1/3 (decimals to two places are accepted)."
                ),
            )
        )
    shared = exercise_set.exercises[0].setting if exercise_set.exercises else ""
    if shared:
        blocks.append(Block("para", shared))
    for ex in exercise_set.exercises:
        blocks.append(Block("heading", f"{ex.id}. {ex.title} ({ex.difficulty})", level=2))
        if ex.setting and ex.setting != shared:
            blocks.append(Block("para", ex.setting))
        if ex.intro:
            blocks.append(Block("para", ex.intro))
        for quote in ex.context:
            blocks.append(Block("quote", quote.text, label=quote.source))
        blocks.append(_payoff_table(ex))
        for figure in ex.figures:
            blocks.append(Block("figure", figure.caption, figure=figure))
        blocks.append(Block("labelled", ex.question, label="Question"))
        blocks.append(Block("labelled", ex.answer_format, label=f"Write your answer ({ex.id}) as"))
        if teacher:
            blocks.append(
                Block(
                    "answer",
                    children=[
                        Block("labelled", ex.answer_text, label="Answer"),
                        Block("steps", "Worked solution", items=list(ex.solution)),
                    *(Block("figure", f.caption, figure=f) for f in ex.solution_figures),
                    ],
                )
            )
    return blocks


# -- Markdown ---------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(
    exercise_set: ExerciseSet, *, teacher: bool, figure_dir: str = "figures"
) -> tuple[str, dict[str, bytes]]:
    """The worksheet as Markdown, and the figure files it links to (relative path -> PNG)."""
    out: list[str] = []
    files: dict[str, bytes] = {}

    def write(block: Block) -> None:
        if block.kind == "heading":
            out.append("#" * block.level + " " + _md_escape(block.text))
        elif block.kind == "para":
            out.append(_md_escape(block.text))
        elif block.kind == "labelled":
            out.append(f"**{_md_escape(block.label)}:** {_md_escape(block.text)}")
        elif block.kind == "quote":
            out.append(f"> \u201c{_md_escape(block.text)}\u201d\n>\n> \u2014 {_md_escape(block.label)}")
        elif block.kind == "table":
            header, *rows = block.rows
            lines = ["| " + " | ".join(_md_escape(c) for c in header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines) + "\n\n" + _md_escape(block.text))
        elif block.kind == "figure":
            name = f"{figure_dir}/{block.figure.name}.png"
            files[name] = block.figure.png
            out.append(f"![{_md_escape(block.text)}]({name})")
        elif block.kind == "steps":
            out.append(
                f"**{block.text}:**\n\n"
                + "\n".join(f"{n}. {_md_escape(item)}" for n, item in enumerate(block.items, 1))
            )
        elif block.kind == "answer":
            for child in block.children:
                write(child)

    for block in worksheet_blocks(exercise_set, teacher=teacher):
        write(block)
    return "\n\n".join(out) + "\n", files


# -- HTML -------------------------------------------------------------------------------------

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8rem 0; }
th, td { border: 1px solid #999; padding: 0.3rem 0.6rem; text-align: center; }
th { background: #f0f0f0; font-weight: normal; }
td.row { background: #f0f0f0; text-align: left; }
blockquote { margin: 0.8rem 0; padding: 0.2rem 1rem; border-left: 3px solid #888; color: #333; }
blockquote footer { font-size: 0.85rem; color: #555; }
.caption { font-size: 0.85rem; color: #555; }
.label { font-weight: bold; }
details { margin: 0.8rem 0; padding: 0.5rem 0.8rem; background: #f7f7f2; border: 1px solid #ddd; }
summary { cursor: pointer; font-weight: bold; }
.toolbar { margin: 1rem 0; } .toolbar button { margin-right: 0.5rem; }
section.exercise { break-inside: avoid-page; }
img { max-width: 100%; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  .toolbar { display: none; }
  h2 { break-after: avoid-page; }
  details { background: none; border: none; padding: 0; }
}
"""

_JS = """
function setAll(open) { document.querySelectorAll('details.answer').forEach(d => d.open = open); }
let wasOpen = [];
window.addEventListener('beforeprint', () => {
  wasOpen = Array.from(document.querySelectorAll('details.answer')).map(d => d.open); setAll(true); });
window.addEventListener('afterprint', () => {
  document.querySelectorAll('details.answer').forEach((d, i) => d.open = wasOpen[i] || false); });
"""


def render_html(exercise_set: ExerciseSet, *, teacher: bool) -> str:
    """One self-contained page: inline CSS and script, figures as data URIs, no external requests."""
    esc = html.escape
    body: list[str] = []
    in_section = False

    def write(block: Block, out: list[str]) -> None:
        nonlocal in_section
        if block.kind == "heading":
            if block.level == 2:
                if in_section:
                    out.append("</section>")
                out.append('<section class="exercise">')
                in_section = True
            out.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>")
        elif block.kind == "para":
            out.append(f"<p>{esc(block.text)}</p>")
        elif block.kind == "labelled":
            out.append(f'<p><span class="label">{esc(block.label)}:</span> {esc(block.text)}</p>')
        elif block.kind == "quote":
            out.append(
                f"<blockquote><p>\u201c{esc(block.text)}\u201d</p><footer>\u2014 {esc(block.label)}"
                "</footer></blockquote>"
            )
        elif block.kind == "table":
            header, *rows = block.rows
            cells = "".join(f"<th>{esc(c)}</th>" for c in header)
            lines = [f"<table><thead><tr>{cells}</tr></thead><tbody>"]
            for row in rows:
                lines.append(
                    f'<tr><td class="row">{esc(row[0])}</td>'
                    + "".join(f"<td>{esc(c)}</td>" for c in row[1:])
                    + "</tr>"
                )
            lines.append(f'</tbody></table><p class="caption">{esc(block.text)}</p>')
            out.append("".join(lines))
        elif block.kind == "figure":
            data = base64.b64encode(block.figure.png).decode("ascii")
            out.append(
                f'<figure><img alt="{esc(block.text)}" src="data:image/png;base64,{data}">'
                f'<figcaption class="caption">{esc(block.text)}</figcaption></figure>'
            )
        elif block.kind == "steps":
            items = "".join(f"<li>{esc(item)}</li>" for item in block.items)
            out.append(f'<p class="label">{esc(block.text)}:</p><ol>{items}</ol>')
        elif block.kind == "answer":
            inner: list[str] = []
            for child in block.children:
                write(child, inner)
            out.append(
                '<details class="answer"><summary>Answer and worked solution</summary>'
                + "".join(inner)
                + "</details>"
            )

    blocks = worksheet_blocks(exercise_set, teacher=teacher)
    for n, block in enumerate(blocks):
        write(block, body)
        if n == 1 and teacher:
            body.append(
                '<div class="toolbar"><button type="button" onclick="setAll(true)">Show all answers'
                '</button><button type="button" onclick="setAll(false)">Hide all answers</button></div>'
            )
    if in_section:
        body.append("</section>")
    script = f"<script>{_JS}</script>" if teacher else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(exercise_set.title)}</title><style>{_CSS}</style>{script}</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


# -- Typst and PDF ----------------------------------------------------------------------------


def _ts(text: str) -> str:
    """A Typst string literal: shown as text, never read as markup."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def render_typst(exercise_set: ExerciseSet, *, teacher: bool) -> tuple[str, dict[str, bytes]]:
    """Typst source for the worksheet, and the figure files it reads (name -> PNG)."""
    out = [
        '#set page(paper: "a4", margin: 2cm, numbering: "1 / 1")',
        '#set text(size: 10.5pt, lang: "en")',
        "#set par(justify: false)",
        "#show heading.where(level: 2): it => block(above: 1.6em, below: 0.8em, it)",
    ]
    files: dict[str, bytes] = {}

    def write(block: Block) -> None:
        if block.kind == "heading":
            out.append(f"#heading(level: {block.level}, {_ts(block.text)})")
        elif block.kind == "para":
            out.append(f"#par({_ts(block.text)})")
        elif block.kind == "labelled":
            out.append(f"#par[#strong({_ts(block.label + ':')}) #{_ts(block.text)}]")
        elif block.kind == "quote":
            out.append(f"#quote(block: true, attribution: {_ts(block.label)}, {_ts(block.text)})")
        elif block.kind == "table":
            header, *rows = block.rows
            cells = ", ".join(
                f"table.header({', '.join(f'[#strong({_ts(c)})]' for c in header)})" for _ in [0]
            )
            body = ", ".join(f"[#{_ts(c)}]" for row in rows for c in row)
            out.append(
                f"#block(breakable: false)[#table(columns: {len(header)}, align: center + horizon, "
                f"fill: (x, y) => if x == 0 or y == 0 {{ luma(235) }}, {cells}, {body})"
                f"#text(size: 8.5pt, {_ts(block.text)})]"
            )
        elif block.kind == "figure":
            name = f"{block.figure.name}.png"
            files[name] = block.figure.png
            out.append(f"#figure(image({_ts(name)}, width: 80%), caption: {_ts(block.text)})")
        elif block.kind == "steps":
            items = ", ".join(f"[#{_ts(item)}]" for item in block.items)
            out.append(f"#par(strong({_ts(block.text + ':')}))\n#enum({items})")
        elif block.kind == "answer":
            out.append("#block(fill: luma(245), inset: 8pt, radius: 3pt, width: 100%)[")
            for child in block.children:
                write(child)
            out.append("]")

    for block in worksheet_blocks(exercise_set, teacher=teacher):
        write(block)
    return "\n".join(out) + "\n", files


def render_pdf(exercise_set: ExerciseSet, *, teacher: bool) -> bytes:
    """The worksheet as PDF, compiled by Typst in a private temporary folder."""
    import typst

    source, files = render_typst(exercise_set, teacher=teacher)
    with tempfile.TemporaryDirectory(prefix="negsim-typst-") as folder:
        for name, data in files.items():
            Path(folder, name).write_bytes(data)
        main = Path(folder, "worksheet.typ")
        main.write_text(source, encoding="utf-8")
        return typst.compile(os.fspath(main), root=folder)


FORMATS = ("md", "html", "pdf")


def worksheet_files(
    sets: list[ExerciseSet], formats: tuple[str, ...] | list[str] = FORMATS, *, answer_templates: bool = False
) -> dict[str, bytes]:
    """Every file of a worksheet folder (relative path -> bytes).

    ``key.yaml``; ``student/<id>.<format>`` and ``teacher/<id>.<format>`` per student
    (``worksheet.<format>`` for a class set without a roster); with ``answer_templates``,
    ``answers/<id>.yaml``.
    """

    files: dict[str, bytes] = {"key.yaml": key_to_yaml(sets).encode()}
    for exercise_set in sets:
        stem = exercise_set.student or "worksheet"
        for edition, teacher in (("student", False), ("teacher", True)):
            if "md" in formats:
                text, figures = render_markdown(exercise_set, teacher=teacher, figure_dir=f"figures/{stem}")
                files[f"{edition}/{stem}.md"] = text.encode()
                for name, data in figures.items():
                    files[f"{edition}/{name}"] = data
            if "html" in formats:
                files[f"{edition}/{stem}.html"] = render_html(exercise_set, teacher=teacher).encode()
            if "pdf" in formats:
                files[f"{edition}/{stem}.pdf"] = render_pdf(exercise_set, teacher=teacher)
        if answer_templates:
            files[f"answers/{stem}.yaml"] = answer_template(exercise_set).encode()
    return files
