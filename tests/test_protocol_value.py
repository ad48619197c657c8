"""A Protocol is a frozen value that holds a Regimen; every front door takes it (issue 11)."""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

import ketpk
from ketpk import Bolus, Q_, Regimen, RegimenError, Subject, protocols
from ketpk.eventtable import event_table
from ketpk.regimen import as_regimen, dose_schedule

W70 = Subject(weight="70 kg")
TIMES = Q_(np.arange(0, 301.0, 30), "min")


def test_a_protocol_holds_its_regimen_and_is_not_one():
    p = protocols.get("zarate2006")
    assert not isinstance(p, Regimen) and isinstance(p.regimen, Regimen)
    assert p.regimen.drug == p.drug == "racemic" and as_regimen(p) is p.regimen
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.drug = "esketamine"
    back = pickle.loads(pickle.dumps(p))
    assert back == p and back.regimen == p.regimen and back.assumptions == p.assumptions


def test_the_delegated_methods_answer_as_the_regimen():
    p = protocols.get("schwartzman2009")
    reg = p.regimen
    assert p.doses == reg.doses and list(p) == list(reg) and len(p) == len(reg)
    for name in ("total_amount", "max_rate", "duration"):
        assert getattr(p, name)(W70) == getattr(reg, name)(W70), name
    assert np.array_equal(p.amount_per_day(W70).magnitude, reg.amount_per_day(W70).magnitude)
    assert (p + Bolus("0 h", "1 mg")) == (reg + Bolus("0 h", "1 mg"))
    assert (Bolus("0 h", "1 mg") + p).drug == "racemic" and p.shifted("1 h").drug == "racemic"
    assert p.to_event_table(W70).rows == event_table(p, W70).rows == event_table(reg, W70).rows


def test_front_doors_simulate_the_held_regimen_and_keep_the_protocol():
    p = protocols.get("zarate2006")
    by_protocol = ketpk.simulate("racemic", p, TIMES, subjects=W70)
    by_regimen = ketpk.simulate("racemic", p.regimen, TIMES, subjects=W70)
    assert np.array_equal(by_protocol.concentration("ketamine").magnitude,
                          by_regimen.concentration("ketamine").magnitude)
    assert by_protocol.regimen is p
    assert all(f"protocol zarate2006: {a}" in by_protocol.assumptions for a in p.assumptions)
    summary = ketpk.summarize("racemic", p, TIMES, subjects=ketpk.population.sample("racemic", 4, seed=1))
    assert summary.metadata["regimen"] == "zarate2006"
    comp = ketpk.compare_routes("racemic", p, ("iv",), subject=W70, times=TIMES)
    assert np.array_equal(comp.results["iv"].concentration("ketamine").magnitude,
                          by_regimen.concentration("ketamine").magnitude)
    assert np.array_equal(dose_schedule(p, W70).rates.magnitude, dose_schedule(p.regimen, W70).rates.magnitude)
    with pytest.raises(RegimenError, match="protocol 'zarate2006' doses racemic"):
        ketpk.simulate("esketamine", p, TIMES, subjects=W70)


def test_a_protocol_refuses_a_regimen_of_the_other_form():
    p = protocols.get("zarate2006")
    with pytest.raises(RegimenError, match="is for esketamine, but its regimen doses racemic"):
        dataclasses.replace(p, drug="esketamine")


def test_equal_values_hash_equally_after_a_pickle_round_trip():
    """Doses compare and hash on their canonical values (min, mg, mg/min), so an unpickled
    value (whose pint Quantities hash differently) and other spellings of it hash as it does."""
    infusion = ketpk.Infusion(Q_(1, "h"), rate=Q_(1.2, "ug/kg/min"), duration="2 h", cap="25 mg/h")
    values = [Bolus(Q_(0, "min"), Q_(25, "mg"), "oral"), infusion,
              Regimen([Bolus("0 h", "5 mg"), infusion]).repeat(every="24 h", count=3),
              Bolus("0 h", "50 mg", "oral").repeat(every="6 h", count=2).with_steady_state(
                  Bolus("0 h", "50 mg", "oral"), every="6 h"),
              protocols.get("schwartzman2009"), protocols.get("spravato_induction")]
    for value in values:
        for dose in getattr(value, "doses", [value]):
            dose.time if isinstance(dose, Bolus) else dose.start  # Quantities made before pickling
        back = pickle.loads(pickle.dumps(value))
        assert back == value and hash(back) == hash(value), value
    assert Bolus("1 h", "25 mg") == Bolus(Q_(60, "min"), "25 mg")
    assert hash(Bolus("1 h", "25 mg")) == hash(Bolus(Q_(60, "min"), "25000 ug"))
    assert Bolus("1 h", "25 mg") != Bolus("1 h", "25 mg", "oral") != Bolus("1 h", "25 mg/kg", "oral")
    assert infusion != ketpk.Infusion(Q_(1, "h"), rate=Q_(1.2, "ug/kg/min"), duration="2 h")  # no cap
    assert len({Bolus("0 h", "1 mg"), Bolus("0 min", "1 mg"), Bolus("1 min", "1 mg")}) == 2
