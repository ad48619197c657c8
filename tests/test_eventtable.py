"""Event tables: export, CSV, reading back (ADDL/II, RATE = -2, SS = 1) and clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import ketpk
from ketpk import Bolus, Infusion, Q_, RegimenError, Subject, protocols, read_event_table, simulate
from ketpk.eventtable import ROUTE_CMT, cmt_map

from .protocol_models import model_for, toy_zero_order

SUBJECT = Subject(weight="83 kg")


def curves(model, regimen, end_min):
    times = Q_(np.linspace(0, end_min + 300, 300), "min")
    return simulate(model, regimen, times, subjects=SUBJECT, record="plasma").concentration("ketamine").magnitude


@pytest.mark.parametrize("name", [s.name for s in protocols.available()])
def test_round_trip_through_csv_reproduces_the_curves(name, tmp_path):
    p = protocols.get(name)
    model = model_for(p)
    table = p.to_event_table(SUBJECT, model=model)
    back = read_event_table(table.write(tmp_path / "doses.csv"), model=model)
    assert back.total_amount().magnitude == pytest.approx(p.total_amount(SUBJECT).magnitude, rel=1e-12)
    end = p.duration(SUBJECT).to("min").magnitude
    assert_allclose(curves(model, back, end), curves(model, p, end), rtol=1e-9, atol=1e-15)


def test_runs_are_compressed_with_addl_and_ii():
    rows = list(protocols.get("amr2010").to_event_table())
    assert len(rows) == 1
    assert rows[0] | {} == {"ID": 1, "TIME": 0.0, "EVID": 1, "AMT": 80.0, "RATE": 16.0,
                            "CMT": ROUTE_CMT["iv"], "II": 24.0, "ADDL": 6, "SS": 0}
    minutes = protocols.get("amr2010").to_event_table(time_unit="min").rows[0]
    assert (minutes["II"], minutes["RATE"]) == (1440.0, pytest.approx(16 / 60))


def test_cmt_mapping_follows_the_model_states(toy):
    assert cmt_map(toy) == {"iv": 1, "oral": 2}
    row = Bolus("0 h", "10 mg", "oral").repeat(every="8 h", count=2).to_event_table(model=toy).rows[0]
    assert (row["CMT"], row["ADDL"], row["II"]) == (2, 1, 8.0)


def test_rate_minus_two_with_dur_and_with_a_modelled_duration(toy):
    reg = Infusion("1 h", amount="30 mg", duration="45 min")
    row = ketpk.Regimen([reg]).to_event_table(durations=True).rows[0]
    assert (row["RATE"], row["DUR"]) == (-2, 0.75)
    back = read_event_table([row])
    assert back.doses[0].resolve(None, 1).duration[0] == pytest.approx(45)
    zero = toy_zero_order()
    row = ketpk.Regimen([Bolus("0 h", "20 mg", "oral")]).to_event_table(model=zero).rows[0]
    assert row["RATE"] == -2
    assert read_event_table([row], model=zero) == ketpk.Regimen([Bolus(Q_(0.0, "min"), Q_(20.0, "mg"), "oral")])
    with pytest.raises(RegimenError, match="RATE -2 needs a DUR"):
        read_event_table([row], model=toy)


def test_observation_rows_are_skipped_and_ids_are_chosen():
    rows = [{"ID": 1, "TIME": 0, "EVID": 1, "AMT": 5, "CMT": 1},
            {"ID": 1, "TIME": 1, "EVID": 0, "AMT": 0, "CMT": 1},
            {"ID": 2, "TIME": 0, "EVID": 1, "AMT": 7, "CMT": 1}]
    with pytest.raises(RegimenError, match="IDs 1, 2"):
        read_event_table(rows)
    assert read_event_table(rows, id=2).total_amount().magnitude == 7


BASE = {"ID": 1, "TIME": 0, "EVID": 1, "AMT": 5, "RATE": 0, "CMT": 1, "II": 0, "ADDL": 0}


@pytest.mark.parametrize("change, match", [
    ({"EVID": 4}, "EVID 4 is not supported"),
    ({"EVID": 7}, "EVID 7 is not supported"),
    ({"CMT": 42}, "CMT 42 is not in the mapping"),
    ({"AMT": "five"}, "column AMT must be a number; got 'five'"),
    ({"TIME": ""}, "column TIME is empty"),
    ({"ADDL": 3}, "ADDL 3 needs a positive II"),
    ({"RATE": -1}, "RATE -1 is not supported"),
    ({"SS": 1}, "only SS=1 with II > 0"),
    ({"AMT": 0}, "AMT > 0"),
])
def test_reader_errors_name_the_row_and_the_fix(change, match):
    with pytest.raises(RegimenError, match=match):
        read_event_table([BASE | change])


def test_missing_columns_are_listed(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ID,TIME,AMT\n1,0,10\n")
    with pytest.raises(RegimenError, match="lacks column\\(s\\) EVID, CMT"):
        read_event_table(path)


def test_steady_state_round_trip(toy, tmp_path):
    dose = Bolus("0 h", "50 mg", "oral")
    reg = dose.repeat(every="6 h", count=3).with_steady_state(dose, every="6 h")
    rows = reg.to_event_table(model=toy).rows
    assert (rows[0]["SS"], rows[0]["II"], rows[0]["ADDL"]) == (1, 6.0, 0)
    back = read_event_table(reg.to_event_table(model=toy).write(tmp_path / "ss.csv"), model=toy)
    assert back.steady_state is not None
    times = Q_(np.linspace(0, 1440, 97), "min")
    a = simulate(toy, reg, times).concentration("ketamine").magnitude
    b = simulate(toy, back, times).concentration("ketamine").magnitude
    assert_allclose(b, a, rtol=1e-9)
    odd = Bolus("0 h", "50 mg").repeat(every="6 h", count=2).with_steady_state(Bolus("1 h", "9 mg"), every="6 h")
    with pytest.raises(RegimenError, match="SS=1"):
        odd.to_event_table()


def test_a_compartment_shared_by_two_routes_needs_an_explicit_mapping():
    with pytest.raises(RegimenError, match="pass `cmt=`"):
        read_event_table([BASE], cmt={"rectal": 1, "oral": 1})
    assert read_event_table([BASE], cmt={"iv": 1, "oral": 2}).doses[0].route == "iv"


def test_a_dose_into_the_central_compartment_is_iv_by_convention():
    # in the default models the inhaled fast pathway also enters the central compartment
    assert read_event_table([BASE], cmt={"iv": 1, "inhaled": 1}).doses[0].route == "iv"


def test_written_table_says_what_its_cmt_numbers_and_units_are(tmp_path):
    import ketpk

    regimen = ketpk.Regimen([ketpk.Bolus("0 h", "50 mg", "oral")])
    regimen.to_event_table(model=ketpk.models.get("racemic")).write(tmp_path / "m.csv")
    regimen.to_event_table().write(tmp_path / "r.csv")
    with_model = (tmp_path / "m.csv").read_text()
    assert "# cmt_meaning: 1-based state number in model racemic.multiroute" in with_model
    assert "# units: TIME, II, DUR in h; AMT in mg of free base; RATE in mg/h" in with_model
    assert "ketpk route codes" in (tmp_path / "r.csv").read_text()
    back = ketpk.read_event_table(tmp_path / "m.csv", model=ketpk.models.get("racemic"))
    assert [d.route for d in back] == ["oral"]
