"""The protocol library and titration schedules: published numbers, totals, caps, validation."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import ketpk
from ketpk import Bolus, Infusion, Q_, RegimenError, Subject, protocols, simulate
from ketpk.errors import ModelNotFoundError, ProtocolLimitWarning
from ketpk.titration import amount_steps, check_lines, escalate, rate_steps

from .protocol_models import model_for

NAMES = [s.name for s in protocols.available()]
REQUIRED = {"sigtermans2009", "schwartzman2009", "dahan2011", "goldberg2010", "amr2010",
            "mitchell2002", "hardy2012", "zarate2006", "lenze2016", "spravato_induction",
            "noppers2011", "olofsen2012", "vranken2005", "perioperative", "alshirawi2017"}
W70, W60, W100 = Subject(weight="70 kg"), Subject(weight="60 kg"), Subject(weight="100 kg")


def test_the_issue_list_is_registered_with_citations_and_drug_forms():
    assert REQUIRED <= set(NAMES)
    for summary in protocols.available():
        p = protocols.get(summary.name)
        assert p.drug in ("esketamine", "racemic") and p.citation.doi + p.citation.pmid
        assert summary.name in p.describe() and p.steps


# Hand calculations: weight (kg) and the expected total in mg, written out.
TOTALS = {
    # 1.2, 2.4, 3.6, 4.8 ug/kg/min for 2 h each, then 22.2/70 mg/kg/h from 8 h to 100 h
    "sigtermans2009": (70, 70 * (1.2 + 2.4 + 3.6 + 4.8) * 120 / 1000 + 22.2 * 92),
    # 5, 10, 15 mg/h/70 kg for 8 h each, then 20 mg/h/70 kg for 76 h
    "dahan2011": (70, 5 * 8 + 10 * 8 + 15 * 8 + 20 * 76),
    "schwartzman2009": (60, 0.35 * 60 * 4 * 10),
    # 10, 20, 30 mg/h for 1 h each, then 40 mg/h for 117 h
    "goldberg2010": (80, 10 + 20 + 30 + 40 * 117),
    "amr2010": (80, 80 * 7),
    "mitchell2002": (80, 0.6 * 80),
    "hardy2012": (80, 100 + 300 + 500),
    "zarate2006": (80, 0.5 * 80),
    # 0.15, 0.30, 0.45 mg/kg/h for 6 h each, then 0.6 mg/kg/h for 78 h
    "lenze2016": (80, 80 * (0.15 * 6 + 0.30 * 6 + 0.45 * 6 + 0.6 * 78)),
    "spravato_induction": (80, 56 * 8),
    "noppers2011": (80, 20 / 70 * 80 * 2),
    "olofsen2012": (80, 20 * 2),
    "vranken2005": (80, 50 * 7),
    "perioperative": (80, 0.5 * 80 + 0.002 * 80 * 120),
    "alshirawi2017": (80, 50 + 75 + 100 * 8),
}


def test_every_protocol_total_matches_a_hand_calculation():
    assert set(TOTALS) == set(NAMES)
    for name, (kg, mg) in TOTALS.items():
        total = protocols.get(name).total_amount(Subject(weight=f"{kg} kg"))
        assert total.units == ketpk.ureg.mg
        assert total.magnitude == pytest.approx(mg, rel=1e-12), name


def test_options_change_the_totals_as_documented():
    assert protocols.get("spravato_induction", dose="84 mg").total_amount().magnitude == 56 + 7 * 84
    assert protocols.get("hardy2012", days=5).total_amount().magnitude == 100 + 300 + 500 * 3
    assert protocols.get("vranken2005", daily="75 mg").total_amount().magnitude == 75 * 7
    assert protocols.get("mitchell2002", duration="2 h").max_rate(W70).magnitude == pytest.approx(0.6 * 70 / 2)
    half = protocols.get("schwartzman2009", first_day_rate="0.175 mg/kg/h")
    assert half.amount_per_day(W60).magnitude[0] == pytest.approx(0.175 * 60 * 4)
    assert any("inferred" in a for a in half.assumptions)


def test_sigtermans_stays_in_range_lasts_100_h_and_ends_at_the_published_rate():
    p = protocols.get("sigtermans2009")
    for kg in (45.0, 70.0, 120.0):
        doses = p.resolve(np.array([kg]), 1)
        per_kg = np.array([d.rate[0] for d in doses]) / kg * 1000  # ug/kg/min
        assert per_kg.min() == pytest.approx(1.2) and per_kg.max() <= 7.2
        assert np.all(np.diff(per_kg) > 0)
    assert p.duration(W70).to("h").magnitude == pytest.approx(100)
    assert abs(p.max_rate(W70).magnitude - 22.2) <= 2.0          # end rate, mg/h/70 kg
    assert p.assumptions and "ASSUMPTION" in p.describe()


def test_sigtermans_options_and_the_published_maximum():
    p = protocols.get("sigtermans2009", target="7.2 ug/kg/min", interval="4 h")
    assert p.max_rate(W70).magnitude == pytest.approx(7.2 * 70 * 60 / 1000)
    assert p.doses[1].start_minutes == 240
    with pytest.warns(ProtocolLimitWarning, match="maximum"):
        protocols.get("sigtermans2009", target="8.4 ug/kg/min")
    with pytest.raises(RegimenError, match="per-weight"):
        protocols.get("sigtermans2009", target="20 mg/h")


def test_schwartzman_rate_for_60_kg_and_cap_for_100_kg():
    p = protocols.get("schwartzman2009")
    assert_allclose(p.amount_per_day(W60).magnitude, [0.35 * 60 * 4] * 10)
    assert p.max_rate(W60).magnitude == pytest.approx(0.35 * 60)
    assert p.capped_doses(W60) == []
    assert_allclose(p.amount_per_day(W100).magnitude, [100.0] * 10)
    assert p.max_rate(W100).magnitude == pytest.approx(25.0)
    capped = p.capped_doses(W100)
    assert len(capped) == 10 and capped[0][1].magnitude == pytest.approx(35.0)
    assert "CAP BINDS" in p.describe(W100) and "CAP BINDS" not in p.describe(W60)
    assert not p.capped_doses(Subject(weight="71 kg")) and p.capped_doses(Subject(weight="72 kg"))


def test_get_rejects_unknown_names_and_options():
    with pytest.raises(ModelNotFoundError, match="sigtermans2009"):
        protocols.get("sigtermans")
    with pytest.raises(RegimenError, match="no option 'speed'"):
        protocols.get("zarate2006", speed="fast")
    assert protocols.options("zarate2006") == {"amount": "0.5 mg/kg", "duration": "40 min"}


@pytest.mark.parametrize("name", NAMES)
def test_every_protocol_simulates_end_to_end(name):
    p = protocols.get(name)
    model = model_for(p)
    default = ketpk.models.get(p.drug)
    if len(default.routes) > 1:  # once the multi-route defaults are merged they must serve every protocol
        assert set(p.routes) <= set(default.routes)
    end = p.duration(W70).to("min").magnitude
    times = Q_(np.linspace(0, end + 600, 400), "min")
    result = simulate(model, p, times, subjects=W70, record="plasma")
    conc = result.concentration("ketamine").magnitude
    assert np.all(np.isfinite(conc)) and conc.max() > 0 and conc[0] >= 0


# -- titration ---------------------------------------------------------------------------------

def test_rate_steps_build_one_line_with_caps_resolved_per_subject():
    reg = rate_steps([("0 h", "0.2 mg/kg/h"), ("1 h", "0 mg/h"), ("2 h", "0.4 mg/kg/h")], end="4 h",
                     cap=["30 mg/h", "0.3 mg/kg/h"])
    assert len(reg) == 2  # the zero-rate step is a pause
    assert reg.total_amount(Subject(weight="50 kg")).magnitude == pytest.approx(0.2 * 50 + 0.3 * 50 * 2)
    assert reg.total_amount(Subject(weight="150 kg")).magnitude == pytest.approx(30 + 30 * 2)
    check_lines(reg)


def test_amount_steps_boluses_and_infusions():
    boluses = amount_steps([("0 h", "1 mg/kg"), ("6 h", "2 mg/kg")], route="oral", cap="100 mg")
    assert boluses.total_amount(Subject(weight="80 kg")).magnitude == pytest.approx(80 + 100)
    infusions = amount_steps([("0 h", "10 mg"), ("2 h", "30 mg")], duration="1 h", cap="20 mg")
    assert infusions.total_amount().magnitude == pytest.approx(30)
    assert infusions.max_rate().magnitude == pytest.approx(20)


@pytest.mark.parametrize("call, match", [
    (lambda: rate_steps([("1 h", "1 mg/h"), ("1 h", "2 mg/h")], end="3 h"), "increase strictly"),
    (lambda: rate_steps([("2 h", "1 mg/h"), ("1 h", "2 mg/h")], end="3 h"), "increase strictly"),
    (lambda: rate_steps([("0 h", "1 mg/h")], end="0 h"), "`end` must be after"),
    (lambda: rate_steps([], end="1 h"), "non-empty"),
    (lambda: rate_steps([("0 h",)], end="1 h"), r"\(time, value\) pair"),
    (lambda: amount_steps([("0 h", "5 mg"), ("1 h", "5 mg")], duration="2 h"), "overlap"),
    (lambda: escalate("1 mg/h", "1 mg/h", "5 mg/h", ["0 h", "1 h"]), "too few"),
    (lambda: escalate("1 mg/h", "1 mg/kg/h", "5 mg/h", ["0 h"]), "same units"),
    (lambda: check_lines(Infusion("0 h", rate="1 mg/h", duration="2 h")
                         + Infusion("1 h", rate="1 mg/h", duration="2 h")), "overlap on the iv line"),
])
def test_titration_validation_messages(call, match):
    with pytest.raises(RegimenError, match=match):
        call()


def test_summaries_of_a_mixed_regimen():
    reg = Bolus("0 h", "10 mg") + Infusion("20 h", rate="2 mg/h", duration="8 h") \
        + Infusion("22 h", rate="1 mg/h", duration="1 h", route="sc")
    assert reg.total_amount().magnitude == pytest.approx(10 + 16 + 1)
    assert_allclose(reg.amount_per_day().magnitude, [10 + 8 + 1, 8])
    assert reg.max_rate().magnitude == pytest.approx(3)
    assert reg.duration().magnitude == pytest.approx(28)
    with pytest.raises(RegimenError, match="no subject weight"):
        ketpk.Regimen([Bolus("0 h", "1 mg/kg")]).total_amount()
