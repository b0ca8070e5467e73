"""Worksheets: what each edition shows in Markdown, HTML and PDF."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from negsim.classroom.exercises import Figure
from negsim.classroom.sets import Student, make_exercise_sets
from negsim.classroom.worksheet import render_html, render_markdown, render_pdf, render_typst

#: Every test here shares fixtures that take seconds to build.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")]


@pytest.fixture(scope="module")
def s400_set():
    return make_exercise_sets(
        "s400-2025-limited-use",
        ["pure", "dominance", "mixed"],
        seed=7,
        students=[Student("ayse", "Ayşe Yılmaz")],
    )[0]


def _words(text: str) -> str:
    """Whitespace and hyphenation folded, so text broken over PDF lines still matches."""
    return re.sub(r"\s+", " ", text.replace("-\n", "")).strip()


def test_markdown_student_edition_has_questions_not_answers(s400_set) -> None:
    text, figures = render_markdown(s400_set, teacher=False)
    assert figures == {}
    for ex in s400_set.exercises:
        assert f"## {ex.id}. {ex.title}" in text
        assert ex.question.split(".")[0] in text.replace("\\", "")
    assert "**Answer:**" not in text and "Worked solution" not in text
    assert "Student edition" in text and "Ayşe Yılmaz" in text
    assert "answers/ayse.yaml" in text
    # The payoff table names strategies with their short names, as answers use them.
    assert "| Limited activation (limited) |" in text
    for ex in s400_set.exercises:
        for quote in ex.context:
            assert f"> \u201c{quote.text}\u201d" in text.replace("\\", "")


def test_markdown_teacher_edition_has_answers_and_worked_solutions(s400_set) -> None:
    text, _ = render_markdown(s400_set, teacher=True)
    for ex in s400_set.exercises:
        assert f"**Answer:** {ex.answer_text}".replace("_", "\\_") in text
        assert ex.solution[-1].replace("_", "\\_").replace("*", "\\*") in text
    assert "**Worked solution:**" in text


def test_html_is_self_contained_and_hides_answers(s400_set) -> None:
    student = render_html(s400_set, teacher=False)
    teacher = render_html(s400_set, teacher=True)
    for page in (student, teacher):
        assert "http://" not in page and "https://" not in page
        assert not re.search(r"<(link|script)[^>]+(src|href)=", page)
        assert "@media print" in page
    assert "<details" not in student and "Worked solution" not in student
    for ex in s400_set.exercises:
        # Every answer sits inside a closed <details> element until revealed.
        start = teacher.index(f"<h2>{ex.id}. ")
        block = teacher[start : teacher.index("</section>", start)]
        details = block[block.index('<details class="answer">') : block.index("</details>")]
        assert "open" not in block[block.index("<details") : block.index(">", block.index("<details"))]
        assert "Answer:</span>" in details
    assert "beforeprint" in teacher and "Show all answers" in teacher
    # The best-response figure of the pure-equilibrium exercise gives the answer away: teacher only.
    assert teacher.count("data:image/png") == 1 and "data:image/png" not in student


def test_html_embeds_figures_as_data_uris(s400_set) -> None:
    from dataclasses import replace

    from negsim.classroom.grading import (
        ClassReport,
        mistakes_chart,  # any PNG will do
    )
    from negsim.classroom.keyfile import Key

    png = mistakes_chart(ClassReport(Key("t", "s", 0, {}, None), [], [], []))
    first = replace(s400_set.exercises[0], figures=(Figure("plot", "A sweep plot", png),))
    with_figure = replace(s400_set, exercises=(first, *s400_set.exercises[1:]))
    page = render_html(with_figure, teacher=False)
    assert 'src="data:image/png;base64,' in page
    text, files = render_markdown(with_figure, teacher=False, figure_dir="figures/ayse")
    assert "![A sweep plot](figures/ayse/plot.png)" in text and files == {"figures/ayse/plot.png": png}
    assert render_pdf(with_figure, teacher=False).startswith(b"%PDF")


def test_pdf_text_has_questions_and_teacher_answers(s400_set) -> None:
    student = _words(
        "\n".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_pdf(s400_set, teacher=False))).pages
        )
    )
    teacher = _words(
        "\n".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_pdf(s400_set, teacher=True))).pages
        )
    )
    for ex in s400_set.exercises:
        assert _words(ex.question)[:60] in student
        assert _words(ex.answer_text)[:50] in teacher
        assert _words(ex.answer_text)[:50] not in student
    assert "Worked solution" in teacher and "Worked solution" not in student
    assert "Ayşe Yılmaz" in student


def test_typst_source_never_reads_text_as_markup() -> None:
    tricky = make_exercise_sets("battle-of-the-sexes", ["pure"], seed=1)[0]
    from dataclasses import replace

    ex = replace(
        tricky.exercises[0], question='A "quoted" #question with $math$ and \\ backslash // not a comment'
    )
    source, _ = render_typst(replace(tricky, exercises=(ex,)), teacher=False)
    assert (
        '#par[#strong("Question:") #"A \\"quoted\\" #question with $math$ and '
        '\\\\ backslash // not a comment"]' in source
    )
    text = _words(
        pypdf.PdfReader(io.BytesIO(render_pdf(replace(tricky, exercises=(ex,)), teacher=False)))
        .pages[0]
        .extract_text()
    )
    assert "#question with $math$ and \\ backslash // not a comment" in text


def test_figures_of_sweeps_and_trees_are_embedded() -> None:
    sets = make_exercise_sets("s400-2025-limited-use", ["sweep-plot"], seed=1)
    page = render_html(sets[0], teacher=False)
    assert page.count('src="data:image/png;base64,') == 1
    assert "http://" not in page and "https://" not in page
    trees = make_exercise_sets("s400-2019-activation-then-sanctions", ["sequential"], seed=1)
    text, files = render_markdown(trees[0], teacher=False, figure_dir="figures/worksheet")
    assert "![The game tree" in text and list(files) == ["figures/worksheet/tree.png"]
    assert "| store → hold\\_off |" in text
