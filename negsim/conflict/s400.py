"""The Turkey-US S-400 dispute in option form: 2017-2019 (purchase, delivery, activation) and 2025
(the limited-use proposal), each option quoting its source article verbatim.

Two questions for the graph model: which states are stable once the US can sanction (compare
``s400-2017-2019`` with and without the US options, :func:`without_options`), and what would
make limited activation stable (``s400-2025`` with the parametric payoffs of
:func:`s400_2025_payoffs`, swept by :func:`negsim.conflict.batch.batch_stability`).

The preference statements are modelling assumptions; each decision maker's ``sources`` quote the
passages they rest on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from negsim.conflict.format import build_conflict, parse_conflict
from negsim.conflict.model import Conflict
from negsim.conflict.preferences import option_values

__all__ = ["S400", "S400_2025_PARAMETERS", "s400", "s400_2025_payoffs", "without_options"]

A2017 = "004_db26d9c5baf27b47.txt"
A2018_WARN = "002_b58e59203b67adca.txt"
A2018_NEVER_USE = "001_8dc00d444cceae15.txt"
A2020 = "000_ad685fa40efd0d6c.txt"
A2025 = "003_cb3be27c97f79b91.txt"


def _src(file: str, quote: str) -> dict[str, str]:
    return {"file": file, "quote": quote}


S400_2017_2019: dict[str, Any] = {
    "id": "s400-2017-2019",
    "title": "Turkey-US S-400 dispute, purchase to delivery (2017-2019)",
    "description": "Turkey buys Russian S-400s; the US threatens CAATSA sanctions and the F-35; the 'buy but "
    "never use' offer; a Patriot co-purchase as a way to appease Washington.",
    "sources": [
        _src(A2025, "Turkey purchased the S-400 from Russia in 2017 and began receiving the systems in 2019")
    ],
    "decision_makers": {
        "turkey": {
            "name": "Turkey",
            "options": {
                "buy": {
                    "name": "Buy the S-400s",
                    "description": "Buy and keep the Russian S-400 systems",
                    "sources": [_src(A2025, "Turkey purchased the S-400 from Russia in 2017")],
                },
                "activate": {
                    "name": "Activate",
                    "description": "Put the S-400s into operation",
                    "sources": [
                        _src(
                            A2018_NEVER_USE,
                            "We purchase them not in order to store them in "
                            "warehouses. They will be used appropriately if "
                            "it is necessary.",
                        )
                    ],
                },
                "patriot": {
                    "name": "Buy Patriots too",
                    "description": "Buy the Patriot system alongside",
                    "sources": [
                        _src(
                            A2018_NEVER_USE,
                            "One option could be for Turkey to lessen the blow "
                            "to Western producers by purchasing the Patriot "
                            "missile system alongside the S-400",
                        )
                    ],
                },
            },
            "preferences": {
                "statements": ["buy", "-sanction", "-expel_f35", "activate if buy", "-patriot"],
                "notes": "Sovereignty first (keep the purchase), then no sanctions, then the F-35, then "
                "use of "
                "the system; a Patriot purchase is a cost.",
                "sources": [
                    _src(A2025, "No country can dictate Turkey’s defense choices."),
                    _src(
                        A2018_NEVER_USE, "And what should we do with these defensive systems if not use them?"
                    ),
                ],
            },
        },
        "us": {
            "name": "United States",
            "options": {
                "sanction": {
                    "name": "CAATSA sanctions",
                    "description": "Impose CAATSA sanctions",
                    "sources": [
                        _src(
                            A2018_WARN,
                            "Pompeo reminded his opposite number Turkey could face "
                            "sanctions if it bought the S-400.",
                        )
                    ],
                },
                "expel_f35": {
                    "name": "Expel from the F-35",
                    "description": "Remove Turkey from the F-35 programme",
                    "sources": [_src(A2025, "Turkey was expelled from the F-35 program.")],
                },
            },
            "preferences": {
                "statements": ["-activate", "-buy", "expel_f35 iff buy", "patriot", "sanction iff activate"],
                "notes": "An active S-400 is the threat; the purchase itself next; the F-35 is incompatible "
                "with the S-400; a Patriot sale is welcome; sanctions only if the system is used "
                "(the 'buy but never use' offer).",
                "sources": [
                    _src(
                        A2018_NEVER_USE,
                        "the U.S. will not retaliate against Ankara with sanctions should "
                        "it proceed with the purchase so long as Turkey pledges not to "
                        "use the weapons system.",
                    ),
                    _src(
                        A2025,
                        "a decision Washington denounced as incompatible with the F-35 stealth "
                        "fighter program",
                    ),
                ],
            },
        },
    },
    "infeasible": [
        {"pattern": {"buy": "N", "activate": "Y"}, "reason": "only bought systems can be activated"}
    ],
    "irreversible": {"expel_f35": "N->Y"},
    "status_quo": [],
}

S400_2025: dict[str, Any] = {
    "id": "s400-2025",
    "title": "Turkey-US S-400 dispute, the limited-use proposal (2025)",
    "description": "Turkey rejects scrapping the S-400s and floats limited activation; the US demands "
    "removal or "
    "a non-operational declaration and offers incentives short of the F-35.",
    "sources": [
        _src(
            A2025,
            "Turkey has rejected a full U.S. demand to dismantle or scrap its Russian-made S-400 air "
            "defense systems, instead proposing a limited-use model",
        )
    ],
    "decision_makers": {
        "turkey": {
            "name": "Turkey",
            "options": {
                "keep": {
                    "name": "Keep the S-400s",
                    "description": "Keep the systems (not scrap or remove them)",
                    "sources": [_src(A2025, "We will not give up our sovereign defense assets")],
                },
                "limited": {
                    "name": "Limited activation",
                    "description": "Operate under strict limits, outside NATO networks",
                    "sources": [_src(A2025, "A special operational mechanism limiting radar activation.")],
                },
                "full": {
                    "name": "Full activation",
                    "description": "Operate the S-400s without limits",
                    "sources": [_src(A2018_NEVER_USE, "They will be used appropriately if it is necessary.")],
                },
            },
            "preferences": {
                "statements": ["keep", "-sanction", "limited | full", "readmit_f35", "incentives", "full"],
                "notes": "Keep the systems above all; then avoid new sanctions; then have the capability in "
                "use; F-35 readmission and incentives next; full use over limited use last.",
                "sources": [
                    _src(A2025, "Keeping the S-400s — even in limited capacity — gives Turkey:"),
                    _src(
                        A2025,
                        "it seeks to assert independence in defense procurement without facing new sanctions",
                    ),
                ],
            },
        },
        "us": {
            "name": "United States",
            "options": {
                "sanction": {
                    "name": "Further sanctions",
                    "description": "Tighten CAATSA sanctions",
                    "sources": [_src(A2025, "What’s next: risk of further sanctions or reset?")],
                },
                "incentives": {
                    "name": "Incentives",
                    "description": "Defence-industrial dialogue, F-35-related technologies",
                    "sources": [
                        _src(
                            A2025,
                            "The U.S. also reportedly offered various incentives, "
                            "including restarted defense-industrial dialogue and "
                            "potential re-engagement on F-35-related technologies",
                        )
                    ],
                },
                "readmit_f35": {
                    "name": "Readmit to the F-35",
                    "description": "Return Turkey to the F-35 programme",
                    "sources": [_src(A2025, "but not the return of Turkey to the F-35 program itself")],
                },
            },
            "preferences": {
                "statements": [
                    "-full",
                    "-readmit_f35 | -keep",
                    "-keep",
                    "-limited",
                    "sanction iff full",
                    "incentives iff -full",
                ],
                "notes": "Full activation is the threat; no F-35 while the S-400s stay; removal wanted, "
                "limited "
                "use tolerated less; sanctions answer full use; incentives reward restraint.",
                "sources": [
                    _src(A2025, "No normalization until the S-400 issue is resolved."),
                    _src(A2025, "Officially declare the S-400 systems non-operational,"),
                ],
            },
        },
    },
    "infeasible": [
        {"mutually_exclusive": ["limited", "full"]},
        {"pattern": {"keep": "N", "limited": "Y"}},
        {"pattern": {"keep": "N", "full": "Y"}},
    ],
    "status_quo": ["keep"],
}

S400: dict[str, dict[str, Any]] = {c["id"]: c for c in (S400_2017_2019, S400_2025)}


def s400(conflict_id: str) -> Conflict:
    """A built S-400 conflict by id."""
    return build_conflict(parse_conflict(S400[conflict_id]))


def without_options(data: Mapping[str, Any], options: Iterable[str]) -> dict[str, Any]:
    """The conflict's data with some options never taken (every state taking one is infeasible),
    e.g. the US unable to sanction; preferences are unchanged."""
    out = dict(data)
    out["infeasible"] = [
        *data.get("infeasible", []),
        *({"pattern": {o: "Y"}, "reason": "option not available"} for o in options),
    ]
    return out


#: Parameters of the parametric 2025 payoffs: name -> (default, min, max, meaning).
S400_2025_PARAMETERS: dict[str, tuple[float, float, float, str]] = {
    "sovereignty": (6.0, 0.0, 10.0, "value to Turkey of keeping the S-400s"),
    "security": (3.0, 0.0, 10.0, "value to Turkey of a fully active long-range air defence"),
    "limited_share": (0.6, 0.0, 1.0, "share of that value that limited activation keeps"),
    "sanction_cost": (4.0, 0.0, 10.0, "cost to Turkey of further sanctions"),
    "incentive_value": (2.0, 0.0, 10.0, "value to Turkey of the US incentives"),
    "f35_value": (3.0, 0.0, 10.0, "value to Turkey of F-35 readmission"),
    "radar_risk": (8.0, 0.0, 10.0, "cost to the US of a fully active S-400"),
    "limited_risk": (0.5, 0.0, 1.0, "share of that cost that limited activation carries"),
    "removal_value": (2.0, 0.0, 10.0, "value to the US of the S-400s gone"),
    "sanction_cost_us": (1.0, 0.0, 10.0, "cost to the US (alliance strain) of further sanctions"),
    "incentive_cost": (1.0, 0.0, 10.0, "cost to the US of the incentives"),
    "f35_risk": (6.0, 0.0, 10.0, "cost to the US of F-35 readmission while the S-400s stay"),
}


def s400_2025_payoffs(conflict: Conflict, **parameters: float | np.ndarray) -> np.ndarray:
    """Payoffs of ``s400-2025`` over parameters; any parameter may be an array of points, and
    the result then has shape ``(points, 2, states)``.

    Turkey: ``sovereignty*keep + security*(full + limited_share*limited) - sanction_cost*sanction
    + incentive_value*incentives + f35_value*readmit_f35``. US: ``-radar_risk*(full +
    limited_risk*limited) - removal_value*keep - sanction_cost_us*sanction - incentive_cost*
    incentives - f35_risk*readmit_f35*keep``.
    """
    unknown = set(parameters) - set(S400_2025_PARAMETERS)
    if unknown:
        raise KeyError(f"unknown parameters: {', '.join(sorted(unknown))}")
    p = {k: np.asarray(parameters.get(k, v[0]), dtype=float) for k, v in S400_2025_PARAMETERS.items()}
    points = max((a.size for a in p.values() if a.ndim), default=0)
    x = option_values(conflict)

    def col(a: np.ndarray) -> np.ndarray:
        return a[:, None] if a.ndim else a

    turkey = (
        col(p["sovereignty"]) * x["keep"]
        + col(p["security"]) * (x["full"] + col(p["limited_share"]) * x["limited"])
        - col(p["sanction_cost"]) * x["sanction"]
        + col(p["incentive_value"]) * x["incentives"]
        + col(p["f35_value"]) * x["readmit_f35"]
    )
    us = (
        -col(p["radar_risk"]) * (x["full"] + col(p["limited_risk"]) * x["limited"])
        - col(p["removal_value"]) * x["keep"]
        - col(p["sanction_cost_us"]) * x["sanction"]
        - col(p["incentive_cost"]) * x["incentives"]
        - col(p["f35_risk"]) * x["readmit_f35"] * x["keep"]
    )
    shape = (points, len(conflict.states)) if points else (len(conflict.states),)
    return np.stack([np.broadcast_to(turkey, shape), np.broadcast_to(us, shape)], axis=-2)
