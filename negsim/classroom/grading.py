"""Grading students' answer files against a key, with feedback and a class summary.

Answer files are YAML (one student per file) or CSV (any number of students, one row per
answer); the notation is described in ``docs/how-to/grading.md``. A file that cannot be read
is reported (file, line, what is wrong) and the other files are still graded; an answer that
cannot be read scores 0 for that exercise, with the reason in the student's feedback.

Each exercise scores between 0 and its points, with partial credit from its kind's rules
(:mod:`negsim.classroom.kinds`). The class summary counts the mistakes by name, so a teacher
sees which ones were common.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from negsim.classroom.answers import AnswerError
from negsim.classroom.keyfile import Key, KeyEntry
from negsim.classroom.kinds import KINDS
from negsim.errors import Problem, did_you_mean
from negsim.scenario.yamltree import Marks, read_tree

__all__ = [
    "AnswerFile",
    "ClassReport",
    "ExerciseResult",
    "StudentResult",
    "grade_answers",
    "read_answer_files",
    "summary_files",
]

#: Largest answer file read, in bytes: a class's CSV is a few kilobytes.
MAX_ANSWER_BYTES = 2_000_000


@dataclass(frozen=True)
class AnswerFile:
    """One student's answers as written, and where each answer starts (for messages)."""

    student: str
    answers: dict[str, object]
    file: str
    lines: dict[str, int]  # exercise id -> line of its answer
    marks: dict[str, Marks | None] = field(default_factory=dict)  # for locating parts of an answer


@dataclass(frozen=True)
class ExerciseResult:
    id: str
    kind: str
    title: str
    points: int
    score: Fraction  # 0..1 of the points
    feedback: list[str]
    mistakes: list[str]

    @property
    def earned(self) -> Fraction:
        return self.score * self.points


@dataclass(frozen=True)
class StudentResult:
    student: str
    name: str
    file: str
    exercises: tuple[ExerciseResult, ...]

    @property
    def total(self) -> Fraction:
        return sum((e.earned for e in self.exercises), Fraction(0))

    @property
    def possible(self) -> int:
        return sum(e.points for e in self.exercises)


@dataclass(frozen=True)
class ClassReport:
    """Everyone's results, plus the problems met on the way (files or answers not read)."""

    key: Key
    students: tuple[StudentResult, ...]
    problems: tuple[Problem, ...]
    not_graded: tuple[str, ...]  # files that could not be graded at all


# -- reading answer files ---------------------------------------------------------------------


def _read_text(path: str) -> tuple[str | None, Problem | None]:
    try:
        size = os.path.getsize(path)
        if size > MAX_ANSWER_BYTES:
            return None, Problem(f"file too large ({size} bytes; at most {MAX_ANSWER_BYTES})", file=path)
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read(), None
    except OSError as exc:
        return None, Problem(f"cannot read the file: {exc.strerror or exc}", file=path)
    except UnicodeDecodeError:
        return None, Problem("not UTF-8 text", file=path)


def _yaml_file(path: str, text: str) -> tuple[list[AnswerFile], list[Problem]]:
    tree, problems = read_tree(text, path)
    if tree is None:
        return [], [
            Problem(
                p.message,
                file=path,
                line=p.mark.line if p.mark else None,
                column=p.mark.column if p.mark else None,
            )
            for p in problems
        ]
    data = tree.data

    def at(where: tuple, message: str, key: bool = False) -> Problem:
        mark = tree.marks.key(where) if key else tree.marks.value(where)
        return Problem(
            message,
            path=".".join(map(str, where)),
            file=path,
            line=mark.line if mark else None,
            column=mark.column if mark else None,
        )

    if not isinstance(data, dict):
        return [], [at((), "expected a mapping with `student` and `answers`")]
    unknown = [k for k in data if k not in ("student", "name", "answers")]
    found: list[Problem] = [
        at((k,), f"unknown key {k!r}{did_you_mean(str(k), ['student', 'name', 'answers'])}", key=True)
        for k in unknown
    ]
    student = data.get("student")
    if student is None or isinstance(student, (dict, list, bool)) or not str(student).strip():
        found.append(
            at(("student",) if "student" in data else (), "expected `student:` with the student's id")
        )
    answers = data.get("answers")
    if not isinstance(answers, dict):
        found.append(
            at(
                ("answers",) if "answers" in data else (),
                "expected `answers:` mapping each exercise (e1, e2, ...) to an answer",
            )
        )
    if found:
        return [], found
    lines = {}
    for ex_id in answers:
        mark = tree.marks.key(("answers", ex_id))
        lines[str(ex_id)] = mark.line if mark else 0
    result = AnswerFile(str(student).strip(), {str(k): v for k, v in answers.items()}, path, lines,
                        {str(k): tree.marks for k in answers})
    return [result], []


def _csv_file(path: str, text: str) -> tuple[list[AnswerFile], list[Problem]]:
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        return [], [Problem(f"not valid CSV: {exc}", file=path, line=reader.line_num)]
    if not rows:
        return [], [Problem("the file is empty", file=path, line=1)]
    header = [h.strip().lower() for h in rows[0]]
    if header[:3] != ["student", "exercise", "answer"]:
        return [], [Problem("expected the header row: student,exercise,answer", file=path, line=1)]
    files: dict[str, AnswerFile] = {}
    problems: list[Problem] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 3:
            problems.append(
                Problem("expected three cells: student, exercise, answer", file=path, line=number)
            )
            continue
        student, ex_id, cell = row[0].strip(), row[1].strip(), row[2]
        if not student or not ex_id:
            problems.append(Problem("the student and the exercise must not be empty", file=path, line=number))
            continue
        tree, cell_problems = read_tree(cell, path)
        if tree is None:
            message = cell_problems[0].message if cell_problems else "cannot read the answer"
            problems.append(Problem(f"{ex_id}: {message}", file=path, line=number))
            continue
        entry = files.setdefault(student, AnswerFile(student, {}, path, {}))
        if ex_id in entry.answers:
            problems.append(Problem(f"{student}: a second answer for {ex_id}", file=path, line=number))
            continue
        entry.answers[ex_id] = tree.data
        entry.lines[ex_id] = number
    return list(files.values()), problems


def read_answer_files(paths: list[str]) -> tuple[list[AnswerFile], list[Problem], list[str]]:
    """Every readable answer file, every problem met, and the files that could not be read."""
    files: list[AnswerFile] = []
    problems: list[Problem] = []
    failed: list[str] = []
    for path in paths:
        text, problem = _read_text(path)
        if problem is not None:
            problems.append(problem)
            failed.append(path)
            continue
        reader = _csv_file if path.lower().endswith(".csv") else _yaml_file
        found, found_problems = reader(path, text)
        problems.extend(found_problems)
        if found:
            files.extend(found)
        elif found_problems:
            failed.append(path)
    return files, problems, failed


# -- grading ----------------------------------------------------------------------------------


def _grade_one(
    entry: KeyEntry, raw: object, answer_file: AnswerFile, problems: list[Problem]
) -> ExerciseResult:
    kind = KINDS[entry.kind]
    if raw is None:
        return ExerciseResult(
            entry.id, entry.kind, entry.title, entry.points, Fraction(0), ["No answer given."], ["no answer"]
        )
    try:
        grade = kind.grade(entry.game, entry.answer, entry.grading, raw)
    except AnswerError as exc:
        line = answer_file.lines.get(entry.id)
        marks = answer_file.marks.get(entry.id)
        column = None
        if marks is not None:
            mark = marks.value(("answers", entry.id, *exc.path))
            if mark is not None:
                line, column = mark.line, mark.column
        problems.append(
            Problem(
                f"{answer_file.student}: {exc.message}",
                path=entry.id,
                file=answer_file.file,
                line=line,
                column=column,
            )
        )
        return ExerciseResult(
            entry.id,
            entry.kind,
            entry.title,
            entry.points,
            Fraction(0),
            [f"Your answer could not be read: {exc.message}."],
            ["answer not readable"],
        )
    return ExerciseResult(
        entry.id, entry.kind, entry.title, entry.points, grade.score, list(grade.feedback),
        list(grade.mistakes)
    )


def grade_answers(
    key: Key,
    files: list[AnswerFile],
    problems: list[Problem] | None = None,
    not_graded: list[str] | None = None,
) -> ClassReport:
    """Grade every answer file against its student's key."""
    problems = list(problems or [])
    not_graded = list(not_graded or [])
    results: list[StudentResult] = []
    seen: dict[str, str] = {}
    known = list(key.students)
    for answer_file in files:
        student_key = key.for_student(answer_file.student)
        if student_key is None:
            problems.append(
                Problem(
                    f"student {answer_file.student!r} is not in the key"
                    f"{did_you_mean(answer_file.student, known)}",
                    path="student",
                    file=answer_file.file,
                    line=_student_line(answer_file),
                )
            )
            not_graded.append(answer_file.file)
            continue
        if answer_file.student in seen:
            problems.append(
                Problem(
                    f"student {answer_file.student!r} was already graded from {seen[answer_file.student]}",
                    path="student",
                    file=answer_file.file,
                    line=_student_line(answer_file),
                )
            )
            not_graded.append(answer_file.file)
            continue
        seen[answer_file.student] = answer_file.file
        ids = [e.id for e in student_key.exercises]
        for ex_id in answer_file.answers:
            if ex_id not in ids:
                problems.append(
                    Problem(
                        f"unknown exercise {ex_id!r}{did_you_mean(ex_id, ids)}",
                        path=f"answers.{ex_id}",
                        file=answer_file.file,
                        line=answer_file.lines.get(ex_id),
                    )
                )
        exercises = [
            _grade_one(entry, answer_file.answers.get(entry.id), answer_file, problems)
            for entry in student_key.exercises
        ]
        results.append(StudentResult(answer_file.student, student_key.name, answer_file.file,
                                     tuple(exercises)))
    return ClassReport(key, tuple(results), tuple(problems), tuple(not_graded))


def _student_line(answer_file: AnswerFile) -> int | None:
    if answer_file.lines:
        return min(answer_file.lines.values())
    return None


# -- the class summary ------------------------------------------------------------------------


def _points(value: Fraction) -> str:
    as_float = float(value)
    return f"{as_float:.2f}".rstrip("0").rstrip(".") if value.denominator != 1 else str(value.numerator)


def mistake_counts(report: ClassReport) -> Counter:
    """How many students made each mistake, labelled ``"e3 mixed: missed the mixed equilibrium"``."""
    counts: Counter = Counter()
    for student in report.students:
        seen = set()
        for ex in student.exercises:
            for mistake in ex.mistakes:
                seen.add(f"{ex.id} {ex.kind}: {mistake}")
        counts.update(seen)
    return counts


def grades_csv(report: ClassReport) -> str:
    ids = _exercise_ids(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "name", "file", *ids, "total", "possible", "percent"])
    for s in report.students:
        by_id = {e.id: e for e in s.exercises}
        writer.writerow(
            [
                s.student,
                s.name,
                s.file,
                *(_points(by_id[i].earned) if i in by_id else "" for i in ids),
                _points(s.total),
                s.possible,
                f"{100 * float(s.total) / max(1, s.possible):.0f}",
            ]
        )
    return out.getvalue()


def _exercise_ids(report: ClassReport) -> list[str]:
    ids: list[str] = []
    for s in report.students:
        for e in s.exercises:
            if e.id not in ids:
                ids.append(e.id)
    return ids


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def summary_markdown(report: ClassReport) -> str:
    ids = _exercise_ids(report)
    lines = [f"# Class summary: {report.key.title}", ""]
    lines.append(
        f"{len(report.students)} answer file(s) graded"
        + (f", {len(report.not_graded)} not graded (see the end)." if report.not_graded else ".")
    )
    lines += ["", "| student | " + " | ".join(ids) + " | total |", "|---|" + "---|" * (len(ids) + 1)]
    for s in report.students:
        by_id = {e.id: e for e in s.exercises}
        cells = [f"{_points(by_id[i].earned)}/{by_id[i].points}" if i in by_id else "" for i in ids]
        lines.append(
            f"| {_md(s.name or s.student)} | " + " | ".join(cells) + f" | {_points(s.total)}/{s.possible} |"
        )
    if report.students:
        averages = []
        for i in ids:
            scores = [e.score for s in report.students for e in s.exercises if e.id == i]
            averages.append(f"{100 * float(sum(scores)) / max(1, len(scores)):.0f}%")
        lines.append("| *class average* | " + " | ".join(averages) + " | |")
    counts = mistake_counts(report)
    lines += ["", "## Common mistakes", ""]
    if counts:
        lines += ["| mistake | students |", "|---|---|"]
        lines += [f"| {_md(m)} | {n} |" for m, n in counts.most_common()]
        lines += ["", "![Common mistakes](mistakes.png)"]
    else:
        lines.append("None: every answer was right.")
    if report.problems:
        lines += ["", "## Problems reading answers", ""]
        lines += [f"- {_md(str(p))}" for p in report.problems]
    return "\n".join(lines) + "\n"


def feedback_markdown(student: StudentResult, title: str) -> str:
    lines = [
        f"# Feedback for {student.name or student.student}",
        "",
        title,
        "",
        f"Score: {_points(student.total)} of {student.possible}.",
        "",
    ]
    for ex in student.exercises:
        lines.append(f"## {ex.id}. {ex.title}: {_points(ex.earned)}/{ex.points}")
        lines.append("")
        lines += [f"- {f}" for f in ex.feedback]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def mistakes_chart(report: ClassReport) -> bytes:
    """A horizontal bar chart of how many students made each mistake (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = mistake_counts(report).most_common(15)
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.4 * max(1, len(counts))), dpi=120)
    try:
        if counts:
            labels = [m for m, _ in reversed(counts)]
            values = [n for _, n in reversed(counts)]
            ax.barh(labels, values, color="#4c72b0")
            ax.set_xlabel("students")
            ax.xaxis.get_major_locator().set_params(integer=True)
        else:
            ax.text(0.5, 0.5, "No mistakes", ha="center", va="center")
            ax.set_axis_off()
        ax.set_title(f"Common mistakes ({len(report.students)} students)")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        plt.close(fig)


def summary_files(report: ClassReport) -> dict[str, bytes]:
    """The summary folder's files: grades.csv, summary.md, mistakes.png, feedback/<student>.md."""
    files = {
        "grades.csv": grades_csv(report).encode(),
        "summary.md": summary_markdown(report).encode(),
        "mistakes.png": mistakes_chart(report),
    }
    for s in report.students:
        files[f"feedback/{_safe(s.student)}.md"] = feedback_markdown(s, report.key.title).encode()
    return files


def _safe(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name).strip(".")
    return cleaned or "student"
