"""Sequential games solved by backward induction.

For a game tree with perfect information (every player sees every earlier move, no chance
moves), the worked solution starts at the last decisions and works back to the first: at each
decision node the mover picks the move whose continuation pays it most, in exact fractions.
The choices must be the engine's (:func:`negsim.tree.subgame_perfect`, which must find exactly
this one subgame-perfect equilibrium), and a tie anywhere means no exercise: backward
induction then has more than one answer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from negsim.classroom.answers import AnswerError, Grade
from negsim.classroom.calc import KeyMismatch, fmt
from negsim.classroom.exercises import Exercise, Figure, Setup
from negsim.classroom.kinds.common import make_exercise, poss, quotes
from negsim.classroom.kinds.examples import notation, placeholder
from negsim.errors import InputError, Problem, did_you_mean
from negsim.numbers import plain_fraction
from negsim.plot.tree import move_names_of, tree_figure
from negsim.sequential import subgame_perfect
from negsim.solve.exact import as_fraction

NAME = "sequential"
TITLE = "Sequential game: backward induction"

#: Most outcomes of a tree a worksheet asks about.
MAX_OUTCOMES = 24
ARROW = " \u2192 "


def check_tree(tree) -> None:

    shape = tree.shape
    problems = []
    if shape.n_chance:
        problems.append("it has chance moves")
    if any(len(s.nodes) > 1 for s in shape.infosets):
        problems.append("some player does not see an earlier move (imperfect information)")
    if len(shape.leaves) > MAX_OUTCOMES:
        problems.append(f"it has {len(shape.leaves)} outcomes (at most {MAX_OUTCOMES})")
    if problems:
        raise InputError(
            [
                Problem(
                    f"{tree.id or 'this game'}: backward-induction exercises need a small tree with perfect "
                    "information and no chance moves, but " + " and ".join(problems),
                    path="--kinds",
                )
            ]
        )


def backward_induction(tree) -> tuple[dict[int, int], dict[int, tuple[Fraction, ...]], list[str]]:
    """The choice at every decision node, each node's continuation payoffs, and the steps."""
    shape = tree.shape
    exact = np.vectorize(as_fraction, otypes=[object])(tree.payoffs)
    value: dict[int, tuple[Fraction, ...]] = {}
    choice: dict[int, int] = {}
    steps: list[str] = []
    for k in reversed(range(len(shape.nodes))):  # children come after their parent
        node = shape.nodes[k]
        if node.kind == "terminal":
            value[k] = tuple(exact[:, node.outcome])
            continue
        i = node.player
        options = [value[c][i] for c in node.children]
        best = max(options)
        if options.count(best) > 1:
            raise KeyMismatch(
                f"a tie at {shape.history_text(k)}: backward induction has more than one answer"
            )
        a = options.index(best)
        choice[k] = a
        value[k] = value[node.children[a]]
        compared = ", ".join(f"{node.actions[b]} {fmt(v)}" for b, v in enumerate(options))
        where = "At the start" if k == 0 else f"After {shape.history_text(k)}"
        steps.append(
            f"{where}, {shape.player_names[i]} compares what each move leads to "
            f"({poss(shape.player_names[i])} payoff): {compared}. "
            f"{shape.player_names[i]} chooses {node.actions[a]}."
        )
    return choice, value, steps


def _check_with_engine(tree, choice: dict[int, int]) -> None:

    solution = subgame_perfect(tree)
    if len(solution.equilibria) != 1 or not solution.equilibria[0].pure:
        raise KeyMismatch("the engine does not find exactly one pure subgame-perfect equilibrium")
    (spe,) = solution.equilibria
    for k, a in choice.items():
        if spe.choice(tree.shape.nodes[k].infoset) != a:
            raise KeyMismatch(f"the engine chooses differently at {tree.shape.history_text(k)}")


def _path(shape, choice: dict[int, int]) -> list[str]:
    moves, k = [], 0
    while shape.nodes[k].kind != "terminal":
        a = choice[k]
        moves.append(shape.nodes[k].actions[a])
        k = shape.nodes[k].children[a]
    return moves


def _figure(tree, scenario: object | None = None) -> Figure | None:
    """The tree drawn by negsim's tree figure (no equilibrium marked: that is the question),
    each move by its name with the short name students write in brackets."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    named = move_names_of(scenario, tree)

    def names(player: int, move: str) -> str:
        name = named(player, move)
        return move if name.lower() == move.lower() else f"{name} ({move})"

    figure = tree_figure(tree, None, title=" ", names=names)
    try:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=80, metadata={"Software": None})
    finally:
        plt.close(figure)
    return Figure(
        "tree", "The game tree: who moves when, and the payoffs at the end of each path.", buffer.getvalue()
    )


def build(setup: Setup) -> Exercise:
    tree = setup.focus["tree"]
    check_tree(tree)
    shape = tree.shape
    choice, value, steps = backward_induction(tree)
    _check_with_engine(tree, choice)
    path = _path(shape, choice)
    payoffs = value[0]
    labels = {k: shape.infosets[shape.nodes[k].infoset].label for k in choice}
    plan = {labels[k]: shape.nodes[k].actions[a] for k, a in sorted(choice.items())}
    steps.append(
        "Equilibrium path (subgame perfect): "
        + " \u2192 ".join(path)
        + ", with payoffs "
        + ", ".join(f"{shape.player_names[i]} {fmt(v)}" for i, v in enumerate(payoffs))
        + "."
    )
    off_path = [k for k in choice if k != 0 and not _on_path(shape, choice, k)]
    if off_path:
        steps.append(
            "The choices off the path matter too: they are what the earlier mover expects, and they "
            "make the plan credible at every point of the tree."
        )
    exact = np.vectorize(as_fraction, otypes=[object])(tree.payoffs)
    header = ("path", *shape.player_names)
    rows = [header] + [
        (
            ARROW.join(shape.nodes[p].actions[a] for p, a in shape.path_to(leaf)),
            *(fmt(exact[i, shape.nodes[leaf].outcome]) for i in range(shape.n_players)),
        )
        for leaf in shape.leaves
    ]
    movers = []
    for k in range(len(shape.nodes)):
        node = shape.nodes[k]
        if node.kind == "decision" and shape.player_names[node.player] not in movers:
            movers.append(shape.player_names[node.player])
    order = " then ".join(movers)
    points = "; ".join(f"{labels[k]} ({shape.player_names[shape.nodes[k].player]})" for k in sorted(choice))
    question = (
        f"The players move in turn ({order}), each seeing the moves made before. Solve the game by "
        "backward induction: what does each player choose at each of its decision points, and what "
        f"is the equilibrium path? The decision points: {points}."
    )
    # Drawing takes about a second: variant searches build drafts and draw only the one kept.
    figure = None if setup.focus.get("draft") else _figure(tree, setup.scenario)
    first_moves = [(shape.nodes[0].player, choice[0])]
    return make_exercise(
        setup, NAME, TITLE, example,
        question=question,
        game=setup.game,
        answer={"path": path, "choices": plan},
        answer_text=(
            "Path: "
            + ARROW.join(path)
            + ". Choices: "
            + "; ".join(f"{label}: {move}" for label, move in plan.items())
            + "."
        ),
        solution=tuple(steps),
        context=quotes(
            setup,
            [(i, k) for i, k in first_moves if k < setup.game.shape[i]] if setup.scenario is not None else (),
        ),
        figures=(figure,) if figure is not None else (),
        grading={
            "on_path": [labels[k] for k in sorted(choice) if _on_path(shape, choice, k)],
            "nodes": {
                labels[k]: {
                    "player": shape.player_names[shape.nodes[k].player],
                    "options": {
                        shape.nodes[k].actions[b]: plain_fraction(value[c][shape.nodes[k].player])
                        for b, c in enumerate(shape.nodes[k].children)
                    },
                }
                for k in sorted(choice)
            },
        },
        table=tuple(tuple(row) for row in rows),
        table_caption=(
            "Every path through the game, with each player's payoff at its end ("
            + "; ".join(shape.player_names) + ")."
        ),
    )


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example path that is the equilibrium path of none of
    ``others``, and an example choice that none of them makes (where there is one)."""
    paths = [tuple(row[0].split(ARROW)) for row in exercise.table[1:]]
    taken = {tuple(m.lower() for m in ex.answer["path"]) for ex in others}
    path = next((p for p in paths if tuple(m.lower() for m in p) not in taken), None)
    nodes = exercise.grading["nodes"]
    choices = {}
    for label, node in nodes.items():
        used = {str(ex.answer["choices"].get(label, "")).lower() for ex in others}
        move = next((m for m in node["options"] if m.lower() not in used), None)
        if move is not None:
            choices[label] = move
            break
    data = {"path": list(path) if path is not None else [placeholder("the moves on the path")],
            "choices": choices}
    return (
        f"the equilibrium path and a move for every decision point ({', '.join(nodes)}); "
        f"e.g. {notation(data)}"
    )


def _on_path(shape, choice: dict[int, int], node: int) -> bool:
    k = 0
    while shape.nodes[k].kind != "terminal":
        if k == node:
            return True
        k = shape.nodes[k].children[choice[k]]
    return False




def signature(exercise: Exercise) -> tuple:
    return (len(exercise.table) - 1, len(exercise.answer["choices"]), len(exercise.answer["path"]))


def grade(game, answer: Any, grading: dict, raw: object) -> Grade:
    if not isinstance(raw, dict) or "path" not in raw:
        raise AnswerError("expected {path: [...], choices: {decision point: move, ...}}")
    path = raw.get("path")
    if not isinstance(path, list) or not all(isinstance(m, str) for m in path):
        raise AnswerError("expected the path as a list of moves, from the first to the last", ("path",))
    nodes = grading.get("nodes", {})
    choices = raw.get("choices") or {}
    if not isinstance(choices, dict):
        raise AnswerError("expected the choices as a mapping: decision point -> move", ("choices",))
    lowered = {label.lower(): label for label in nodes}
    given: dict[str, str] = {}
    for label, move in choices.items():
        key = lowered.get(str(label).strip().lower())
        if key is None:
            raise AnswerError(
                f"unknown decision point {label!r}{did_you_mean(str(label), list(nodes))}", ("choices", label)
            )
        moves = list(nodes[key]["options"])
        if not isinstance(move, str) or move.strip().lower() not in [m.lower() for m in moves]:
            raise AnswerError(f"expected one of the moves {', '.join(moves)} at {key}", ("choices", label))
        given[key] = next(m for m in moves if m.lower() == move.strip().lower())
    feedback, mistakes = [], []
    path_right = [m.lower() for m in path] == [m.lower() for m in answer["path"]]
    if not path_right:
        feedback.append(
            f"The equilibrium path is {ARROW.join(answer['path'])}, not {ARROW.join(path) or 'empty'}."
        )
        mistakes.append("wrong equilibrium path")
    wrong = []
    for label, right_move in answer["choices"].items():
        mine = given.get(label)
        if mine == right_move:
            continue
        options = nodes[label]["options"]
        player = nodes[label]["player"]
        compared = ", ".join(f"{m} {fmt(Fraction(str(v)))}" for m, v in options.items())
        if mine is None:
            feedback.append(f"No choice given at {label!r}: {player} would choose {right_move} ({compared}).")
        else:
            feedback.append(f"{label}: {player} would choose {right_move}, not {mine} ({compared}).")
        wrong.append(label)
    on_path = set(grading.get("on_path", []))
    if any(label in on_path for label in wrong):
        mistakes.append("wrong choice on the path")
    if any(label not in on_path for label in wrong):
        mistakes.append("wrong choice off the path (an incomplete plan)")
    total = len(answer["choices"])
    score = Fraction(int(path_right), 2) + Fraction(total - len(wrong), 2 * total)
    if score == 1:
        feedback.insert(0, "Correct.")
    return Grade(score, feedback, mistakes)


def answer_key(exercise: Exercise) -> tuple:
    """The path and the move at each decision point."""
    answer = exercise.answer
    return (tuple(m.lower() for m in answer["path"]),
            frozenset((label, move.lower()) for label, move in answer["choices"].items()))
