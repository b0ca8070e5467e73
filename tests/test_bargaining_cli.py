"""negsim bargain and negsim repeated: readable output with the S-400 answers, one JSON object,
options that override the scenario's declarations, figures, and clean errors that write nothing."""

from __future__ import annotations

import json

import matplotlib.image as mpimg
import pytest

from negsim.cli import main

S400 = "s400-2025-limited-use"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, " ".join(out.split()), err


def test_bargain_reads_the_scenarios_declarations(capsys):
    code, out, _ = run(capsys, "bargain", S400)
    assert code == 0
    assert "Disagreement point: the status quo store / keep (Turkey 3, United States -1)." in out
    assert "a surplus of 5.5 to share" in out  # side payments, as the scenario declares
    _, data, _ = run(capsys, "bargain", S400, "--format", "json")
    nash = json.loads(data)["solutions"][0]
    assert nash["lottery"][0]["label"] == "patriot / incentives"
    assert nash["transfers"] == {"turkey": 2.25, "us": -2.25}
    assert ("Turkey gets 66% of the surplus because it is more patient (discount factor 0.95 against 0.9), "
            "although United States proposes first.") in out


def test_bargain_options_override_the_declarations(capsys):
    code, out, _ = run(capsys, "bargain", S400, "--agreements", "lotteries", "--disagreement", "status-quo",
                       "--discount", "0.9,0.9", "--first", "turkey", "--format", "json")
    data = json.loads(out)
    assert code == 0
    nash = data["solutions"][0]
    assert [(t["label"], t["exact"]) for t in nash["lottery"]] == [
        ("patriot / incentives", "101/117"), ("full / waive", "16/117")]
    assert nash["exact"] == {"turkey": "107/26", "us": "20/9"}
    assert data["alternating_offers"]["sentence"].startswith(
        "Turkey proposes first and United States accepts at once")
    code, out, _ = run(capsys, "bargain", S400, "--agreements", "pure")
    assert "store / incentives" in out and "of the surplus because" not in out
    assert "set aside" in out


def test_bargain_json_is_one_object_from_the_results(capsys):
    code, out, _ = run(capsys, "bargain", S400, "--format", "json", "--powers", "turkey=0.6,us=0.4")
    data = json.loads(out)
    assert code == 0 and data["scenario"] == S400 and data["agreements"] == "transfers"
    assert data["powers"] == {"turkey": 0.6, "us": 0.4}
    nash = data["solutions"][0]
    assert nash["solution"] == "nash" and nash["weights"] == [0.6, 0.4]
    # Turkey gets 3 + 0.6 * 5.5 = 6.3, the US -1 + 0.4 * 5.5 = 1.2
    assert nash["exact"] == {"turkey": "63/10", "us": "6/5"}
    assert data["alternating_offers"]["kind"] == "surplus"
    assert data["alternating_offers"]["sentence"].startswith("Turkey gets 66% of the surplus")
    assert {o["label"] for o in data["problem"]["feasible"]["outcomes"]} >= {"store / keep", "full / waive"}


def test_bargain_draws_the_payoff_set_and_the_offers(capsys, tmp_path):
    out_file = tmp_path / "settle.png"
    code, out, _ = run(capsys, "bargain", S400, "-o", out_file)
    assert code == 0 and f"wrote {out_file}" in out
    for path in (out_file, tmp_path / "settle-offers.png"):
        image = mpimg.imread(path)
        assert image.shape[0] > 500 and image.std() > 0.05
    code, _, err = run(capsys, "bargain", S400, "-o", out_file)
    assert code == 2 and "--force" in err


@pytest.mark.parametrize("args, message", [
    pytest.param(["--agreements", "lotterys"], "--agreements: expected 'pure', 'lotteries' or 'transfers'",
                 id="agreements"),
    pytest.param(["--powers", "turkey=1,usa=1"], "--powers: unknown player 'usa' (did you mean 'us'?)",
                 id="powers"),
    pytest.param(["--discount", "1.5,0.9"], "--discount: turkey: a discount factor lies in (0, 1]; got 1.5",
                 id="discount"),
    pytest.param(["--disagreement", "outcome=store,kep"],
                 "--disagreement: outcome[1]: unknown strategy 'kep' of player 'us'",
                 id="outcome"),
    pytest.param(["--disagreement", "somewhere"], "--disagreement: expected status-quo, maximin",
                 id="kind"),
    pytest.param(["--disagreement", "equilibrium=3"],
                 "--disagreement: equilibrium: no equilibrium 3: the game has 1",
                 id="equilibrium"),
    pytest.param(["--disagreement", "9,9"], "--disagreement: nothing to bargain over", id="nothing"),
    pytest.param(["--set", "sanction_cost=70"], "--set sanction_cost: 70 is outside", id="set"),
])
def test_bargain_errors_are_clean_and_write_nothing(capsys, tmp_path, args, message):
    code, out, err = run(capsys, "bargain", S400, *args, "-o", tmp_path / "b.png")
    assert code == 2 and out == ""
    assert message in err, err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


def test_repeated_says_whether_cooperation_lasts(capsys):
    code, out, _ = run(capsys, "repeated", S400)
    assert code == 0
    assert ("store / waive cannot last at any discount factor: Turkey gets 3 from it but 8 by deviating to "
            "full, and no punishment can hold it below 3 (its minmax).") in out
    assert ("cooperation (store / incentives) can last if United States values the future at least 0.77 and "
            "Turkey values the future at least 1/3, with the best simple penal code") in out
    assert "At discount factors Turkey 0.95 and United States 0.90, store / incentives lasts" in out
    assert "unravelling" in out


def test_repeated_options_and_json(capsys):
    code, out, _ = run(capsys, "repeated", "prisoners-dilemma", "--cooperate", "cooperate,cooperate",
                       "--discount", "0.4,0.6", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["scenario"] == "prisoners-dilemma"
    (coop,) = data["cooperation"]
    grim = next(s for s in coop["schemes"] if s["name"] == "nash-reversion")
    assert [t["delta_exact"] for t in grim["thresholds"]] == ["1/2", "1/2"]
    assert coop["at_discount"]["lasts"]["nash-reversion"] is False
    assert data["folk"]["minmax"] == {"row": 1, "column": 1}
    code, out, _ = run(capsys, "repeated", S400, "--cooperate", "turkey=store,us=incentives",
                       "--punishment", "turkey:store,tighten", "--punishment", "us:limited,keep")
    assert code == 0 and "the declared punishments" in out


def test_repeated_draws_the_folk_region(capsys, tmp_path):
    code, out, _ = run(capsys, "repeated", "prisoners-dilemma", "-o", tmp_path / "folk.svg")
    assert code == 0 and (tmp_path / "folk.svg").read_text().startswith("<?xml")
    code, out, _ = run(capsys, "repeated", S400, "-o", tmp_path / "s400.png")  # penal codes in the labels
    assert code == 0 and mpimg.imread(tmp_path / "s400.png").std() > 0.05


@pytest.mark.parametrize("args, message", [
    pytest.param(["--cooperate", "store,wave"], "--cooperate: [0][1]: unknown strategy 'wave' of player 'us'",
                 id="cooperate"),
    pytest.param(["--punishment", "turkey:store,tighten"], "--punishment: a punishment for each player",
                 id="penal-code"),
    pytest.param(["--discount", "1,0.5"],
                 "--discount: turkey: a discount factor of repeated play lies in (0, 1)",
                 id="discount"),
])
def test_repeated_errors_are_clean(capsys, args, message):
    code, out, err = run(capsys, "repeated", S400, *args)
    assert code == 2 and out == "" and message in err, err
