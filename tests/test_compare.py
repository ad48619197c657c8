"""Route comparison, regimen comparison, dose schedules and equivalent doses."""

from __future__ import annotations

import csv
from dataclasses import replace

import numpy as np
import pytest

import ketpk
from ketpk import Bolus, Infusion, ParameterError, Q_, Subject, nca
from ketpk.compare import compare_regimens, compare_routes, dose_schedule, equivalent_dose

from .conftest import one_compartment

TIMES = Q_(np.arange(0, 24 * 60 + 1.0, 2), "min")
# fine grid: the linear-up trapezoid's O(h²) error on the oral rise stays below 1e-5
FINE = Q_(np.arange(0, 600.1, 0.2), "min")


def assumed_toy():
    """The toy with one assumption-labelled parameter and one assumption on the oral route."""
    model = one_compartment(metabolite=True).with_parameters(KA="0.03 1/min")
    oral = replace(model.routes["oral"], assumptions=("oral F guessed for the test",))
    return replace(model, routes={**model.routes, "oral": oral})


def test_compare_routes_covers_every_route_and_scales_auc_by_f():
    comp = compare_routes(one_compartment(metabolite=True), "25 mg", times=FINE)
    assert tuple(comp.results) == ("iv", "oral")
    ratio = nca.auc_inf(comp.results["oral"]) / nca.auc_inf(comp.results["iv"])
    assert ratio.to("").magnitude == pytest.approx(0.2, rel=1e-4)
    rows = comp.table()
    assert [(r["label"], r["analyte"]) for r in rows] == [
        ("iv", "ketamine"), ("iv", "norketamine"), ("oral", "ketamine"), ("oral", "norketamine")]
    text = comp.format_table()
    assert "Cmax [ng/mL]" in text and "AUC [ng/mL·h]" in text and len(text.splitlines()) == 5


@pytest.mark.parametrize("drug", ["esketamine", "racemic"])
def test_compare_routes_runs_every_route_of_the_default_models(drug):
    model = ketpk.models.get(drug)
    comp = compare_routes(drug, "0.3 mg/kg", subject=Subject(weight="70 kg"), times=TIMES)
    assert set(comp.results) == set(model.routes)
    for result in comp.results.values():
        assert nca.cmax(result).magnitude > 0


def test_dose_shape_keeps_its_timing_and_takes_each_route():
    shape = Infusion("1 h", amount="20 mg", duration="30 min")
    comp = compare_routes(one_compartment(), shape, times=TIMES)
    for route, result in comp.results.items():
        assert [d.route for d in result.regimen] == [route]
        assert result.concentration("ketamine").magnitude[TIMES.magnitude <= 60].max() == 0


def test_equivalent_dose_uses_linearity_and_is_verified_by_simulation():
    model = one_compartment()
    answer = equivalent_dose(model, "25 mg", to_route="oral", times=FINE)
    assert answer.dose.to("mg").magnitude == pytest.approx(25 / 0.2, rel=1e-4)
    for metric in ("auc_inf", "cmax"):
        answer = equivalent_dose(model, "25 mg", to_route="oral", metric=metric, times=TIMES)
        check = ketpk.simulate(model, Bolus("0 min", answer.dose, route="oral"), TIMES)
        assert getattr(nca, metric)(check).magnitude == pytest.approx(answer.exposure.magnitude, rel=1e-9)


def test_equivalent_dose_per_kg_and_summed_exposure_carry_units_and_assumptions():
    model = assumed_toy()
    answer = equivalent_dose(model, "0.3 mg/kg", to_route="oral", analyte=nca.KETAMINE_EQUIVALENTS,
                             subject=Subject(weight="70 kg"), times=Q_(np.arange(0, 2881.0, 2), "min"))
    assert answer.dose.units == Q_(1, "mg/kg").units
    assert "route oral: oral F guessed for the test" in answer.assumptions
    assert any(a.startswith("KA:") for a in answer.assumptions)
    assert "assumption: route oral" in str(answer)
    with pytest.raises(ParameterError, match="metric"):
        equivalent_dose(model, "1 mg", to_route="oral", metric="tmax")


def test_compare_regimens_with_their_own_models_and_schedules():
    daily = Infusion("0 min", rate="0.35 mg/kg/h", duration="4 h").repeat(every="24 h", count=2)
    load = Bolus("0 min", "10 mg") + Infusion("1 h", rate="20 mg/h", duration="10 h")
    comp = compare_regimens({"daily": ("racemic", daily), "load": load}, model="esketamine",
                            subject=Subject(weight="60 kg"), times=Q_(np.arange(0, 2881.0, 10), "min"))
    assert comp.results["daily"].model_id == ketpk.models.get("racemic").id
    assert comp.results["load"].model_id == ketpk.models.get("esketamine").id
    sched = dose_schedule(daily, Subject(weight="60 kg"))
    assert sched.times.to("h").magnitude.tolist() == [0, 4, 24, 28]
    assert sched.rates.to("mg/h").magnitude.tolist() == pytest.approx([21, 0, 21, 0])
    bolus = dose_schedule(load)
    assert bolus.bolus_amounts.to("mg").magnitude.tolist() == [10]
    with pytest.raises(ParameterError, match="needs a model"):
        compare_regimens({"x": load})


def test_comparison_csv_is_long_format(tmp_path):
    comp = compare_routes(one_compartment(), "25 mg", times=Q_([0.0, 10.0, 20.0], "min"))
    path = tmp_path / "curves.csv"
    comp.to_csv(path)
    rows = list(csv.reader(line for line in path.open() if not line.startswith("#")))
    assert rows[0] == ["label", "time [h]", "ketamine (R+S) [ng/mL]"]
    assert [r[0] for r in rows[1:]] == ["iv"] * 3 + ["oral"] * 3
    assert list(tmp_path.iterdir()) == [path]


def test_protocol_assumptions_mark_the_curve_and_the_table():
    protocol = ketpk.protocols.get("sigtermans2009")
    assert protocol.assumptions and not ketpk.models.get("esketamine").assumptions
    comp = compare_regimens({"S": protocol, "plain": Infusion("0 h", rate="20 mg/h", duration="4 h")},
                            model="esketamine", subject=Subject(weight="70 kg"),
                            times=Q_(np.arange(0, 601.0, 10), "min"))
    labels = comp.results["S"].assumptions
    assert all(f"protocol sigtermans2009: {a}" in labels for a in protocol.assumptions)
    counts = {(r["label"], r["analyte"]): r["assumptions"] for r in comp.table()}
    # Every curve of the default also carries its sampling-site label (venous = a delay of arterial).
    site = [a for a in comp.results["plain"].assumptions if a.startswith("sampling: venous plasma")]
    assert len(site) == 1 and site[0] in labels
    assert counts[("S", "ketamine")] == len(protocol.assumptions) + 1 and counts[("plain", "ketamine")] == 1


def test_table_analytes_filter_and_default_panels():
    comp = compare_routes("racemic", "25 mg", ("iv",), times=Q_(np.arange(0, 121.0, 10), "min"))
    assert comp.main_analytes == ("ketamine", "norketamine")
    assert {"s_ketamine", "r_norketamine"} <= set(comp.analytes)
    assert [r["analyte"] for r in comp.table(analytes=("norketamine",))] == ["norketamine"]
    assert "s_ketamine" not in comp.format_table(analytes=comp.main_analytes)
    parent_only = compare_routes(one_compartment(), "25 mg", ("iv",), times=Q_([0.0, 10.0], "min"))
    assert parent_only.main_analytes == ("ketamine",)


def test_comparisons_take_subjects_like_simulate():
    model, who = one_compartment(), Subject(weight="80 kg")
    times = Q_([0.0, 10.0, 20.0], "min")
    old = compare_routes(model, "0.3 mg/kg", times=times, subject=who)
    new = compare_routes(model, "0.3 mg/kg", times=times, subjects=who)
    for route in old.results:
        np.testing.assert_array_equal(new.results[route].concentrations_umol_per_l["ketamine"],
                                      old.results[route].concentrations_umol_per_l["ketamine"])
    dose = Bolus("0 min", "0.3 mg/kg")
    by_name = compare_regimens({"a": dose}, model, times=times, subjects=who)
    np.testing.assert_array_equal(by_name.results["a"].concentrations_umol_per_l["ketamine"],
                                  compare_regimens({"a": dose}, model, times=times, subject=who)
                                  .results["a"].concentrations_umol_per_l["ketamine"])
    with pytest.raises(ParameterError, match="not both"):
        compare_routes(model, "25 mg", times=times, subject=who, subjects=who)
