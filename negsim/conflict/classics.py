"""The classic conflicts of the Graph Model literature, as option-form data.

Each conflict is plain data in the :mod:`negsim.conflict.format` shape (``CLASSICS[id]``), so
that it can be written out as a scenario file; :func:`classic` builds the :class:`Conflict`.
The stability tables these models reproduce are pinned in ``tests/test_conflict_classics.py``.

Sources (the models' published definitions):

- Prisoner's Dilemma in option form: the standard two-option model (each prisoner controls
  "defect"), as in Fang, Hipel and Kilgour (1993), *Interactive Decision Making: The Graph Model
  for Conflict Resolution*, Wiley, ch. 2, and gmcr-py's ``Examples/Prisoners.gmcr``.
- Elmira groundwater contamination: Hipel, Fang, Kilgour and Haight (1993), "Environmental
  conflict resolution using the graph model", IEEE SMC Conference; Fang, Hipel and Kilgour
  (1993), ch. 7. Decision makers the Ontario Ministry of the Environment (MoE), Uniroyal
  Chemical (UR) and the local governments (LG); options, irreversibilities and the preference
  rankings of the published nine-state model (status quo state 1).
- Cuban missile crisis: Fraser and Hipel (1984), *Conflict Analysis: Models and Resolutions*,
  North-Holland; options, infeasibility and the option prioritization statements of gmcr-py's
  ``Examples/Cuban.gmcr`` (Petersons and Hipel's GMCR+ example of that model).
- Garrison Diversion Unit: Fraser and Hipel (1984); Fang, Hipel and Kilgour (1993), ch. 6;
  the four-decision-maker model with the International Joint Commission, its infeasible
  states and preference rankings as in gmcr-py's ``save_files/Garrison.gmcr``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from negsim.conflict.format import build_conflict, parse_conflict
from negsim.conflict.model import Conflict, DecisionMaker, Option, Pattern, at_least_one, mutually_exclusive

__all__ = ["CLASSICS", "ELMIRA_PUBLISHED_STATES", "classic", "ordinal_to_decimal"]


def _options(*ids: str, **names: str) -> dict[str, dict[str, str]]:
    return {o: {"name": names.get(o, o.replace("_", " "))} for o in ids}


PRISONERS_DILEMMA: dict[str, Any] = {
    "id": "gmcr-prisoners-dilemma",
    "title": "Prisoner's Dilemma in option form",
    "sources": [
        {
            "citation": "Fang, Hipel and Kilgour (1993), Interactive Decision Making: The Graph Model "
            "for Conflict Resolution, Wiley, ch. 2; gmcr-py Examples/Prisoners.gmcr"
        }
    ],
    "decision_makers": {
        "prisoner_1": {
            "name": "Prisoner 1",
            "options": {"p1_defects": {"name": "Prisoner 1 defects"}},
            # most important: the other keeps quiet; then: defect oneself
            "preferences": {"statements": ["-p2_defects", "p1_defects"]},
        },
        "prisoner_2": {
            "name": "Prisoner 2",
            "options": {"p2_defects": {"name": "Prisoner 2 defects"}},
            "preferences": {"statements": ["-p1_defects", "p2_defects"]},
        },
    },
    "status_quo": [],
}

#: The published nine states of the Elmira model as decimal codes of the option form used here
#: (options modify, delay, accept, abandon, insist = bits 1, 2, 4, 8, 16). Published state 9 is
#: "Uniroyal abandons" with the others' options irrelevant ("- - - Y -"): here the four states
#: with abandon taken, among which every decision maker is indifferent and Uniroyal cannot move.
ELMIRA_PUBLISHED_STATES: dict[int, tuple[int, ...]] = {
    1: (2,),
    2: (3,),
    3: (4,),
    4: (5,),
    5: (18,),
    6: (19,),
    7: (20,),
    8: (21,),
    9: (8, 9, 24, 25),
}


def _elmira_ranking(published: Sequence[int]) -> list[int | list[int]]:
    out: list[int | list[int]] = []
    for k in published:
        states = ELMIRA_PUBLISHED_STATES[k]
        out.append(states[0] if len(states) == 1 else list(states))
    return out


ELMIRA: dict[str, Any] = {
    "id": "gmcr-elmira",
    "title": "Elmira groundwater contamination conflict (1989-1991)",
    "description": "NDMA found in the aquifer of Elmira, Ontario; the Ministry of the Environment's control "
    "order against Uniroyal Chemical, Uniroyal's appeal, and the local governments' stand.",
    "sources": [
        {
            "citation": "Hipel, Fang, Kilgour and Haight (1993), Environmental conflict resolution using the "
            "graph model, Proc. IEEE Int. Conf. on Systems, Man and Cybernetics, 153-158; "
            "Fang, Hipel and Kilgour (1993), Interactive Decision Making, Wiley, ch. 7; "
            "rankings as in Xu, Hipel and Kilgour (2009), IEEE Trans. SMC-A 39(1)"
        }
    ],
    "decision_makers": {
        "moe": {
            "name": "Ministry of the Environment",
            "options": {"modify": {"name": "Modify", "description": "Modify the control order"}},
            "preferences": {"ranking": _elmira_ranking([7, 3, 4, 8, 5, 1, 2, 6, 9])},
        },
        "ur": {
            "name": "Uniroyal",
            "options": {
                "delay": {"name": "Delay", "description": "Delay the appeal process"},
                "accept": {"name": "Accept", "description": "Accept the current control order"},
                "abandon": {"name": "Abandon", "description": "Abandon its Elmira operation"},
            },
            "preferences": {"ranking": _elmira_ranking([1, 4, 8, 5, 9, 3, 7, 2, 6])},
        },
        "lg": {
            "name": "Local Government",
            "options": {
                "insist": {
                    "name": "Insist",
                    "description": "Insist that the original control order be applied",
                }
            },
            "preferences": {"ranking": _elmira_ranking([7, 3, 5, 1, 8, 6, 4, 2, 9])},
        },
    },
    "infeasible": [
        {"exactly_one": ["delay", "accept", "abandon"], "reason": "Uniroyal delays, accepts or abandons"}
    ],
    "irreversible": {"modify": "N->Y", "delay": "Y->N", "abandon": "N->Y"},
    "status_quo": ["delay"],
}

CUBAN_MISSILE_CRISIS: dict[str, Any] = {
    "id": "gmcr-cuban-missile-crisis",
    "title": "Cuban missile crisis (October 1962)",
    "sources": [
        {
            "citation": "Fraser and Hipel (1984), Conflict Analysis: Models and Resolutions, North-Holland; "
            "Fang, Hipel and Kilgour (1993), Interactive Decision Making, Wiley; option "
            "prioritization as in gmcr-py Examples/Cuban.gmcr"
        }
    ],
    "decision_makers": {
        "us": {
            "name": "United States",
            "options": {
                "air_strike": {"name": "Air strike", "description": "Air strike against the missile sites"},
                "blockade": {"name": "Blockade", "description": "Naval blockade of Cuba"},
            },
            "preferences": {
                "statements": [
                    "withdraw",
                    "-escalate",
                    "-air_strike & withdraw",
                    "-blockade & withdraw",
                    "air_strike & escalate",
                    "blockade & escalate",
                    "(air_strike & -withdraw) | (blockade & -escalate) | (air_strike & -escalate) | "
                    "(blockade & -withdraw)",
                    "-air_strike & -withdraw & -escalate",
                    "-blockade & -withdraw & -escalate",
                ]
            },
        },
        "ussr": {
            "name": "Soviet Union",
            "options": {
                "withdraw": {"name": "Withdraw", "description": "Withdraw the missiles"},
                "escalate": {"name": "Escalate", "description": "Escalate the crisis"},
            },
            "preferences": {
                "statements": [
                    "-escalate",
                    "(air_strike & escalate) | (-air_strike & -escalate) | (air_strike & -escalate)",
                    "(blockade & escalate) | (-blockade & -escalate) | (blockade & -escalate)",
                    "-air_strike & -escalate",
                    "-blockade & -escalate",
                    "(blockade & withdraw) | (-blockade & -withdraw) | (air_strike & withdraw)",
                    "blockade & -withdraw & -escalate",
                    "air_strike & -blockade & withdraw & -escalate",
                ]
            },
        },
    },
    "infeasible": [{"mutually_exclusive": ["withdraw", "escalate"]}],
    "irreversible": {"air_strike": "N->Y"},
    "status_quo": [],
}

_GARRISON_INFEASIBLE: list[dict[str, Any]] = [
    {"mutually_exclusive": ["uss_full", "uss_reduced", "uss_appease"]},
    {"mutually_exclusive": ["ijc_full", "ijc_reduced", "ijc_lonetree", "ijc_suspend"]},
    {"at_least_one": ["uss_full", "uss_reduced", "uss_appease"]},
    {"at_least_one": ["ijc_full", "ijc_reduced", "ijc_lonetree", "ijc_suspend"]},
    {"pattern": {"uss_full": "Y", "uso_legal": "N"}},
    {"pattern": {"uss_appease": "Y", "uso_legal": "Y"}},
    {"pattern": {"uss_full": "Y", "cdo_treaty": "N", "ijc_full": "N"}},
    {"pattern": {"uss_reduced": "Y", "cdo_treaty": "N", "ijc_lonetree": "Y"}},
    {"pattern": {"uss_reduced": "Y", "cdo_treaty": "N", "ijc_suspend": "Y"}},
    {"pattern": {"uss_appease": "Y", "cdo_treaty": "N", "ijc_lonetree": "Y"}},
    {"pattern": {"uss_appease": "Y", "cdo_treaty": "N", "ijc_suspend": "Y"}},
]

#: Rankings in gmcr-py's state numbers (1 = the feasible state of smallest decimal code).
_GARRISON_ORDINAL_RANKINGS: dict[str, list[int | list[int]]] = {
    "us_support": [3, 7, [1, 2], 4, [5, 6], 8, 9, 12, 11, 15, 10, 13, 14, 17, 16, 18, 19, 21, 20, 22, 23],
    "us_opposition": [[21, 17, 13, 10, 6, 2], [23, 19], 15, 11, 8, 4, 22, 18, 14, 7, 3, 20, 16, 12, 9, 5, 1],
    "canadian_opposition": [
        23,
        [20, 21],
        19,
        [16, 17],
        11,
        [9, 10],
        15,
        [12, 13],
        2,
        4,
        1,
        8,
        [5, 6],
        22,
        18,
        14,
        3,
        7,
    ],
    "ijc": [list(range(1, 24))],
}


def ordinal_to_decimal(
    states: Sequence[int], ranking: Sequence[int | Sequence[int]]
) -> list[int | list[int]]:
    """A ranking in 1-based positions among ``states`` (increasing decimal codes), as decimal codes."""
    return [states[k - 1] if isinstance(k, int) else [states[j - 1] for j in k] for k in ranking]


def _garrison() -> dict[str, Any]:
    option_ids = [
        "uss_full",
        "uss_reduced",
        "uss_appease",
        "uso_legal",
        "cdo_treaty",
        "ijc_full",
        "ijc_reduced",
        "ijc_lonetree",
        "ijc_suspend",
    ]
    base: dict[str, Any] = {
        "id": "gmcr-garrison-diversion",
        "title": "Garrison Diversion Unit conflict (1976-1984)",
        "description": "A US irrigation project in North Dakota whose return flows would reach Canada's "
        "Souris and "
        "Red rivers; the International Joint Commission's recommendation.",
        "sources": [
            {
                "citation": "Fraser and Hipel (1984), Conflict Analysis: Models and Resolutions, "
                "North-Holland; Fang, Hipel and Kilgour (1993), Interactive Decision Making, "
                "Wiley, ch. 6; model as in gmcr-py save_files/Garrison.gmcr"
            }
        ],
        "decision_makers": {
            "us_support": {
                "name": "US Support",
                "options": _options(
                    "uss_full",
                    "uss_reduced",
                    "uss_appease",
                    uss_full="Full project",
                    uss_reduced="Reduced project",
                    uss_appease="Appease Canada",
                ),
                "preferences": {"ranking": [0]},
            },
            "us_opposition": {
                "name": "US Opposition",
                "options": _options("uso_legal", uso_legal="Legal challenge"),
                "preferences": {"ranking": [0]},
            },
            "canadian_opposition": {
                "name": "Canadian Opposition",
                "options": _options("cdo_treaty", cdo_treaty="Treaty challenge"),
                "preferences": {"ranking": [0]},
            },
            "ijc": {
                "name": "International Joint Commission",
                "options": _options(
                    "ijc_full",
                    "ijc_reduced",
                    "ijc_lonetree",
                    "ijc_suspend",
                    ijc_full="Full",
                    ijc_reduced="Reduced",
                    ijc_lonetree="Lonetree",
                    ijc_suspend="Suspend",
                ),
                "preferences": {"ranking": [0]},
            },
        },
        "infeasible": _GARRISON_INFEASIBLE,
        "status_quo": None,
    }
    skeleton = Conflict(
        tuple(DecisionMaker(d, tuple(v["options"])) for d, v in base["decision_makers"].items()),
        tuple(Option(o) for o in option_ids),
        infeasible=tuple(_patterns(option_ids)),
    )
    for dm, ranking in _GARRISON_ORDINAL_RANKINGS.items():
        base["decision_makers"][dm]["preferences"] = {"ranking": ordinal_to_decimal(skeleton.states, ranking)}
    return base


def _patterns(option_ids: list[str]) -> list[Pattern]:

    out: list[Pattern] = []
    for rule in _GARRISON_INFEASIBLE:
        for key, value in rule.items():
            if key == "mutually_exclusive":
                out.extend(mutually_exclusive(option_ids.index(o) for o in value))
            elif key == "at_least_one":
                out.extend(at_least_one(option_ids.index(o) for o in value))
            else:
                out.append(Pattern(tuple((option_ids.index(o), v == "Y") for o, v in value.items())))
    return out


GARRISON = _garrison()

CLASSICS: dict[str, dict[str, Any]] = {
    c["id"]: c for c in (PRISONERS_DILEMMA, ELMIRA, CUBAN_MISSILE_CRISIS, GARRISON)
}


def classic(conflict_id: str) -> Conflict:
    """The built :class:`Conflict` of a classic, by id (``gmcr-elmira`` ...)."""
    data = dict(CLASSICS[conflict_id])
    if data.get("status_quo") is None:
        data.pop("status_quo", None)
    return build_conflict(parse_conflict(data))
