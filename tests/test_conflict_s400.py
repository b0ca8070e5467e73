"""The S-400 dispute in option form (the library's scenario files): quotes checked against the
articles, the answers pinned."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import yaml

from negsim.compile.conflict import load_conflict
from negsim.compile.source import load_source
from negsim.conflict.batch import batch_stability
from negsim.conflict.stability import analyze
from negsim.scenario import builtin_path

S400 = ("s400-options-2017-2019", "s400-options-2025", "s400-options-2025-parametric")


def _seeds() -> Path:
    if "NEGSIM_SEEDS" in os.environ:
        return Path(os.environ["NEGSIM_SEEDS"])
    for folder in Path(__file__).resolve().parents[1:]:
        if (folder / "shared" / "seeds").is_dir():
            return folder / "shared" / "seeds"
    return Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _quotes(data):
    if isinstance(data, dict):
        if "file" in data:
            yield data
        for v in data.values():
            yield from _quotes(v)
    elif isinstance(data, list):
        for v in data:
            yield from _quotes(v)


@pytest.mark.parametrize("cid", S400)
def test_every_option_quotes_its_article_verbatim(cid):
    seeds = _seeds()
    if not seeds.is_dir():
        pytest.skip("the source articles are not beside this checkout")
    data = yaml.safe_load(builtin_path(cid).read_text(encoding="utf-8"))
    for player in data["players"].values():
        for option in player["options"].values():
            assert option["source"]["quote"], option
    for source in _quotes(data):
        text = (seeds / source["file"]).read_text(encoding="utf-8")
        assert source["quote"] in text, source


def _names(c, states):
    return {"+".join(o for o in c.option_ids if s >> c.option_index(o) & 1) or "none" for s in states}


def test_2017_2019_once_the_us_can_sanction():
    with_sanction = load_conflict("s400-options-2017-2019")
    without, _kept = with_sanction.without_options(["sanction"])
    a, b = analyze(with_sanction), analyze(without)
    # Without sanctions the only Nash equilibrium is activation and F-35 expulsion; with them,
    # activation comes with sanctions as well.
    assert _names(without, b.equilibria("R")) == {"buy+activate+expel_f35"}
    assert _names(with_sanction, a.equilibria("R")) == {"buy+activate+sanction+expel_f35"}
    # "buy but never use" (buy, store, no sanctions) is SEQ stable either way: activating is
    # answered by the F-35 expulsion, and, once the US can sanction, by sanctions too.
    assert "buy" in _names(with_sanction, a.equilibria("SEQ"))
    v = a.verdict("SEQ", "turkey", with_sanction.state_of(["buy"]))
    assert v.stable and {m.dm for d in v.deterred for m in d.sanction.moves} == {"us"}
    assert _names(with_sanction, a.equilibria("SEQ")) == {
        "buy",
        "buy+patriot",
        "buy+sanction",
        "buy+patriot+sanction",
        "buy+expel_f35",
        "buy+activate+patriot+expel_f35",
        "buy+activate+sanction+expel_f35",
    }
    assert _names(without, b.equilibria("SEQ")) == {"buy", "buy+patriot", "buy+activate+expel_f35"}


def test_2025_statements():
    c = load_conflict("s400-options-2025")
    a = analyze(c)
    assert _names(c, a.equilibria("R")) == {"keep+full+sanction"}
    seq = _names(c, a.equilibria("SEQ"))
    assert {"keep+limited", "keep+limited+incentives"} <= seq and "keep" not in seq
    assert "keep" in _names(c, a.equilibria("GMR"))


def test_2025_what_makes_limited_activation_stable():
    # Limited activation with incentives is SEQ stable exactly when both sides hold a credible
    # threat (derived by hand from the payoffs; the other parameters at their defaults, so that
    # sanctions alone cost the US 1 and F-35 readmission never pays for it):
    # - Turkey's gain from full activation, extra = security * (1 - limited_share), must be
    #   deterred: the US answers full activation by dropping the incentives (a US improvement
    #   when incentive_cost > 0), enough when extra <= incentive_value; when the incentives cost
    #   the US more than sanctions (incentive_cost > 1), dropping them and sanctioning in one
    #   move is an improvement too, enough when extra <= incentive_value + sanction_cost.
    # - The US's saving from dropping the incentives (incentive_cost) must be deterred: Turkey
    #   answers by full activation (an improvement for Turkey when extra > 0), enough when
    #   incentive_cost <= radar_risk * (1 - limited_risk).
    # It is Nash stable only when neither side gains anything (extra = incentive_cost = 0).
    # The other parameters stay at their defaults (sanctions and F-35 readmission cost the US).
    parametric = load_source("s400-options-2025-parametric").conflict
    c = parametric.skeleton
    k = c.index[c.state_of(["keep", "limited", "incentives"])]
    rng = np.random.default_rng(11)
    n = 3000
    varied = ("security", "limited_share", "incentive_value", "incentive_cost", "radar_risk", "limited_risk")
    draws = {name: rng.choice(np.linspace(*parametric.bounds[name], 11), size=n) for name in varied}
    b = batch_stability(c, parametric.evaluate(draws), ("R", "SEQ"))
    extra = draws["security"] * (1 - draws["limited_share"])
    threat = draws["radar_risk"] * (1 - draws["limited_risk"])
    cost = draws["incentive_cost"]
    tol = 1e-9
    value = draws["incentive_value"]
    turkey = (
        (extra <= tol)
        | ((cost > tol) & (extra <= value + tol))
        | ((cost > 1 + tol) & (extra <= value + 4 + tol))
    )
    us = (cost <= tol) | ((extra > tol) & (cost <= threat + tol))
    seq = turkey & us
    nash = (extra <= tol) & (cost <= tol)
    assert np.array_equal(b.equilibria("SEQ")[:, k], seq)
    assert np.array_equal(b.equilibria("R")[:, k], nash)
    assert 0.05 < seq.mean() < 0.95 and nash.sum() > 0
    # at the defaults: security 3, limited_share 0.6 (extra 1.2 <= incentive value 2) and
    # incentive cost 1 <= radar risk 8 * (1 - 0.5): stable
    default = batch_stability(c, parametric.evaluate({}), ("SEQ",))
    assert default.equilibria("SEQ")[0, k]
