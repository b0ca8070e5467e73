"""The option-form conflict format, as strict pydantic models, and building a :class:`Conflict`.

A conflict names its decision makers, each with the yes/no options it controls (in file order:
the first option listed is option 1, the least significant bit of the state's decimal code),
the infeasible combinations, the options that can only be changed one way, the status quo and
each decision maker's preferences: option prioritization statements, a ranking with ties, or a
payoff expression (compiled by the scenario stage)::

    id: pd
    decision_makers:
      a: {options: {a_defects: {}}, preferences: {statements: ["-b_defects", "a_defects"]}}
      b: {options: {b_defects: {}}, preferences: {statements: ["-a_defects", "b_defects"]}}
    status_quo: []

>>> spec = parse_conflict({"id": "pd", "decision_makers": {
...     "a": {"options": {"a_defects": {}}, "preferences": {"statements": ["-b_defects", "a_defects"]}},
...     "b": {"options": {"b_defects": {}}, "preferences": {"statements": ["-a_defects", "b_defects"]}}}})
>>> build_conflict(spec).ranking("a")   # a defects alone > both cooperate > both defect > a alone cooperates
((1,), (0,), (3,), (2,))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from negsim.conflict.model import (
    Conflict,
    DecisionMaker,
    Option,
    Pattern,
    at_least_one,
    exactly_one,
    mutually_exclusive,
)
from negsim.conflict.preferences import parse_statement, payoff_scores, prioritization_scores, ranking_scores
from negsim.errors import InputError, Problem, did_you_mean

__all__ = [
    "ConflictSpec",
    "DecisionMakerSpec",
    "InfeasibleRule",
    "OptionSpec",
    "PreferenceSpec",
    "Source",
    "build_conflict",
    "parse_conflict",
]

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$", max_length=64)]
ShortText = Annotated[str, StringConstraints(max_length=500)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
PatternText = Annotated[str, StringConstraints(pattern=r"^[YNyn-]+$", max_length=20)]
StateText = Annotated[str, StringConstraints(pattern=r"^[YNyn]+$", max_length=20)]
StateCode = Annotated[int, Field(ge=0, lt=2**20)] | StateText
"""A state: its decimal code or its ``Y``/``N`` string (one letter per option, in option order)."""
StateRef = StateCode | list[Identifier]
"""A state as a decimal code, a ``Y``/``N`` string, or the list of the option ids taken."""


class Model(BaseModel):
    """Shared settings: strict types, unknown keys rejected, values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True)


class Source(Model):
    """Where a fact comes from: a quote from a source article, or a citation."""

    file: ShortText | None = None
    """File name of a source article, given with ``quote``."""
    quote: Text | None = None
    """The passage of ``file`` that supports the fact, quoted exactly."""
    citation: Text | None = None
    """A citation of a published source, instead of ``file`` and ``quote``."""


class OptionSpec(Model):
    """One yes/no option of a decision maker."""

    name: ShortText | None = None
    """Display name (defaults to the option id)."""
    description: Text | None = None
    """What taking the option means."""
    sources: list[Source] = []
    """Where the option is described."""


class PreferenceSpec(Model):
    """A decision maker's preferences over states: exactly one of the three forms."""

    statements: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] | None = None
    """Option prioritization: statements from most to least important, e.g. ``"-sanction"``,
    ``"activate if -sanction"``, ``"1 & -3"`` (options by id or by 1-based number)."""
    ranking: list[StateCode | list[StateCode]] | None = None
    """States from most to least preferred; a list of states inside is a tie."""
    payoff: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None
    """A payoff expression over the options (0 or 1) and the parameters; larger is better."""
    sources: list[Source] = []
    """Why these preferences: article quotes or citations."""
    notes: Text | None = None
    """The modelling assumptions behind them."""

    @model_validator(mode="after")
    def _exactly_one(self) -> PreferenceSpec:
        given = [k for k in ("statements", "ranking", "payoff") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of statements, ranking, payoff"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self


class DecisionMakerSpec(Model):
    """A party to the conflict."""

    name: ShortText | None = None
    """Display name (defaults to the id)."""
    description: Text | None = None
    """Who it is and what it wants."""
    options: dict[Identifier, OptionSpec]
    """The options it controls, in order."""
    preferences: PreferenceSpec
    """How it ranks the states."""


class InfeasibleRule(Model):
    """Combinations of options that cannot happen: exactly one of the keys."""

    mutually_exclusive: list[Identifier] | None = None
    """At most one of these options is taken."""
    at_least_one: list[Identifier] | None = None
    """At least one of these options is taken."""
    exactly_one: list[Identifier] | None = None
    """Exactly one of these options is taken."""
    pattern: dict[Identifier, Literal["Y", "N"]] | None = None
    """Every state with these option values is infeasible."""
    reason: Text | None = None
    """Why."""

    @model_validator(mode="after")
    def _exactly_one(self) -> InfeasibleRule:
        given = [
            k
            for k in ("mutually_exclusive", "at_least_one", "exactly_one", "pattern")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError("give exactly one of mutually_exclusive, at_least_one, exactly_one, pattern")
        return self


class ConflictSpec(Model):
    """A conflict in option form (the Graph Model for Conflict Resolution)."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]
    """Identifier."""
    title: ShortText | None = None
    """One line."""
    description: Text | None = None
    """The story."""
    sources: list[Source] = []
    """Where the model and its results come from."""
    decision_makers: dict[Identifier, DecisionMakerSpec]
    """The decision makers, each with its options and preferences."""
    infeasible: list[PatternText | InfeasibleRule] = []
    """Infeasible states: ``Y``/``N``/``-`` patterns over all options in order, or rules."""
    irreversible: dict[Identifier, Literal["N->Y", "Y->N"]] = {}
    """Options that can only change one way: ``N->Y`` (once taken, kept) or ``Y->N``."""
    status_quo: StateRef | None = None
    """The state the conflict starts from: a decimal code, a ``Y``/``N`` string or the option ids
    taken (``[]`` for none)."""


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("int", "str", "list[str]", "InfeasibleRule", "constrained-str", "function-after"):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_conflict(data: Mapping[str, Any]) -> ConflictSpec:
    """Validate plain data (e.g. loaded YAML or JSON) into a :class:`ConflictSpec`."""
    try:
        return ConflictSpec.model_validate(dict(data))
    except ValidationError as error:
        problems = [Problem(str(e["msg"]), path=_loc(tuple(e["loc"]))) for e in error.errors()]
        raise InputError(problems) from None


def _state(ref: Any, option_ids: list[str], path: str, problems: list[Problem]) -> int | None:
    if isinstance(ref, int):
        return ref
    if isinstance(ref, str):
        if len(ref) != len(option_ids):
            problems.append(
                Problem(
                    f"state {ref!r} has {len(ref)} letters, expected {len(option_ids)} "
                    "(one Y or N per option)",
                    path=path,
                )
            )
            return None
        if "-" in ref:
            problems.append(Problem(f"state {ref!r}: a state has no '-' (that is a pattern)", path=path))
            return None
        return sum(1 << k for k, c in enumerate(ref.upper()) if c == "Y")
    state = 0
    for o in ref:
        if o not in option_ids:
            problems.append(Problem(f"unknown option {o!r}{did_you_mean(o, option_ids)}", path=path))
            return None
        state |= 1 << option_ids.index(o)
    return state


def build_conflict(
    spec: ConflictSpec,
    payoffs: np.ndarray | Callable[[dict[str, np.ndarray]], Mapping[str, np.ndarray]] | None = None,
) -> Conflict:
    """The :class:`Conflict` of a spec, every problem reported together.

    Decision makers whose preferences are ``payoff`` expressions take their values from
    ``payoffs`` (an array ``(decision makers, states)`` or a callable over
    :func:`~negsim.conflict.preferences.option_values`, as the scenario stage compiles them);
    without it, such a spec is an error.
    """
    problems: list[Problem] = []
    option_ids: list[str] = []
    options: list[Option] = []
    dms: list[DecisionMaker] = []
    for dm_id, dm in spec.decision_makers.items():
        for o in dm.options:
            if o in option_ids:
                problems.append(
                    Problem(f"option {o!r} appears twice", path=f"decision_makers.{dm_id}.options.{o}")
                )
        option_ids.extend(o for o in dm.options if o not in option_ids)
        dms.append(DecisionMaker(dm_id, tuple(dm.options), dm.name or ""))
    if len(option_ids) > 20:
        problems.append(Problem(f"{len(option_ids)} options: at most 20", path="decision_makers"))
    for o in spec.irreversible:
        if o not in option_ids:
            problems.append(
                Problem(f"unknown option {o!r}{did_you_mean(o, option_ids)}", path=f"irreversible.{o}")
            )
    for dm in spec.decision_makers.values():
        for o, opt in dm.options.items():
            options.append(Option(o, opt.name or "", opt.description or "", spec.irreversible.get(o, "both")))
    patterns: list[Pattern] = []
    for k, rule in enumerate(spec.infeasible):
        path = f"infeasible[{k}]"
        if isinstance(rule, str):
            if len(rule) != len(option_ids):
                problems.append(
                    Problem(
                        f"pattern {rule!r} has {len(rule)} letters, expected {len(option_ids)} "
                        "(Y, N or - per option, in option order)",
                        path=path,
                    )
                )
            else:
                patterns.append(Pattern.parse(rule, len(option_ids)))
            continue
        ids = rule.mutually_exclusive or rule.at_least_one or rule.exactly_one or list(rule.pattern or {})
        bad = [o for o in ids if o not in option_ids]
        for o in bad:
            problems.append(Problem(f"unknown option {o!r}{did_you_mean(o, option_ids)}", path=path))
        if bad:
            continue
        idx = [option_ids.index(o) for o in ids]
        if rule.mutually_exclusive is not None:
            patterns.extend(mutually_exclusive(idx))
        elif rule.at_least_one is not None:
            patterns.extend(at_least_one(idx))
        elif rule.exactly_one is not None:
            patterns.extend(exactly_one(idx))
        else:
            assert rule.pattern is not None
            patterns.append(Pattern(tuple((option_ids.index(o), v == "Y") for o, v in rule.pattern.items())))
    status_quo = None
    if spec.status_quo is not None:
        status_quo = _state(spec.status_quo, option_ids, "status_quo", problems)
    # statements are checked here too, so that all their problems come in one error
    for dm_id, dm in spec.decision_makers.items():
        for j, text in enumerate(dm.preferences.statements or []):
            try:
                parse_statement(text, option_ids, path=f"decision_makers.{dm_id}.preferences.statements[{j}]")
            except InputError as error:
                problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    skeleton = Conflict(
        tuple(dms), tuple(options), np.zeros((0, 0)), tuple(patterns), None, spec.id, spec.title or ""
    )
    if status_quo is not None and status_quo not in skeleton.index:
        problems.append(
            Problem(
                f"status quo {skeleton.yn(status_quo)} (state {status_quo}) is infeasible", path="status_quo"
            )
        )
    scores = np.zeros((len(dms), len(skeleton.states)))
    by_statements = {
        d: list(s.preferences.statements or [])
        for d, s in spec.decision_makers.items()
        if s.preferences.statements is not None
    }
    by_ranking: dict[str, list[int | list[int]]] = {}
    for d, s in spec.decision_makers.items():
        if s.preferences.ranking is None:
            continue
        groups: list[int | list[int]] = []
        for pos, item in enumerate(s.preferences.ranking):
            path = f"decision_makers.{d}.preferences.ranking[{pos}]"
            if isinstance(item, list):
                members = [_state(x, option_ids, path, problems) for x in item]
                groups.append([m for m in members if m is not None])
            else:
                one = _state(item, option_ids, path, problems)
                if one is not None:
                    groups.append(one)
        by_ranking[d] = groups
    payoff_dms = [d for d, s in spec.decision_makers.items() if s.preferences.payoff is not None]
    if payoff_dms and payoffs is None:
        problems.append(
            Problem(
                f"payoff expressions of {', '.join(payoff_dms)} need compiled payoffs", path="decision_makers"
            )
        )

    def collect(error: InputError) -> None:
        problems.extend(Problem(p.message, path=_prefix(p.path), column=p.column) for p in error.problems)

    if by_statements:
        try:
            part = prioritization_scores(skeleton, {d: by_statements.get(d, ["1"]) for d in skeleton.dm_ids})
            for i, d in enumerate(skeleton.dm_ids):
                if d in by_statements:
                    scores[i] = part[i]
        except InputError as error:
            collect(error)
    if by_ranking:
        try:
            full = {d: by_ranking.get(d, [list(skeleton.states)]) for d in skeleton.dm_ids}
            part = ranking_scores(skeleton, full)
            for i, d in enumerate(skeleton.dm_ids):
                if d in by_ranking:
                    scores[i] = part[i]
        except InputError as error:
            collect(error)
    if payoff_dms and payoffs is not None:
        try:
            values = payoff_scores(skeleton, payoffs)
            if values.ndim != 2:
                raise InputError(
                    [
                        Problem(
                            "payoffs for one conflict have shape (decision makers, states)",
                            path="decision_makers",
                        )
                    ]
                )
            for i, d in enumerate(skeleton.dm_ids):
                if d in payoff_dms:
                    scores[i] = values[i]
        except InputError as error:
            collect(error)
    if problems:
        raise InputError(problems)
    return Conflict(
        tuple(dms), tuple(options), scores, tuple(patterns), status_quo, spec.id, spec.title or ""
    )


def _prefix(path: str) -> str:
    if path.startswith("preferences."):
        dm, _, rest = path[len("preferences.") :].partition("[")
        return f"decision_makers.{dm}.preferences.ranking" + (f"[{rest}" if rest else "")
    return path
