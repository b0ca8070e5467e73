"""Mixed equilibria by indifference (2x2, 2x3 and 3x3 games).

The worked solution goes through every pair of supports of equal size by hand (for a
nondegenerate game, the supports of an equilibrium have equal size): each player's mix must
make the *other* player indifferent between the strategies that other player uses, and no
unused strategy may pay more. The list of equilibria found this way, in exact fractions, must
equal the engine's exact list, or no exercise is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any

from negsim.classroom.answers import AnswerError, Grade, close_enough, parse_mix, parse_player, parse_profile
from negsim.classroom.calc import KeyMismatch, exact_game, fmt, fmt_linear, matrices
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds.common import (
    and_join,
    check_two_players,
    make_exercise,
    poss,
    quotes,
    why_not_equilibrium,
)
from negsim.classroom.kinds.examples import fraction, free_mix, notation, placeholder
from negsim.classroom.kinds.pure import free_profile, marking_steps, pure_equilibria
from negsim.game import Game
from negsim.numbers import plain_fraction
from negsim.solve import solve
from negsim.solve.exact import solve_linear

NAME = "mixed"
TITLE = "Mixed equilibria by indifference"

Mixes = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]


def _payoffs_of(matrix, player: int, own: int, other: int) -> Fraction:
    return matrix[own][other] if player == 0 else matrix[other][own]


def _indifference(
    game: Game,
    player: int,
    support: Sequence[int],
    other_support: Sequence[int],
) -> tuple[list[str], tuple[Fraction, ...] | None, Fraction | None]:
    """The other player's mix over ``other_support`` that makes ``player`` indifferent on ``support``.

    Returns the sentences of the derivation, the mix (in full strategy order; ``None`` when no
    valid mix exists) and ``player``'s payoff at it.
    """
    A, B = matrices(game)
    own_matrix = A if player == 0 else B
    other = 1 - player
    names = game.strategies
    m_other = game.shape[other]
    lines: list[str] = []
    if len(other_support) == 2:
        a, b = other_support
        var = "q" if player == 0 else "p"
        lines.append(
            f"Let {var} be the probability that {game.player_names[other]} plays {names[other][a]} "
            f"(and {names[other][b]} with 1 \u2212 {var})."
        )
        exprs = []
        for s in support:
            hi, lo = _payoffs_of(own_matrix, player, s, a), _payoffs_of(own_matrix, player, s, b)
            exprs.append((lo, hi - lo))  # lo + (hi - lo) * var
            lines.append(
                f"{poss(game.player_names[player])} expected payoff from {names[player][s]}: "
                f"{fmt(hi)}{var} + {fmt(lo)}(1 \u2212 {var}) = {fmt_linear(lo, hi - lo, var)}."
            )
        (c1, s1), (c2, s2) = exprs[0], exprs[1]
        if s1 == s2:
            lines.append(
                f"The two expressions never become equal as {var} varies: no mix makes "
                f"{game.player_names[player]} indifferent."
            )
            return lines, None, None
        x = (c2 - c1) / (s1 - s2)
        lines.append(
            f"{game.player_names[player]} is willing to mix only if they are equal: "
            f"{fmt_linear(c1, s1, var)} = {fmt_linear(c2, s2, var)}, so {var} = {fmt(x)}."
        )
        if not 0 < x < 1:
            lines.append(f"{var} = {fmt(x)} is not a probability strictly between 0 and 1.")
            return lines, None, None
        probs = [Fraction(0)] * m_other
        probs[a], probs[b] = x, 1 - x
        value = c1 + s1 * x
        return lines, tuple(probs), value
    # Three or more strategies in the support: a small linear system.
    k = len(other_support)
    variables = [f"{'q' if player == 0 else 'p'}{j + 1}" for j in range(k)]
    lines.append(
        f"Let {', '.join(f'{v} = P({names[other][t]})' for v, t in zip(variables, other_support))} "
        f"be {poss(game.player_names[other])} probabilities, with {' + '.join(variables)} = 1."
    )
    rows = []
    for s in support:
        coeffs = [_payoffs_of(own_matrix, player, s, t) for t in other_support]
        rows.append(coeffs)
        lines.append(
            f"{poss(game.player_names[player])} expected payoff from {names[player][s]}: "
            + " + ".join(f"{fmt(c)}{v}" for c, v in zip(coeffs, variables))
            + "."
        )
    # unknowns: probabilities and the common payoff v; rows: payoff_s - v = 0, sum = 1
    matrix = [[*r, Fraction(-1)] for r in rows] + [[Fraction(1)] * k + [Fraction(0)]]
    rhs = [Fraction(0)] * len(rows) + [Fraction(1)]
    solution = solve_linear(matrix, rhs) if len(rows) == k else None
    if solution is None:
        lines.append("These equations have no single solution: no equilibrium with these supports.")
        return lines, None, None
    *x, value = solution
    lines.append(
        f"Setting the {len(rows)} payoffs equal and the probabilities to sum to 1 gives "
        + ", ".join(f"{v} = {fmt(p)}" for v, p in zip(variables, x))
        + f" (each payoff {fmt(value)})."
    )
    if any(p <= 0 for p in x):
        lines.append("Some probability is not positive, so this is not a valid mix.")
        return lines, None, None
    probs = [Fraction(0)] * m_other
    for t, p in zip(other_support, x):
        probs[t] = p
    return lines, tuple(probs), value


def _unused_check(
    game: Game, player: int, support: Sequence[int], other_mix: Sequence[Fraction], value: Fraction
) -> tuple[list[str], bool]:
    """Does any strategy outside ``support`` pay ``player`` more against ``other_mix``?"""
    A, B = matrices(game)
    own_matrix = A if player == 0 else B
    lines, ok = [], True
    for s in range(game.shape[player]):
        if s in support:
            continue
        payoff = sum(_payoffs_of(own_matrix, player, s, t) * q for t, q in enumerate(other_mix))
        if payoff > value:
            lines.append(
                f"But {poss(game.player_names[player])} unused {game.strategies[player][s]} would pay "
                f"{fmt(payoff)} > {fmt(value)}: not an equilibrium."
            )
            ok = False
        else:
            lines.append(
                f"Check: {poss(game.player_names[player])} unused {game.strategies[player][s]} pays "
                f"{fmt(payoff)} \u2264 {fmt(value)}, so it is not worth using."
            )
    return lines, ok


def support_enumeration(game: Game, sizes: Sequence[int]) -> tuple[list[str], list[Mixes]]:
    """Every equilibrium whose supports have one of the given sizes (>= 2), with the steps."""
    lines: list[str] = []
    found: list[Mixes] = []
    for k in sizes:
        for rows in combinations(range(game.shape[0]), k):
            for cols in combinations(range(game.shape[1]), k):
                lines.append(
                    f"Supports {game.player_names[0]} {{{', '.join(game.strategies[0][r] for r in rows)}}}, "
                    f"{game.player_names[1]} {{{', '.join(game.strategies[1][c] for c in cols)}}}:"
                )
                text_q, q, v_row = _indifference(game, 0, rows, cols)
                lines.extend(text_q)
                if q is None:
                    continue
                text_p, p, v_col = _indifference(game, 1, cols, rows)
                lines.extend(text_p)
                if p is None:
                    continue
                check_row, ok_row = _unused_check(game, 0, rows, q, v_row)
                check_col, ok_col = _unused_check(game, 1, cols, p, v_col)
                lines.extend(check_row + check_col)
                if ok_row and ok_col:
                    lines.append(
                        f"Equilibrium: {mix_text(game, (p, q))}, with expected payoffs "
                        f"{game.player_names[0]} {fmt(v_row)}, {game.player_names[1]} {fmt(v_col)}."
                    )
                    found.append((p, q))
    return lines, found


def mix_text(game: Game, mixes: Mixes) -> str:
    parts = []
    for i, probs in enumerate(mixes):
        used = [(game.strategies[i][k], p) for k, p in enumerate(probs) if p != 0]
        if len(used) == 1:
            parts.append(f"{game.player_names[i]} plays {used[0][0]}")
        else:
            parts.append(f"{game.player_names[i]} plays " + ", ".join(f"{s} {fmt(p)}" for s, p in used))
    return " and ".join(parts)


def _unit(m: int, k: int) -> tuple[Fraction, ...]:
    return tuple(Fraction(int(j == k)) for j in range(m))


def equilibria(game: Game, scope: str) -> tuple[list[str], list[Mixes]]:
    """The worked steps and the equilibria asked for; checked against the engine."""
    solution = solve(game, exact=True)
    if solution.degenerate:
        raise KeyMismatch("mixed-equilibrium exercises need a nondegenerate game")
    engine = {tuple(tuple(s) for s in e.exact_strategies) for e in solution.equilibria}
    steps: list[str] = []
    found: list[Mixes] = []
    smallest = min(game.shape)
    if scope == "all":
        pure = pure_equilibria(game)
        steps.append("Pure equilibria first, by marking best responses:")
        steps.extend(marking_steps(game))
        steps.append(
            "Pure equilibria: "
            + (
                ", ".join(mix_text(game, (_unit(game.shape[0], r), _unit(game.shape[1], c))) for r, c in pure)
                or "none"
            )
            + "."
        )
        found.extend((_unit(game.shape[0], r), _unit(game.shape[1], c)) for r, c in pure)
        steps.append(
            "Mixed equilibria: in a nondegenerate game both players mix over the same number of "
            "strategies, and each player's mix must make the other indifferent between the "
            "strategies the other uses."
        )
        lines, mixed = support_enumeration(game, range(2, smallest + 1))
        steps.extend(lines)
        found.extend(mixed)
        if set(found) != engine:
            raise KeyMismatch(f"support enumeration by hand {found} differs from the engine {engine}")
    else:  # "full": the completely mixed equilibrium only
        if game.shape[0] != game.shape[1]:
            raise KeyMismatch("a completely mixed equilibrium needs a square game")
        steps.append(
            "In a completely mixed equilibrium each player uses every strategy, so each player's "
            "mix must make the other indifferent among all of the other's strategies."
        )
        lines, mixed = support_enumeration(game, [smallest])
        steps.extend(lines)
        found.extend(mixed)
        if len(found) != 1 or found[0] not in engine:
            raise KeyMismatch(f"completely mixed equilibrium by hand {found} not among the engine's {engine}")
    return steps, found


def answer_entry(game: Game, mixes: Mixes) -> list[str] | dict:
    """``[top, left]`` for a pure equilibrium, ``{row: {top: 1/3, ...}, ...}`` for a mixed one."""
    supports = [[k for k, p in enumerate(probs) if p != 0] for probs in mixes]
    if all(len(s) == 1 for s in supports):
        return [game.strategies[i][s[0]] for i, s in enumerate(supports)]
    return {
        game.players[i]: {game.strategies[i][k]: plain_fraction(p) for k, p in enumerate(probs) if p != 0}
        for i, probs in enumerate(mixes)
    }




def build(setup: Setup) -> Exercise:
    game = exact_game(setup.game)
    check_two_players(game)
    scope = setup.focus.get("scope") or ("full" if min(game.shape) >= 3 else "all")
    steps, found = equilibria(game, scope)
    reduction = setup.focus.get("reduction", "")
    if scope == "all":
        question = (
            "Find all Nash equilibria of this game, pure and mixed. For a mixed equilibrium, "
            "use the indifference conditions and give each player's probabilities as fractions."
        )
    else:
        question = (
            "Find the Nash equilibrium in which both players use all of their strategies with "
            "positive probability, from the indifference conditions. Give the probabilities as "
            "fractions."
        )
    if reduction:
        question = reduction + " " + question
    n_pure = sum(1 for f in found if all(sum(1 for p in s if p) == 1 for s in f))
    n_mixed = len(found) - n_pure
    parts = []
    if scope == "all":
        parts.append(f"{n_pure} pure" if n_pure else "no pure")
        parts.append(f"{n_mixed} mixed" if n_mixed else "no mixed")
    answer_text = (
        ("Equilibria (" + " and ".join(parts) + "): " if scope == "all" else "Completely mixed equilibrium: ")
        + "; ".join(mix_text(game, f) for f in found)
        + "."
    )
    involved = sorted({(i, k) for f in found for i, s in enumerate(f) for k, p in enumerate(s) if p})
    return make_exercise(
        setup, NAME, TITLE, example,
        question=question,
        game=game,
        answer=[answer_entry(game, f) for f in found],
        answer_text=answer_text,
        solution=tuple(steps),
        context=quotes(setup, involved),
        grading={"scope": scope},
    )


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example pure equilibrium and mixed one that are equilibria of
    none of ``others`` (no player's mix in it is any equilibrium's mix of that player)."""
    game = exercise.game
    pure_taken = {tuple(s.lower() for s in e) for ex in others for e in ex.answer if isinstance(e, list)}
    profile = free_profile(game, pure_taken)
    mixed: dict[str, Any] = {}
    for i, player in enumerate(game.players):
        taken = [
            {s: fraction(p) for s, p in e[player].items()}
            for ex in others
            for e in ex.answer
            if isinstance(e, dict) and player in e
        ]
        mix = free_mix(game.strategies[i], taken)
        mixed[player] = mix if mix is not None else placeholder(f"{poss(game.player_names[i])} mix")
    return (
        "a list of equilibria, a pure one as a profile and a mixed one as each player's "
        f"probabilities; e.g. {notation([profile, mixed])}"
    )


def _support_sizes(entry: Any) -> tuple[int, ...]:
    if isinstance(entry, list):
        return (1, 1)
    return tuple(len(v) for v in entry.values())


def signature(exercise: Exercise) -> tuple:
    sizes = sorted(_support_sizes(e) for e in exercise.answer)
    return (exercise.game.shape, exercise.grading["scope"], tuple(sizes))


def _parse_equilibrium(game: Game, raw: object, path: tuple) -> tuple[Mixes, tuple]:
    if isinstance(raw, list):
        profile = parse_profile(game, raw, path)
        mixes = tuple(_unit(game.shape[i], k) for i, k in enumerate(profile))
        return mixes, tuple(tuple(int(x) for x in m) for m in mixes)
    if not isinstance(raw, dict):
        raise AnswerError(
            "expected an equilibrium: a profile such as [top, left] or a mapping from "
            "each player to a mixed strategy",
            path,
        )
    mixes: dict[int, tuple] = {}
    written: dict[int, tuple] = {}
    for key, value in raw.items():
        i = parse_player(game, key, (*path, key))
        mixes[i], written[i] = parse_mix(game, i, value, (*path, key))
    missing = [game.players[i] for i in range(2) if i not in mixes]
    if missing:
        raise AnswerError(f"the equilibrium gives no strategy for {', '.join(missing)}", path)
    return (mixes[0], mixes[1]), (written[0], written[1])


def _matches(given: Mixes, written: tuple, true: Mixes) -> bool:
    return all(
        close_enough(g, t, w) for gs, ws, ts in zip(given, written, true) for g, w, t in zip(gs, ws, ts)
    )


def _support(mixes: Mixes) -> tuple:
    return tuple(tuple(k for k, p in enumerate(s) if p != 0) for s in mixes)


def _is_pure(mixes: Mixes) -> bool:
    return all(len(s) == 1 for s in _support(mixes))


def grade(game: Game, answer: Any, grading: dict, raw: object) -> Grade:
    true: list[Mixes] = []
    for entry in answer:
        parsed, _ = _parse_equilibrium(game, entry, ())
        true.append(parsed)
    if raw is None or (isinstance(raw, str) and raw.strip().lower() == "none"):
        raw = []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise AnswerError("expected a list of equilibria")
    if raw and all(isinstance(x, str) for x in raw):
        raw = [raw]
    given = [_parse_equilibrium(game, item, (k,)) for k, item in enumerate(raw)]
    credit: dict[int, Fraction] = {}
    wrong: list[tuple[Mixes, tuple]] = []
    near: list[tuple[int, Mixes]] = []
    for mixes, written in given:
        hit = next((j for j, t in enumerate(true) if j not in credit and _matches(mixes, written, t)), None)
        if hit is not None:
            credit[hit] = Fraction(1)
            continue
        same_support = next(
            (
                j
                for j, t in enumerate(true)
                if j not in credit and not _is_pure(t) and _support(t) == _support(mixes)
            ),
            None,
        )
        if same_support is not None:
            credit[same_support] = Fraction(1, 2)
            near.append((same_support, mixes))
        else:
            wrong.append((mixes, written))
    total = len(true)
    score = (
        max(Fraction(0), (sum(credit.values()) - len(wrong)) / total) if total else Fraction(int(not given))
    )
    feedback, mistakes = [], []
    pure_true = [j for j, t in enumerate(true) if _is_pure(t)]
    mixed_true = [j for j, t in enumerate(true) if not _is_pure(t)]
    if score == 1 and not wrong and all(v == 1 for v in credit.values()) and len(credit) == total:
        return Grade(Fraction(1), ["Correct: " + "; ".join(mix_text(game, t) for t in true) + "."])
    found_pure = [j for j in pure_true if credit.get(j) == 1]
    found_mixed = [j for j in mixed_true if credit.get(j) == 1]
    missed_pure = [j for j in pure_true if j not in credit]
    missed_mixed = [j for j in mixed_true if j not in credit]
    said = []
    if pure_true:
        if found_pure:
            said.append(f"you found {_count(len(found_pure), len(pure_true), 'pure')}")
        elif grading.get("scope") == "all":
            said.append("you found none of the pure equilibria")
    if found_mixed:
        said.append(f"you found {_count(len(found_mixed), len(mixed_true), 'mixed')}")
    sentence = and_join(said)
    misses = []
    if missed_pure:
        misses.append(
            ("the pure one" if len(missed_pure) == 1 else "the pure ones")
            + ": "
            + "; ".join(mix_text(game, true[j]) for j in missed_pure)
        )
        mistakes.append("missed a pure equilibrium")
    if missed_mixed:
        misses.append(
            ("the mixed one" if len(missed_mixed) == 1 else "the mixed ones")
            + ": "
            + "; ".join(mix_text(game, true[j]) for j in missed_mixed)
            + " (each player's mix makes the other indifferent)"
        )
        mistakes.append("missed the mixed equilibrium")
    if misses:
        sentence = (sentence + " but missed " if sentence else "You missed ") + " and ".join(misses)
    if sentence:
        feedback.append(sentence[0].upper() + sentence[1:] + ".")
    for j, mixes in near:
        t = true[j]
        if _swapped(mixes, t):
            feedback.append(
                f"Your mixes are swapped: {mix_text(game, mixes)} would make each player indifferent between "
                "their own strategies, but each player's mix must make the *other* player indifferent: "
                f"{mix_text(game, t)}."
            )
            mistakes.append("swapped the mixes (used a player's own payoffs)")
        else:
            feedback.append(
                f"Right supports, wrong probabilities: you wrote {mix_text(game, mixes)}; the indifference "
                f"conditions give {mix_text(game, t)} (half credit)."
            )
            mistakes.append("wrong mixed probabilities")
    for mixes, _ in wrong:
        if _is_pure(mixes):
            profile = tuple(s[0] for s in _support(mixes))
            feedback.append(why_not_equilibrium(game, profile))
        else:
            feedback.append(f"{mix_text(game, mixes)} is not an equilibrium.")
        mistakes.append("listed a non-equilibrium")
    return Grade(score, feedback, mistakes)


def _swapped(given: Mixes, true: Mixes) -> bool:
    return (
        len(given[0]) == len(given[1])
        and tuple(given[0]) == tuple(true[1])
        and tuple(given[1]) == tuple(true[0])
        and given != true
    )


def _count(found: int, total: int, what: str) -> str:
    if found == total == 2:
        return f"both {what} equilibria"
    if found == total == 1:
        return f"the {what} equilibrium"
    if found == total:
        return f"all {total} {what} equilibria"
    return f"{found} of the {total} {what} equilibria"


def answer_key(exercise: Exercise) -> frozenset:
    """The equilibria as a set, each a pure profile or each player's mix as a set of pairs."""
    keys = set()
    for entry in exercise.answer:
        if isinstance(entry, list):
            keys.add(("pure", tuple(s.lower() for s in entry)))
        else:
            keys.add(("mixed", tuple(
                frozenset((s.lower(), fraction(p)) for s, p in entry[player].items())
                for player in exercise.game.players
            )))
    return frozenset(keys)
