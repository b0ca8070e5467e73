"""Commands: exercise (worksheets, answer keys, answer templates) and grade."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import typer
from rich.table import Table

from negsim.cli.app import app, console
from negsim.cli.options import ALLOW_OUTSIDE_HELP, SET_HELP, SET_METAVAR, overrides_for, parse_assignments
from negsim.errors import InputError, Problem, did_you_mean

#: Exit code of a command that did its work but skipped some inputs (each reported).
SKIPPED = 3

KINDS_HELP = (
    "Kinds of exercise, comma-separated: pure, dominance, weak-dominance, mixed, pareto, "
    "maximin, sensitivity, sequential, sweep-plot, stability."
)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _formats(text: str) -> list[str]:
    from negsim.classroom.worksheet import FORMATS

    formats = _split(text)
    problems = [
        Problem(f"unknown format {f!r}{did_you_mean(f, list(FORMATS))}", path="--format")
        for f in formats
        if f not in FORMATS
    ]
    if "pdf" in formats and importlib.util.find_spec("typst") is None:
        problems.append(
            Problem(
                "PDF worksheets need the `typst` package (pip install typst); or choose --format md,html",
                path="--format",
            )
        )
    if not formats:
        problems.append(Problem(f"give at least one format ({', '.join(FORMATS)})", path="--format"))
    if problems:
        raise InputError(problems)
    return formats


@app.command()
def exercise(
    source: str = typer.Argument(
        None, metavar="SOURCE", help="Scenario file or built-in id; without it, random games."
    ),
    kinds: str = typer.Option("pure,dominance,mixed,pareto,maximin", "--kinds", metavar="KINDS",
                              help=KINDS_HELP),
    difficulty: str = typer.Option("medium", "--difficulty", metavar="LEVEL",
                                   help="easy, medium or hard."),
    students: Path = typer.Option(
        None,
        "--students",
        metavar="ROSTER.csv",
        help="Roster (CSV with an `id` column, optionally `name`): one variant per student.",
    ),
    seed: int = typer.Option(0, "--seed", metavar="SEED", help="Same seed, same exercises."),
    format_: str = typer.Option("md,html,pdf", "--format", metavar="FORMATS",
                                help="Worksheet formats, comma-separated: md, html, pdf."),
    out: Path = typer.Option(..., "-o", "--output", metavar="FOLDER", help="Output folder (written whole)."),
    answer_template: bool = typer.Option(
        False, "--answer-template", help="Also write a blank answer file per student in answers/."
    ),
    set_: list[str] = typer.Option([], "--set", metavar=SET_METAVAR, help=SET_HELP),
    allow_outside_range: bool = typer.Option(False, "--allow-outside-range", help=ALLOW_OUTSIDE_HELP),
    force: bool = typer.Option(False, "--force", help="Replace the output folder if it exists."),
) -> None:
    """Make worksheets (student and teacher editions), the answer key key.yaml and, with
    --answer-template, blank answer files; one equivalent variant per student with --students."""
    from negsim.classroom.sets import check_kinds, make_exercise_sets, read_roster
    from negsim.classroom.worksheet import worksheet_files
    from negsim.compile.source import load_source
    from negsim.io.atomic import check_target, write_folder

    started = time.perf_counter()
    formats = _formats(format_)
    kind_list = check_kinds(_split(kinds), difficulty)
    overrides = parse_assignments(set_)
    if overrides and not source:
        raise InputError(
            [Problem("--set needs a scenario SOURCE; random games have no parameters", path="--set")]
        )
    if overrides:
        overrides = overrides_for(load_source(source).game, set_, allow_outside_range=allow_outside_range)
    check_target(out, force=force)
    roster = read_roster(str(students)) if students else []
    sets = make_exercise_sets(
        source, kind_list, difficulty=difficulty, seed=seed, students=roster, overrides=overrides
    )
    files = worksheet_files(sets, formats, answer_templates=answer_template)
    write_folder(out, files, force=force)
    who = f"{len(sets)} students" if roster else "the class"
    console.print(
        f"Wrote worksheets for {who} ({len(kind_list)} exercises each; {', '.join(formats)}; student and "
        f"teacher editions), key.yaml"
        + (", answer templates" if answer_template else "")
        + f" to {out} in {time.perf_counter() - started:.1f} s."
    )


@app.command()
def grade(
    key: Path = typer.Argument(..., metavar="KEY", help="The key.yaml written by `negsim exercise`."),
    answers: list[Path] = typer.Argument(..., metavar="ANSWERS...", help="Answer files (.yaml or .csv)."),
    out: Path = typer.Option(
        None,
        "-o",
        "--output",
        metavar="FOLDER",
        help="Write grades.csv, summary.md, mistakes.png and feedback/ here.",
    ),
    force: bool = typer.Option(False, "--force", help="Replace the output folder if it exists."),
) -> None:
    """Grade answer files against a key: partial credit, feedback, and the class's common mistakes.

    Files that cannot be read are reported, one line per problem, and the others are still
    graded: the exit code is then 3 (graded, with files skipped), not 0."""
    from negsim.classroom.grading import grade_answers, mistake_counts, read_answer_files, summary_files
    from negsim.classroom.keyfile import read_key
    from negsim.io.atomic import check_target, write_folder

    if out is not None:
        check_target(out, force=force)
    answer_key = read_key(str(key))
    files, problems, failed = read_answer_files([str(p) for p in answers])
    report = grade_answers(answer_key, files, problems, failed)
    table = Table(title=f"Grades: {answer_key.title}", show_lines=False)
    ids = [e.id for e in (report.students[0].exercises if report.students else [])]
    table.add_column("student")
    for ex_id in ids:
        table.add_column(ex_id, justify="right")
    table.add_column("total", justify="right")
    for s in report.students:
        table.add_row(
            s.name or s.student,
            *(f"{float(e.earned):.2g}" for e in s.exercises),
            f"{float(s.total):.3g}/{s.possible}",
        )
    console.print(table)
    common = mistake_counts(report).most_common(5)
    if common:
        console.print("Most common mistakes: " + "; ".join(f"{m} ({n})" for m, n in common))
    if out is not None:
        write_folder(out, summary_files(report), force=force)
        console.print(
            f"Wrote grades.csv, summary.md, mistakes.png and feedback for {len(report.students)} "
            f"student(s) to {out}."
        )
    if report.problems:
        for problem in report.problems:
            print(str(problem), file=sys.stderr)
        not_graded = len(set(report.not_graded))
        print(
            f"negsim: {len(report.problems)} problem(s) reading answers"
            + (f"; {not_graded} file(s) not graded" if not_graded else ""),
            file=sys.stderr,
        )
        raise typer.Exit(SKIPPED)
