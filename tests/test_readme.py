"""The README's Python examples run as written, and say what negsim computes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)


def test_the_readme_has_a_notebook_section():
    text = README.read_text(encoding="utf-8")
    section = text.split("## In a notebook", 1)[1].split("\n## ", 1)[0]
    assert all(word in section for word in ("negsim.load", "sweep_over", "to_pandas", "figures()"))


@pytest.mark.parametrize("block", python_blocks(), ids=lambda b: b.splitlines()[-1][:40])
def test_python_example_runs(block, tmp_path, monkeypatch, capsys):
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)  # anything an example writes lands here
    exec(compile(block, str(README), "exec"), {"__name__": "readme"})
    printed = capsys.readouterr().out
    if "sweep_over" in block:
        import negsim

        result = negsim.sweep_over("s400-2025-limited-use", {"sanction_cost": "0:10:21"})
        for sentence in result.sentences:
            assert sentence in printed
        assert (tmp_path / "equilibria.png").stat().st_size > 10_000
        assert [p.name for p in (tmp_path / "runs").iterdir()][0].startswith("s400-2025-limited-use-")
        assert "Turkey: Limited activation" in printed   # the solution at sanction_cost 6
