"""`negsim exercise` and `negsim grade` end to end."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pypdf
import pytest
import yaml

from negsim.cli import main

pytestmark = pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")


def _roster(path: Path, n: int) -> Path:
    path.write_text(
        "id,name\n" + "".join(f"st{i:02d},Student {i}\n" for i in range(1, n + 1)), encoding="utf-8"
    )
    return path


def test_a_class_gets_pdf_worksheets_and_keys_in_one_command(tmp_path: Path, capsys) -> None:
    # 8 students keep the suite fast; the 30-student run is measured outside it (same code path).
    roster = _roster(tmp_path / "roster.csv", 8)
    out = tmp_path / "worksheets"
    started = time.perf_counter()
    code = main(
        [
            "exercise",
            "s400-2025-limited-use",
            "--kinds",
            "pure,dominance,mixed",
            "--students",
            str(roster),
            "--seed",
            "7",
            "--format",
            "pdf",
            "-o",
            str(out),
        ]
    )
    elapsed = time.perf_counter() - started
    assert code == 0, capsys.readouterr().err
    assert elapsed < 120
    students = sorted(p.name for p in (out / "student").iterdir())
    teachers = sorted(p.name for p in (out / "teacher").iterdir())
    assert students == teachers == [f"st{i:02d}.pdf" for i in range(1, 9)]
    key = yaml.safe_load((out / "key.yaml").read_text(encoding="utf-8"))
    assert sorted(key["students"]) == [f"st{i:02d}" for i in range(1, 9)]
    # A teacher's PDF carries that student's own answers.
    st05 = key["students"]["st05"]["exercises"]
    text = " ".join(
        p.extract_text()
        for p in pypdf.PdfReader(io.BytesIO((out / "teacher" / "st05.pdf").read_bytes())).pages
    )
    assert " ".join(st05["e2"]["answer_text"].split()) in " ".join(text.split())


def test_exercise_then_grade(tmp_path: Path, capsys) -> None:
    roster = _roster(tmp_path / "roster.csv", 3)
    out = tmp_path / "ws"
    assert (
        main(
            [
                "exercise",
                "--kinds",
                "pure,mixed,maximin",
                "--students",
                str(roster),
                "--seed",
                "3",
                "--difficulty",
                "easy",
                "-o",
                str(out),
                "--answer-template",
            ]
        )
        == 0
    )
    assert "Wrote worksheets for 3 students" in capsys.readouterr().out
    for edition in ("student", "teacher"):
        for suffix in ("md", "html", "pdf"):
            assert (out / edition / f"st01.{suffix}").is_file()
    template = (out / "answers" / "st01.yaml").read_text(encoding="utf-8")
    assert template.startswith("# Answer file") and "student: st01" in template and "  e3:" in template
    key = yaml.safe_load((out / "key.yaml").read_text(encoding="utf-8"))
    answers = tmp_path / "answers"
    answers.mkdir()
    # st01 answers perfectly; st02 leaves the last answer out; st03's file is broken.
    for student in ("st01", "st02"):
        given = {ex_id: ex["answer"] for ex_id, ex in key["students"][student]["exercises"].items()}
        if student == "st02":
            given["e3"] = None
        (answers / f"{student}.yaml").write_text(yaml.safe_dump({"student": student, "answers": given}))
    (answers / "st03.yaml").write_text("student: st03\nanswers: [e1\n")
    summary = tmp_path / "summary"
    code = main(
        ["grade", str(out / "key.yaml"), *(str(p) for p in sorted(answers.iterdir())), "-o", str(summary)]
    )
    captured = capsys.readouterr()
    assert code == 3  # graded, with a file skipped (2 is for input refused with nothing written)
    assert f"{answers}/st03.yaml:3:1: not valid YAML" in captured.err
    assert "1 file(s) not graded" in captured.err
    grades = (summary / "grades.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in grades[1:]] == ["st01", "st02"]
    assert grades[1].endswith(",3,3,100") and grades[2].endswith(",2,3,67")
    assert (summary / "mistakes.png").read_bytes().startswith(b"\x89PNG")
    assert "No answer given." in (summary / "feedback" / "st02.md").read_text()


def test_existing_output_needs_force_and_is_never_half_written(tmp_path: Path, capsys) -> None:
    out = tmp_path / "ws"
    assert main(["exercise", "battle-of-the-sexes", "--kinds", "pure", "--format", "md", "-o", str(out)]) == 0
    before = (out / "key.yaml").read_text()
    assert (
        main(["exercise", "battle-of-the-sexes", "--kinds", "mixed", "--format", "md", "-o", str(out)]) == 2
    )
    assert "the output folder exists; pass --force to replace it" in capsys.readouterr().err
    assert (out / "key.yaml").read_text() == before
    assert (
        main(
            [
                "exercise",
                "battle-of-the-sexes",
                "--kinds",
                "mixed",
                "--format",
                "md",
                "-o",
                str(out),
                "--force",
            ]
        )
        == 0
    )
    assert "kind: mixed" in (out / "key.yaml").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]  # no temporary folders left


@pytest.mark.parametrize(
    "args,message",
    [
        (["--kinds", "pure,mixd"], "--kinds: unknown kind 'mixd' (did you mean 'mixed'?)"),
        (["--format", "pdf,docx"], "--format: unknown format 'docx'"),
        (["--difficulty", "extreme"], "--difficulty: unknown difficulty 'extreme'"),
        (["--set", "sanction_cost=4"], "--set needs a scenario SOURCE"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(tmp_path: Path, capsys, args, message) -> None:
    out = tmp_path / "ws"
    assert main(["exercise", *args, "-o", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_bad_roster_is_located(tmp_path: Path, capsys) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nst01,A\nst 02,B\nst01,C\n", encoding="utf-8")
    assert main(["exercise", "--students", str(roster), "-o", str(tmp_path / "ws")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{roster}:3: student id 'st 02'")
    assert err[1] == f"{roster}:4: student id 'st01' is already on line 2"
    assert not (tmp_path / "ws").exists()


def test_scenario_parameters_can_be_set(tmp_path: Path) -> None:
    out = tmp_path / "ws"
    assert (
        main(
            [
                "exercise",
                "s400-2025-limited-use",
                "--kinds",
                "pure",
                "--set",
                "sanction_cost=8",
                "--format",
                "md",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    key = yaml.safe_load((out / "key.yaml").read_text())
    # At a sanction cost of 8, storage for incentives is the equilibrium (the scenario's own reading).
    assert key["shared"]["exercises"]["e1"]["answer"] == [["store", "incentives"]]
    assert "sanction_cost = 8" in (out / "student" / "worksheet.md").read_text().replace("\\_", "_")


def test_grade_with_a_missing_key_is_an_input_error(tmp_path: Path, capsys) -> None:
    assert main(["grade", str(tmp_path / "nope.yaml"), str(tmp_path / "a.yaml")]) == 2
    assert "cannot read the key" in capsys.readouterr().err
