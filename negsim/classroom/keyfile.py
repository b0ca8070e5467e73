"""The answer key file (``key.yaml``) and blank answer files.

The key holds, for every student (or once for the whole class), every exercise's kind, its
answer in the answer-file notation, what the grader needs to explain mistakes, and the game
itself (payoffs as exact fractions), so grading needs nothing but this file. Its ``answers``
sections are themselves valid answer files' contents: grading the key against itself gives
full marks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml

from negsim.classroom.calc import exact_payoffs, parse_number
from negsim.classroom.exercises import Exercise, ExerciseSet
from negsim.classroom.kinds import KINDS
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.numbers import plain_fraction
from negsim.scenario.yamltree import Mark, read_tree

__all__ = ["KEY_VERSION", "KeyEntry", "StudentKey", "answer_template", "key_to_yaml", "read_key"]

KEY_VERSION = 1


@dataclass(frozen=True, eq=False)
class KeyEntry:
    """One exercise of one student's key."""

    id: str
    kind: str
    title: str
    points: int
    answer: Any
    answer_text: str
    grading: dict
    game: Game


@dataclass(frozen=True, eq=False)
class StudentKey:
    student: str
    name: str
    exercises: tuple[KeyEntry, ...]


@dataclass(frozen=True, eq=False)
class Key:
    """A whole key file: per-student keys, or one ``shared`` key for everyone."""

    title: str
    source: str
    seed: int
    students: dict[str, StudentKey]
    shared: StudentKey | None
    file: str = ""

    def for_student(self, student: str) -> StudentKey | None:
        if self.shared is not None:
            return self.shared
        return self.students.get(student)




def game_to_data(game: Game) -> dict:
    exact = exact_payoffs(game)
    return {
        "players": list(game.players),
        "player_names": list(game.player_names),
        "strategies": [list(s) for s in game.strategies],
        "strategy_names": [list(s) for s in game.strategy_names],
        # one nested list per player, indexed by the strategies (any number of players)
        "payoffs": np.vectorize(plain_fraction, otypes=[object])(exact).tolist(),
    }


def game_from_data(data: dict) -> Game:
    cells = np.array(data["payoffs"], dtype=object)
    exact = np.empty(cells.shape, dtype=object)
    for index, value in np.ndenumerate(cells):
        number = parse_number(value)
        if number is None:
            raise ValueError(f"payoff {value!r} is not a number")
        exact[index] = number
    return Game(
        players=tuple(data["players"]),
        strategies=tuple(tuple(s) for s in data["strategies"]),
        payoffs=exact.astype(float),
        player_names=tuple(data.get("player_names") or data["players"]),
        strategy_names=tuple(tuple(s) for s in data.get("strategy_names") or data["strategies"]),
        exact_payoffs=exact,
    )


def _exercise_data(ex: Exercise) -> dict:
    return {
        "kind": ex.kind,
        "title": ex.title,
        "points": ex.points,
        "answer": ex.answer,
        "answer_text": ex.answer_text,
        "grading": dict(ex.grading),
        "game": game_to_data(ex.game),
    }


def key_to_yaml(sets: Sequence[ExerciseSet]) -> str:
    """The key file for the exercise sets of one command (the class's set, or one per student)."""
    first = sets[0]
    data: dict[str, Any] = {
        "negsim_key": KEY_VERSION,
        "title": first.title,
        "source": first.source,
        "seed": first.seed,
    }
    if len(sets) == 1 and not first.student:
        data["shared"] = {"exercises": {ex.id: _exercise_data(ex) for ex in first.exercises}}
    else:
        data["students"] = {
            s.student: {
                "name": s.student_name,
                "exercises": {ex.id: _exercise_data(ex) for ex in s.exercises},
            }
            for s in sets
        }
    header = (
        "# negsim answer key: grade answer files with `negsim grade key.yaml ANSWERS...`.\n"
        "# Each exercise's `answer` is written in the answer-file notation.\n"
    )
    return header + yaml.dump(data, Dumper=_KeyDumper, sort_keys=False, allow_unicode=True, width=100)


class _KeyDumper(yaml.SafeDumper):
    """Lists and mappings of plain values (profiles, matrix rows, mixes) on one line, as people
    write them."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flat = all(not isinstance(item, (list, dict)) for item in data)
    nested = all(
        isinstance(item, list) and all(not isinstance(x, (list, dict)) for x in item) for item in data
    )
    return dumper.represent_sequence(
        "tag:yaml.org,2002:seq", data, flow_style=flat or (nested and bool(data))
    )


def _represent_dict(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    flat = bool(data) and all(not isinstance(v, (list, dict)) for v in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flat)


_KeyDumper.add_representer(list, _represent_list)
_KeyDumper.add_representer(dict, _represent_dict)


def answer_template(exercise_set: ExerciseSet) -> str:
    """A blank answer file for one student, with the expected notation as comments."""
    lines = [
        "# Answer file: fill in each answer after its colon, then hand it back.",
        "# Strategies are written with their short names; fractions like 1/3 are fine.",
        f"student: {_scalar(exercise_set.student or 'your-id')}",
        "answers:",
    ]
    for ex in exercise_set.exercises:
        lines.append(f"  # {ex.id} ({ex.title}): {ex.answer_format}")
        lines.append(f"  {ex.id}:")
    return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    return yaml.safe_dump(text, default_style=None).splitlines()[0].removesuffix("...").strip()


# -- reading --------------------------------------------------------------------------------------


def _problem(file: str, mark: Mark | None, path: str, message: str) -> Problem:
    return Problem(
        message, path=path, file=file, line=mark.line if mark else None, column=mark.column if mark else None
    )


def read_key(path: str) -> Key:
    """Read a key written by :func:`key_to_yaml`; an :class:`InputError` if it is not one."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise InputError([Problem(f"cannot read the key: {exc.strerror or exc}", file=path)]) from None
    except UnicodeDecodeError:
        raise InputError([Problem("the key is not UTF-8 text", file=path)]) from None
    tree, problems = read_tree(text, path)
    if tree is None:
        raise InputError([_problem(path, p.mark, ".".join(map(str, p.path)), p.message) for p in problems])
    data = tree.data
    if not isinstance(data, dict) or data.get("negsim_key") != KEY_VERSION:
        raise InputError(
            [
                _problem(
                    path,
                    tree.marks.value(()),
                    "negsim_key",
                    f"not a negsim answer key (expected negsim_key: {KEY_VERSION}; "
                    "keys are written by `negsim exercise`)",
                )
            ]
        )
    problems: list[Problem] = []

    def student_key(student: str, name: str, exercises: object, where: tuple) -> StudentKey | None:
        if not isinstance(exercises, dict):
            problems.append(
                _problem(
                    path,
                    tree.marks.value(where),
                    ".".join(map(str, where)),
                    "expected a mapping of exercises",
                )
            )
            return None
        entries = []
        for ex_id, entry in exercises.items():
            at = (*where, ex_id)
            try:
                if entry["kind"] not in KINDS:
                    raise ValueError(f"unknown kind {entry['kind']!r}")
                entries.append(
                    KeyEntry(
                        id=str(ex_id),
                        kind=entry["kind"],
                        title=str(entry.get("title", "")),
                        points=int(entry.get("points", 1)),
                        answer=entry["answer"],
                        answer_text=str(entry.get("answer_text", "")),
                        grading=dict(entry.get("grading") or {}),
                        game=game_from_data(entry["game"]),
                    )
                )
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
                problems.append(
                    _problem(
                        path,
                        tree.marks.value(at),
                        ".".join(map(str, at)),
                        f"not a valid key entry ({detail})",
                    )
                )
        return StudentKey(student, name, tuple(entries))

    shared = None
    students: dict[str, StudentKey] = {}
    if "shared" in data:
        shared = student_key("", "", (data["shared"] or {}).get("exercises"), ("shared", "exercises"))
    elif isinstance(data.get("students"), dict):
        for student, entry in data["students"].items():
            entry = entry if isinstance(entry, dict) else {}
            found = student_key(
                str(student),
                str(entry.get("name") or ""),
                entry.get("exercises"),
                ("students", student, "exercises"),
            )
            if found is not None:
                students[str(student)] = found
    else:
        problems.append(
            _problem(path, tree.marks.value(()), "", "the key has neither `shared` nor `students`")
        )
    if problems:
        raise InputError(problems)
    return Key(
        str(data.get("title", "")),
        str(data.get("source", "")),
        int(data.get("seed", 0)),
        students,
        shared,
        path,
    )
