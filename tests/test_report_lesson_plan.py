"""The teacher's guide quotes negsim's real output: rerun its commands and compare.

Each ```console block of ``docs/teaching/lesson-plan.md`` starts with ``$ negsim ...``; for the
commands that only read built-in scenarios (run, solve, sweep) the block's lines must appear,
in order and contiguous, in what the command prints today at 100 columns. When a scenario or
a renderer changes, rerun the command with ``COLUMNS=100`` and paste its output into the guide.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from negsim.cli import main

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "teaching" / "lesson-plan.md"
CHECKED = ("run", "solve", "sweep")


def console_blocks() -> list[tuple[str, list[str]]]:
    blocks = []
    for match in re.finditer(r"^( *)```console\n(.*?)^\1```", GUIDE.read_text(encoding="utf-8"), re.M | re.S):
        indent = len(match.group(1))
        lines = [line[indent:].rstrip() for line in match.group(2).splitlines()]
        assert lines[0].startswith("$ negsim "), lines[0]
        blocks.append((lines[0][2:], lines[1:]))
    return blocks


def test_guide_has_the_lesson():
    text = GUIDE.read_text(encoding="utf-8")
    minutes = [tuple(map(int, m)) for m in re.findall(r"^## (\d+)-(\d+) min", text, re.M)]
    assert minutes[0][0] == 0 and minutes[-1][1] == 50
    assert all(a[1] == b[0] for a, b in zip(minutes, minutes[1:])), "segments must follow each other"
    commands = {command.split()[1] for command, _ in console_blocks()}
    assert {"report", "exercise", "grade", *CHECKED} <= commands


@pytest.mark.slow
@pytest.mark.parametrize(
    "command, expected",
    [pytest.param(c, lines, id=c) for c, lines in console_blocks() if c.split()[1] in CHECKED],
)
def test_quoted_output_is_what_negsim_prints(command, expected, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(tmp_path)  # sweep writes its run folder here
    assert main(shlex.split(command)[1:]) == 0
    printed = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    starts = [k for k, line in enumerate(printed) if line == expected[0]]
    assert any(printed[k : k + len(expected)] == expected for k in starts), (
        f"the guide's output of `{command}` is out of date; rerun it with COLUMNS=100:\n" + "\n".join(printed)
    )
