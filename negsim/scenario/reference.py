"""The reference page of the scenario format, generated from the models so it cannot drift.

``python -m negsim.scenario.reference`` (or ``negsim schema --markdown``) prints it; the page
committed as ``docs/reference/scenario-format.md`` must equal this output (a test checks).
"""

from __future__ import annotations

import sys
import types
import typing
from typing import Annotated, Any, ForwardRef, Literal, Union

from pydantic import BaseModel, Tag
from typing_extensions import TypeAliasType

from negsim.scenario import (
    bargaining,
    base,
    expr,
    loader,
    option_checks,
    options,
    schema,
    sections,
    statements,
    yamltree,
)

__all__ = ["EXAMPLE", "reference_markdown"]

EXAMPLE = """\
negsim: 1
id: s400-example
title: Turkey-US S-400 dispute, a small example
date: "2025-11"
tags: [s400, example]
sources:
  - file: 003_cb3be27c97f79b91.txt
    quote: "a special operational mechanism limiting radar activation"
assumptions:
  - Payoffs are in arbitrary utility units.
parameters:
  sanction_cost:
    value: 4
    min: 0
    max: 10
    description: cost to Turkey of CAATSA sanctions
    direction: {turkey: worse, us: better}
  security: {value: 6, min: 0, max: 10, description: value of long-range air defence}
players:
  turkey:
    name: Turkey
    strategies:
      scrap:   {description: Return or remove the S-400s, attributes: {kept: 0, active: 0}}
      store:   {description: Keep them unused, attributes: {kept: 1, active: 0}}
      limited: {description: Limited activation, attributes: {kept: 1, active: 0.5}}
  us:
    name: United States
    strategies:
      sanction: {attributes: {sanctions: 1}}
      waive:    {attributes: {sanctions: 0}}
payoffs:
  turkey: security * turkey.active + 2 * turkey.kept - sanction_cost * us.sanctions
  us: -3 * turkey.active - us.sanctions * turkey.kept
status_quo: {turkey: store, us: waive}
"""

#: Every name the models' annotations use.
_NAMES: dict[str, Any] = {**vars(base), **vars(sections), **vars(bargaining), **vars(schema),
                          **vars(options)}

_MODELS = (
    schema.Scenario,
    schema.Parameter,
    schema.Player,
    schema.Strategy,
    schema.Source,
    schema.MatrixPayoffs,
    schema.TablePayoffs,
    schema.TableRow,
    schema.RankingPayoffs,
    schema.TreePayoffs,
    schema.TreeNode,
    schema.Timing,
    schema.PlayerType,
    bargaining.Bargaining,
    bargaining.DisagreementPoint,
    bargaining.Repeated,
)

_OPTION_MODELS = (
    options.OptionScenario,
    options.OptionPlayer,
    options.Option,
    options.Preferences,
    options.InfeasibleRule,
)

OPTION_EXAMPLE = """\
negsim: 1
id: elmira-small
title: The Elmira conflict, in option form
players:
  moe:
    name: Ministry of the Environment
    options:
      modify: {name: Modify, description: Modify the control order}
  ur:
    name: Uniroyal
    options:
      delay: {name: Delay the appeal}
      accept: {name: Accept the order}
      abandon: {name: Abandon Elmira}
  lg:
    name: Local Government
    options:
      insist: {name: Insist on the original order}
preferences:
  moe: {statements: ["accept", "-abandon", "-modify", "-modify iff insist"]}
  ur: {statements: ["modify iff accept", "-abandon", "-insist", "delay iff -insist"]}
  lg: {ranking: [NNYNY, NNYNN, NYNNY, NYNNN, YNYNY, YYNNY, YNYNN, YYNNN,
                 [NNNYY, NNNYN, YNNYY, YNNYN]]}
infeasible:
  - {exactly_one: [delay, accept, abandon], reason: "Uniroyal delays, accepts or abandons"}
irreversible: {modify: N->Y, delay: Y->N, abandon: N->Y}
status_quo: [delay]
"""

_OPTION_FORM = """\
States are shown and written as `Y`/`N` texts in option order (`NYNNN` above: only `delay`
taken, decimal code 2). An infeasible item is a `Y`/`N`/`-` pattern over all options (`-`:
either) or a rule; `exactly_one` is `mutually_exclusive` and `at_least_one` together. A player's
preferences are exactly one of `statements`, `ranking` and `payoff`; a payoff expression is an
[expression](#expressions) whose names are the parameters and the options (1 when taken, 0
otherwise; `player.option` also reads), so a sweep of its parameters moves the preferences.
Option ids are unique across players and differ from parameter names. An option-form scenario
has at most 16 options and 1,024 feasible states. `negsim conflict FILE` analyses it; every
command that takes a game sees its normal form, whose strategies are each player's option
combinations (`keep&limited`, `none`).
"""

_PAYOFF_FORMS = """\
`payoffs` takes exactly one of five forms:

1. **Expressions**, one per player id: `turkey: security * turkey.active - sanction_cost *
   us.sanctions`. A number is also an expression.
2. **`matrix`**: one nested list per player, indexed by the players' strategies in declaration
   order (rows: first player, columns: second, further nesting for more players). Cells are
   numbers or expressions (text).
3. **`table`**: a list of `{profile: ..., payoffs: ...}` items, every feasible profile exactly
   once; `profile` and `payoffs` may be mappings or lists in player order.
4. **`ranking`**: for classroom games, each player's outcomes from best to worst; a list of
   profiles is a tie. The payoff is the number of distinct levels minus the 0-based level
   (the best outcome gets the most, the worst gets 1).
5. **`tree`**: an explicit game tree with the payoffs at its outcomes (see
   [Game trees](#game-trees)); the players then list no strategies.

The keys `matrix`, `table`, `ranking` and `tree` are reserved: no player may use them as its
id.
"""

_TREES = """\
A scenario describes a game tree when it has a `timing` or `types` section, or payoffs in the
`tree` form; `negsim run`, `solve` and `credibility` then report its subgame-perfect
equilibria, and its strategic form (what sweeps and `.nfg` files see) has plans as
strategies.

- **`timing`** turns the players' strategies and payoffs into a tree: `timing: [us, turkey]`
  means the United States moves first and Turkey sees its move. The long form
  `timing: {order: [us, turkey], observes: {turkey: []}}` says who sees what (`[]`: nothing,
  so Turkey moves as in the simultaneous game).
- **`payoffs: {tree: ...}`** writes a tree out, for games that are not a reordering of a
  matrix: each node is a decision (`player`, `moves`, optionally `info` to put nodes the
  player cannot tell apart into one information set), a chance move (`chance`, each move
  with a `probability`) or an outcome (`payoffs`, expressions of the parameters). Moves are
  ids of letters, digits, `_` and `-`.

  ```yaml
  players:
    entrant: {name: Entrant}
    incumbent: {name: Incumbent}
  payoffs:
    tree:
      player: entrant
      moves:
        out: {payoffs: {entrant: 0, incumbent: 2}}
        in:
          player: incumbent
          moves:
            fight: {payoffs: {entrant: -1, incumbent: -1}}
            accommodate: {payoffs: {entrant: 1, incumbent: 1}}
  ```
- **`types`** adds incomplete information: `types: {us: {resolute: {probability: p}, hesitant:
  {probability: 1 - p, payoff: ...}}}`. Chance draws the types first; each player knows only
  its own. Payoff expressions may use `us.resolute` (1 when the United States is resolute);
  a type's `payoff` replaces its player's payoff. Without `timing` the players then move
  without seeing each other (a Bayesian game, solved through the Harsanyi transformation);
  with it, in the given order.

A tree may not combine with `infeasible` profiles; an explicit tree not with `timing`,
`types` or a `status_quo`.
"""

_ERRORS = """\
Every problem in a file is reported at once, one per line, as
`file:line:col: key.path: message`, for example

    x.yaml:14:7: players.turkey.strategies.store.attributes: unknown name 'actve' (did you mean 'active'?)

List items appear in key paths as `[0]`, `[1]`, ... (counting from 0). A problem inside an
expression or a preference statement is reported at its own line and column in the file, also
when the text runs over several lines; where a value has no place of its own (a YAML alias),
the message says where in the expression (or statement) the problem is. A payoff that is not
a finite number (division by zero, log of a negative number, ...) is an error naming the
player, the profile (or the state) and the parameter values. `negsim validate` exits
with code 2 when any file has a problem.
"""


def reference_markdown() -> str:
    """The whole reference page as Markdown."""
    parts = [
        "# Scenario file format (version 1)\n",
        "<!-- Generated by `python -m negsim.scenario.reference` from the code; do not edit. -->\n",
        _rst(schema.__doc__ or ""),
        "## Example\n",
        "```yaml\n" + EXAMPLE + "```\n",
        "`negsim validate FILE` checks a file; `negsim schema` prints the JSON Schema "
        "(`negsim schema --option-form` that of option-form scenarios).\n",
    ]
    for model in _MODELS:
        parts.append(_model_section(model))
    parts += ["## Payoff forms\n", _PAYOFF_FORMS]
    parts += ["## Game trees\n", _TREES]
    parts += ["## Option form\n", _rst(options.__doc__ or ""), "```yaml\n" + OPTION_EXAMPLE + "```\n",
              _OPTION_FORM]
    for model in _OPTION_MODELS:
        parts.append(_model_section(model, own=model is options.OptionScenario))
    parts += ["## Statements\n", _rst(statements.__doc__ or "").split("\n>>>")[0]]
    parts += ["## Expressions\n", _rst(expr.__doc__ or ""), _functions_table()]
    parts += ["## YAML\n", _rst(yamltree.__doc__ or "")]
    parts += ["## `extends`\n", _paragraph(loader.__doc__ or "", "`extends`")]
    parts += ["## Limits\n", _limits_table()]
    parts += ["## Errors\n", _ERRORS]
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


def _rst(text: str) -> str:
    """Docstring text as Markdown: dedented, ``literal`` as `literal`, roles removed."""
    import inspect
    import re

    text = inspect.cleandoc(text)
    text = re.sub(r":(?:func|class|data|mod|meth):`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`") + "\n"


def _paragraph(doc: str, start: str) -> str:
    """The paragraph of a docstring that begins with ``start``."""
    return next(p for p in _rst(doc).split("\n\n") if p.startswith(start)).strip() + "\n"


def _model_section(model: type[BaseModel], own: bool = False) -> str:
    """A model's keys as a table; ``own``: only the keys beyond those every scenario has."""
    hints = typing.get_type_hints(model, _NAMES, include_extras=True)
    lines = [f"## {model.__name__}\n", _rst(model.__doc__ or "")]
    if own:
        shared = ", ".join(f"`{k}`" for k in schema.ScenarioBase.model_fields)
        lines.append(f"Besides the keys every scenario has ({shared}; see [Scenario](#scenario)):\n")
    lines += ["| key | type | required | description |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        if own and name in schema.ScenarioBase.model_fields:
            continue
        required = "yes" if field.is_required() else "no"
        description = " ".join(_rst(field.description or "").split()).replace("|", "\\|")
        lines.append(f"| `{name}` | {_type(hints[name])} | {required} | {description} |")
    return "\n".join(lines) + "\n"


def _type(tp: Any) -> str:
    """A short human description of an annotation."""
    if isinstance(tp, TypeAliasType):
        return "nested list of numbers or expressions"
    if isinstance(tp, (str, ForwardRef)):
        return "nested list"
    origin = typing.get_origin(tp)
    if origin is Annotated:
        base, *metadata = typing.get_args(tp)
        name = _named(tp)
        if name:
            return name
        return _type(base)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        return " or ".join(dict.fromkeys(_type(m) for m in members))
    if origin is Literal:
        return " or ".join(f"`{v}`" for v in typing.get_args(tp))
    if origin is dict:
        key, value = typing.get_args(tp)
        return f"mapping: {_type(key)} → {_type(value)}"
    if origin is list:
        return f"list of {_type(typing.get_args(tp)[0])}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    return {float: "number", str: "text", int: "integer", bool: "true/false"}.get(tp, str(tp))


def _named(tp: Any) -> str | None:
    for name, label in (
        ("Identifier", "name"),
        ("ScenarioId", "id"),
        ("MoveId", "move id"),
        ("Date", "date text"),
        ("Number", "number"),
        ("Expression", "expression"),
        ("NumberOrExpression", "number or expression"),
        ("Profile", "profile"),
        ("Payoffs", "one of the [payoff forms](#payoff-forms)"),
        ("TimingForm", "list of names or [Timing](#timing)"),
        ("RankItem", "outcome or tie"),
        ("StateCode", "state (decimal code or Y/N text)"),
        ("StateRef", "state (decimal code, Y/N text or list of option ids)"),
        ("RankedState", "state or tie"),
        ("InfeasibleItem", "Y/N/- pattern or [InfeasibleRule](#infeasiblerule)"),
        ("Statement", "statement"),
        ("RankMember", "strategy id or profile"),
        ("PerPlayer", "mapping: player id → number or expression"),
        ("DisagreementForm", "a word or [DisagreementPoint](#disagreementpoint)"),
        ("Cooperation", "profile or list of profiles"),
        ("PunishmentForm", "profile, or mapping: player id → profile"),
        ("Text", "text"),
        ("ShortText", "text"),
    ):
        if tp == _NAMES[name]:
            return label
    tags = [m for m in typing.get_args(tp)[1:] if isinstance(m, Tag)]
    if tags:
        return _type(typing.get_args(tp)[0])
    return None


def _functions_table() -> str:
    lines = ["| function | meaning |", "|---|---|"]
    for function in expr.FUNCTIONS.values():
        lines.append(f"| `{function.name}` | {_rst(function.doc).strip()} |")
    return "\n".join(lines) + "\n"


def _limits_table() -> str:
    rows = [
        ("file size", f"{yamltree.MAX_FILE_BYTES:,} bytes"),
        ("nesting of mappings and lists", f"{yamltree.MAX_DEPTH} levels"),
        ("values once YAML aliases are expanded", f"{yamltree.MAX_ALIAS_EXPANSION:,}"),
        ("digits of a number in the file", f"{yamltree.MAX_NUMBER_DIGITS}"),
        ("size of any number", f"{base.MAX_NUMBER:.0e}".replace("e+", "e")),
        ("length of an expression", f"{base.EXPRESSION_MAX_LENGTH:,} characters"),
        ("nesting of an expression", f"{expr.MAX_EXPRESSION_DEPTH} levels"),
        ("size of a constant exponent", f"{expr.MAX_EXPONENT}"),
        ("length of an `extends` chain", f"{loader.MAX_EXTENDS_DEPTH} files"),
        ("options of an option-form scenario", f"{option_checks.MAX_OPTIONS}"),
        ("feasible states of an option-form scenario", f"{option_checks.MAX_STATES:,}"),
        ("length of a preference statement", f"{statements.MAX_STATEMENT_LENGTH} characters"),
    ]
    lines = [
        "Files beyond these limits are refused quickly and without using much memory.\n",
        "| what | limit |",
        "|---|---|",
    ]
    lines += [f"| {what} | {limit} |" for what, limit in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(reference_markdown())
