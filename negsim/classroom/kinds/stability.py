"""Stability analysis of a conflict in option form: is a state stable for each decision maker
under Nash stability (R), sequential stability (SEQ) and, at the hard level, general and
symmetric metarationality (GMR, SMR), and is it an equilibrium?

The worksheet shows the states (their options as ``Y``/``N``) with each decision maker's
preference rank, says who controls which option and which moves cannot be undone, and asks
about one focal state. The key is the engine's verdicts (:func:`negsim.conflict.analyze`),
each checked against the matrix form of the definitions
(:func:`negsim.conflict.batch.batch_stability`); the worked solution gives every verdict's
witness in words: the improvement nothing deters, or for each improvement the sanction that
deters it. Students' variants differ in the focal state (and so in the answer).

The answer notation: ``{R: {turkey: stable, us: unstable}, SEQ: {...}, equilibria: [SEQ]}``
(``stable``/``unstable``, also ``yes``/``no``); ``equilibria`` lists the concepts under which
the state is stable for every decision maker (``[]`` for none).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from negsim.classroom.answers import AnswerError, Grade
from negsim.classroom.articles import article_title
from negsim.classroom.calc import KeyMismatch
from negsim.classroom.exercises import Exercise, Quote, Setup
from negsim.classroom.kinds.common import and_join, intro
from negsim.classroom.kinds.examples import notation, placeholder
from negsim.compile.source import Source
from negsim.conflict.batch import batch_stability
from negsim.conflict.model import Conflict, DecisionMaker, Option
from negsim.conflict.normal_form import from_normal_form, to_normal_form
from negsim.conflict.report import state_words
from negsim.conflict.stability import CONCEPT_NAMES, analyze, explain
from negsim.errors import InputError, Problem, did_you_mean

NAME = "stability"
TITLE = "Stability analysis (graph model)"

#: The concepts asked about at each difficulty.
CONCEPTS = {"easy": ("R",), "medium": ("R", "SEQ"), "hard": ("R", "GMR", "SMR", "SEQ")}
#: Most states a worksheet lists.
MAX_STATES = 32
#: Random conflicts: options per decision maker at each difficulty.
RANDOM_OPTIONS = {"easy": (1, 1), "medium": (2, 1), "hard": (2, 2)}
#: Random conflicts tried for a variant with the wanted signature.
MAX_ATTEMPTS = 200

_YES = {"stable", "yes", "y", "true", "s"}
_NO = {"unstable", "no", "n", "false", "u"}


# -- setups -------------------------------------------------------------------------------------


def _check_size(conflict: Conflict, origin: str) -> None:
    if len(conflict.states) > MAX_STATES:
        raise InputError(
            [
                Problem(
                    f"{origin}: {len(conflict.states)} states; stability worksheets list at most "
                    f"{MAX_STATES}",
                    path="SOURCE",
                )
            ]
        )


def _interesting(conflict: Conflict, concepts: Sequence[str]) -> tuple[list[int], list[int]]:
    """The states worth asking about: where the concepts disagree (the best questions), and the
    others where some decision maker has an improvement nothing deters under some concept."""
    a = analyze(conflict, concepts)
    disagree, unstable = [], []
    for s in conflict.states:
        if all(a.stable(c, d, s) for c in concepts for d in conflict.dm_ids):
            continue
        if len({tuple(a.stable(c, d, s) for d in conflict.dm_ids) for c in concepts}) > 1:
            disagree.append(s)
        else:
            unstable.append(s)
    if not disagree and not unstable:
        return list(conflict.states), []
    return disagree, unstable


def _setup(
    conflict: Conflict,
    difficulty: str,
    state: int,
    *,
    source: Source | None = None,
    values: Mapping[str, float] | None = None,
) -> Setup:
    game, _states = to_normal_form(conflict)
    return Setup(
        game,
        difficulty,
        source.scenario if source is not None else None,
        source.game if source is not None else None,
        dict(values or {}),
        {"conflict": conflict, "state": state},
    )


def scenario_setup(
    difficulty: str, source: Source, values: Mapping[str, float], focus: Mapping[str, Any] | None = None
) -> Setup:
    """The class's setup on a scenario: its conflict (a game in normal form is read in option
    form) at ``values``, and a focal state (``focus["state"]``, else the status quo when it makes
    a question, else the first state where the concepts disagree)."""
    conflict = (
        source.conflict_at(values) if source.conflict is not None else from_normal_form(source.at(values))
    )
    _check_size(conflict, source.origin)
    best, others = _interesting(conflict, CONCEPTS[difficulty])
    candidates = best or others
    state = (focus or {}).get("state")
    if state is None:
        state = conflict.status_quo if conflict.status_quo in candidates else candidates[0]
    return _setup(conflict, difficulty, int(state), source=source, values=values)


def _random_conflict(rng: random.Random, difficulty: str) -> Conflict:
    counts = RANDOM_OPTIONS[difficulty]
    names = ("Row", "Column")
    options, dms = [], []
    for i, count in enumerate(counts):
        ids = tuple(f"{names[i][0].lower()}{k + 1}" for k in range(count))
        options += [Option(o, f"{names[i]}'s option {k + 1}") for k, o in enumerate(ids)]
        dms.append(DecisionMaker(names[i].lower(), ids, names[i]))
    n = 1 << len(options)
    payoffs = np.array([rng.sample(range(1, n + 1), n) for _ in dms], dtype=float)  # strict: no ties
    return Conflict(
        tuple(dms), tuple(options), payoffs, id="random-conflict", title="A conflict in option form"
    )


def random_exercise(difficulty: str, rng: random.Random, wanted: tuple[Any, ...] | None = None) -> Exercise:
    """An exercise on a random conflict (two decision makers, strict preferences); with
    ``wanted``, one whose :func:`signature` is that."""
    for _ in range(MAX_ATTEMPTS):
        conflict = _random_conflict(rng, difficulty)
        best, others = _interesting(conflict, CONCEPTS[difficulty])
        exercise = build(_setup(conflict, difficulty, rng.choice(best or others)))
        if wanted is None or signature(exercise) == wanted:
            return exercise
    raise KeyMismatch(f"no {difficulty} random conflict with this shape of answer in {MAX_ATTEMPTS} tries")


def variant(
    base: Exercise, base_setup: Setup | None, *, difficulty: str, rng: random.Random, source: Source | None
) -> Exercise:
    """A student's variant: the same conflict with another focal state (one whose answer
    differs from the base's where there is such a state), or another random conflict."""
    if source is None or base_setup is None:
        return random_exercise(difficulty, rng, signature(base))
    conflict: Conflict = base_setup.focus["conflict"]
    focal = base_setup.focus["state"]
    best, others = _interesting(conflict, CONCEPTS[difficulty])
    rng.shuffle(best)
    rng.shuffle(others)
    order = (
        [s for s in (*best, *others) if s != focal] or [s for s in conflict.states if s != focal] or [focal]
    )
    fallback = None
    for state in order:
        exercise = build(_setup(conflict, difficulty, state, source=source, values=base_setup.values))
        if exercise.answer != base.answer:
            return exercise
        fallback = fallback or exercise
    assert fallback is not None
    return fallback


# -- the exercise -------------------------------------------------------------------------------


def _ranks(conflict: Conflict, dm: str) -> dict[int, int]:
    """1 = most preferred; tied states share a rank."""
    return {s: r for r, group in enumerate(conflict.ranking(dm), 1) for s in group}


def _check_with_matrix_form(conflict: Conflict, concepts: Sequence[str], state: int, a: Any) -> None:
    batch = batch_stability(conflict, conflict.payoffs[None], tuple(concepts))
    k = conflict.index[state]
    for c in concepts:
        for i, d in enumerate(conflict.dm_ids):
            if bool(batch.stable[c][0, i, k]) != a.stable(c, d, state):
                raise KeyMismatch(f"the two readings of {c} disagree for {d} at state {state}")


def _controls(conflict: Conflict) -> str:
    parts = []
    for d in conflict.decision_makers:
        parts.append(f"{d.label} controls {and_join([f'{o}' for o in d.options])}")
    fixed = [
        f"{o.id} ({'once taken, it stays' if o.direction == 'N->Y' else 'once dropped, it stays dropped'})"
        for o in conflict.options
        if o.direction != "both"
    ]
    text = "; ".join(parts) + "."
    if fixed:
        text += " Moves that cannot be undone: " + "; ".join(fixed) + "."
    return text


def build(setup: Setup) -> Exercise:
    conflict: Conflict = setup.focus["conflict"]
    state: int = setup.focus["state"]
    concepts = CONCEPTS[setup.difficulty]
    if state not in conflict.index:
        raise KeyMismatch(f"state {state} is not a feasible state")
    a = analyze(conflict, concepts)
    _check_with_matrix_form(conflict, concepts, state, a)
    verdicts = {
        c: {d: "stable" if a.stable(c, d, state) else "unstable" for d in conflict.dm_ids} for c in concepts
    }
    equilibria = [c for c in concepts if state in a.equilibria(c)]
    ranks = {d: _ranks(conflict, d) for d in conflict.dm_ids}
    header = (
        "state",
        *(o.id for o in conflict.options),
        *(f"rank for {d.label}" for d in conflict.decision_makers),
    )
    rows = [header] + [
        (
            f"{s}",
            *("Y" if s >> k & 1 else "N" for k in range(conflict.n_options)),
            *(str(ranks[d][s]) for d in conflict.dm_ids),
        )
        for s in conflict.states
    ]
    named = [f"{c} ({CONCEPT_NAMES[c]})" for c in concepts]
    question = (
        f"{_controls(conflict)} A decision maker moves by changing any of its own options at once. "
        f"Is state {state} ({conflict.yn(state)}: {state_words(conflict, state)}) stable for each "
        "decision maker "
        f"under {and_join(named)}? Under which of these concepts is it an equilibrium (stable for every "
        "decision maker)?"
    )
    steps: list[str] = [
        f"State {state} is {conflict.yn(state)}: {state_words(conflict, state)}. Rank 1 is a "
        "decision maker's "
        "favourite state; a unilateral improvement is a move by one decision maker, changing its own "
        "options only, to a state it ranks higher.",
    ]
    why: dict[str, dict[str, list[str]]] = {}
    for c in concepts:
        why[c] = {}
        for d in conflict.dm_ids:
            sentences = explain(conflict, a.verdict(c, d, state))
            why[c][d] = sentences
            # each deterred improvement as a step of its own
            steps += [f"Deterred: {line[2:]}" if line.startswith("- ") else line for line in sentences]
    steps.append(
        "Equilibrium under "
        + (and_join(equilibria) if equilibria else "none of these concepts")
        + ": "
        + (
            "stable for every decision maker."
            if equilibria
            else "for each concept some decision maker has an improvement nothing deters."
        )
    )
    answer = {**verdicts, "equilibria": equilibria}
    answer_text = "; ".join(
        f"{c}: " + ", ".join(f"{d} {v}" for d, v in verdicts[c].items()) for c in concepts
    )
    answer_text += f"; an equilibrium under {and_join(equilibria) if equilibria else 'none of them'}."
    return Exercise(
        kind=NAME,
        difficulty=setup.difficulty,
        title=TITLE,
        intro=intro(setup),
        setting=_setting(setup, conflict),
        question=question,
        game=setup.game,
        answer=answer,
        answer_text=answer_text,
        answer_format=_format(concepts, conflict.dm_ids),
        solution=tuple(steps),
        context=_quotes(setup),
        grading={
            "concepts": list(concepts),
            "decision_makers": list(conflict.dm_ids),
            "names": {d.id: d.label for d in conflict.decision_makers},
            "state": state,
            "why": why,
        },
        table=tuple(tuple(r) for r in rows),
        table_caption=(
            "The feasible states by decimal code, each option taken (Y) or not (N), and each decision "
            "maker's rank of the state (1 = most preferred; equal ranks are ties)."
        ),
    )


def _setting(setup: Setup, conflict: Conflict) -> str:
    scenario = setup.scenario
    title = getattr(scenario, "title", None)
    head = f"{title}. " if title else ""
    story = " ".join(((getattr(scenario, "description", None) or "").strip().split("\n\n")[0]).split())
    return (
        head
        + (story + " " if story else "")
        + f"The conflict in option form: {and_join([d.label for d in conflict.decision_makers])} "
        "each control "
        "yes/no options; a state is one combination of them. States are numbered by their decimal code: "
        "option k (in the table's order) adds 2^(k-1) when taken."
    )


def _quotes(setup: Setup) -> tuple[Quote, ...]:
    scenario = setup.scenario
    found: list[Quote] = []
    for source in getattr(scenario, "sources", None) or []:
        if source.quote and len(found) < 2:
            found.append(Quote(source.quote.strip(), article_title(source.file)))
    return tuple(found)


def _format(concepts: Sequence[str], dms: Sequence[str]) -> str:
    """The answer format, its example made of placeholders only: any verdict written out could
    be some student's answer."""
    verdicts = {d: placeholder("stable or unstable") for d in dms}
    data = {**{c: verdicts for c in concepts}, "equilibria": [placeholder("the concepts")]}
    return (f"stable or unstable for every decision maker ({', '.join(dms)}) under {', '.join(concepts)}, "
            f"and the concepts under which the state is an equilibrium; e.g. {notation(data)}")


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format (its example gives nothing away: it is placeholders)."""
    grading = exercise.grading
    return _format(grading["concepts"], grading["decision_makers"])


def answer_key(exercise: Exercise) -> tuple[Any, ...]:
    """The verdicts and the equilibrium concepts, to tell students' answers apart."""
    answer = exercise.answer
    verdicts = frozenset((c, d, v) for c, cells in answer.items() if c != "equilibria"
                         for d, v in cells.items())
    return (verdicts, tuple(sorted(answer["equilibria"])))


def signature(exercise: Exercise) -> tuple[Any, ...]:
    """What stays the same between two students' variants: the concepts, the decision makers and
    the number of states."""
    grading = exercise.grading
    return (tuple(grading["concepts"]), tuple(grading["decision_makers"]), len(exercise.table) - 1)


def _verdict(raw: object, path: tuple[Any, ...]) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _YES | _NO:
        return raw.strip().lower() in _YES
    raise AnswerError(f"expected stable or unstable, got {raw!r}", path)


def grade(game: Any, answer: Any, grading: dict[str, Any], raw: object) -> Grade:
    concepts = list(grading["concepts"])
    dms = list(grading["decision_makers"])
    names = grading.get("names", {})
    if not isinstance(raw, dict):
        raise AnswerError(f"expected {{{concepts[0]}: {{{dms[0]}: stable, ...}}, ..., equilibria: [...]}}")
    given_keys: dict[str, Any] = {
        "equilibria" if str(k).lower() == "equilibria" else str(k).upper(): k for k in raw
    }
    feedback: list[str] = []
    mistakes: list[str] = []
    right = total = 0
    for c in concepts:
        total += len(dms)
        key: Any = given_keys.get(c)
        cells = raw.get(key) if key is not None else None
        if cells is None:
            feedback.append(f"No verdicts under {c}.")
            mistakes.append(f"no {c} verdicts")
            continue
        if not isinstance(cells, dict):
            raise AnswerError(f"expected {{{dms[0]}: stable, ...}} under {c}", (key,))
        lowered = {str(d).lower(): d for d in cells}
        for d in lowered:
            if d not in dms:
                raise AnswerError(f"unknown decision maker {d!r}{did_you_mean(d, dms)}", (key, lowered[d]))
        for d in dms:
            expected = answer[c][d] == "stable"
            if d not in lowered:
                feedback.append(f"{c}: no verdict for {names.get(d, d)}.")
                mistakes.append(f"missing {c} verdict")
                continue
            mine = _verdict(cells[lowered[d]], (key, lowered[d]))
            if mine == expected:
                right += 1
                continue
            reason = " ".join(grading["why"][c][d])
            feedback.append(
                f"{c}, {names.get(d, d)}: {'stable' if expected else 'unstable'}, not "
                f"{'stable' if mine else 'unstable'}. {reason}"
            )
            mistakes.append(
                f"{c} called {'stable' if mine else 'unstable'} wrongly"
                + (" (a sanction that is not credible)" if c == "SEQ" and mine else "")
            )
    key = given_keys.get("equilibria")
    listed = raw.get(key, []) if key is not None else None
    if listed is None:
        listed = []
    if isinstance(listed, str):
        listed = [listed]
    if not isinstance(listed, list):
        raise AnswerError("expected equilibria as a list of concepts, e.g. [SEQ]", ("equilibria",))
    mine_eq = {str(x).strip().upper() for x in listed}
    unknown = sorted(mine_eq - set(concepts))
    if unknown:
        raise AnswerError(
            f"unknown concept {unknown[0]!r}{did_you_mean(unknown[0], concepts)}", ("equilibria",)
        )
    for c in concepts:
        total += 1
        if (c in mine_eq) == (c in answer["equilibria"]):
            right += 1
        else:
            state = grading["state"]
            feedback.append(
                f"State {state} is {'' if c in answer['equilibria'] else 'not '}an equilibrium under "
                f"{c}: it is "
                + ("stable for every decision maker." if c in answer["equilibria"]
                   else "unstable for some decision maker.")
            )
            mistakes.append("wrong equilibrium")
    score = Fraction(right, total)
    if score == 1:
        feedback.insert(0, "Correct.")
    return Grade(score, feedback, list(dict.fromkeys(mistakes)))
