"""to_frame(): tidy long and wide pandas frames whose numbers are the API's, provenance in attrs."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd  # noqa: F401 - the test extra installs it; these tests need it
import pytest
from numpy.testing import assert_allclose

import ketpk
from ketpk import Bolus, Infusion, MissingExtraError, Q_, Subject, nca, population, summarize
from ketpk.effects import compare_regimens as compare_effects
from ketpk.effects import simulate_effects

TIMES = Q_(np.arange(0, 361, 15.0), "min")
DOSE = Infusion("0 min", amount="0.5 mg/kg", duration="40 min")


@pytest.fixture(scope="module")
def batch():
    return ketpk.simulate("esketamine", DOSE, TIMES, subjects=population.sample("esketamine", 3, seed=2))


def test_long_frame_holds_every_concentration_with_units_and_subject_ids(batch):
    frame = batch.to_frame(unit="nmol/mL", time_unit="min")
    assert list(frame.columns) == ["ID", "time", "analyte", "value", "unit"]
    assert len(frame) == 3 * TIMES.size * len(batch.analytes)
    for analyte in batch.analytes:
        part = frame[frame.analyte == analyte]
        assert set(part.unit) == {"nmol/mL"}
        values = part.pivot(index="ID", columns="time", values="value").to_numpy()
        assert_allclose(values, batch.concentration(analyte, "nmol/mL").magnitude)
    assert_allclose(np.unique(frame.time), TIMES.magnitude)
    assert sorted(set(frame.ID)) == [1, 2, 3]


def test_wide_frame_is_the_pivot_of_the_long_one_and_attrs_carry_provenance(batch):
    wide = batch.to_frame(wide=True)
    assert list(wide.columns) == ["ID", "time", *(f"{a} [ng/mL]" for a in batch.analytes)]
    assert_allclose(wide["ketamine [ng/mL]"].to_numpy().reshape(3, -1),
                    batch.concentration("ketamine").magnitude)
    assert_allclose(wide.time.to_numpy()[: TIMES.size], TIMES.to("h").magnitude)
    attrs = wide.attrs
    assert attrs["model_id"] == "esketamine.multiroute" and attrs["seed"] == 2
    assert attrs["time_unit"] == "h" and "Otto" in attrs["citation"]
    assert attrs["ketpk_version"] == ketpk.__version__


def test_summary_frames_hold_the_bands_and_the_per_subject_metrics():
    subjects = population.sample("esketamine", 50, seed=1)
    summary = summarize("esketamine", DOSE, TIMES, subjects=subjects, q=(5, 25, 50, 75, 95))
    bands = summary.to_frame()
    assert set(bands.statistic) == {"P5", "P25", "P50", "P75", "P95", "mean"}
    p75 = bands[(bands.statistic == "P75") & (bands.analyte == "norketamine")].value.to_numpy()
    assert_allclose(p75, summary.percentile("norketamine", 75).magnitude)
    per_subject = summary.to_frame(subjects=True)
    ket = per_subject[per_subject.analyte == "ketamine"]
    assert_allclose(ket["Cmax [ng/mL]"], summary.cmax("ketamine").magnitude)
    assert_allclose(ket["AUC [ng/mL·h]"], summary.auc("ketamine", "ng*h/mL").magnitude)
    assert per_subject.attrs["n_subjects"] == 50


def test_comparison_frames_label_each_route_and_hold_the_metrics_table():
    comparison = ketpk.compare_routes("racemic", "25 mg", ["iv", "oral"], times=TIMES)
    frame = comparison.to_frame(wide=True)
    assert list(frame.label.unique()) == ["iv", "oral"]
    oral = frame[frame.label == "oral"]
    assert_allclose(oral["norketamine [ng/mL]"],
                    comparison.results["oral"].concentration("norketamine").magnitude)
    table = comparison.to_frame(metrics=True)
    row = table[(table.label == "oral") & (table.analyte == "ketamine")]
    assert_allclose(row["Cmax [ng/mL]"], nca.cmax(comparison.results["oral"]).magnitude)
    assert frame.attrs["models"] == {"iv": "racemic.multiroute", "oral": "racemic.multiroute"}


def test_effect_frames_hold_concentrations_and_effects():
    result = simulate_effects("esketamine", DOSE, TIMES, "olofsen2022", subjects=Subject(weight="70 kg"))
    frame = result.to_frame()
    effect = frame[frame.analyte == "olofsen2022"]
    assert set(effect.unit) == {"fraction of Emax"}
    assert_allclose(effect.value, result.effect("olofsen2022").values)
    assert "olofsen2022" in frame.attrs["effect_citations"]
    table = compare_effects({"a": ("esketamine", DOSE)}, TIMES, effects=["olofsen2022"],
                            subjects=Subject(weight="70 kg")).to_frame()
    assert_allclose(table["peak effect"], effect.value.max())


def test_nca_metrics_frame_has_units_in_headers_and_one_row_per_subject(batch):
    metrics = nca.metrics(batch, "ketamine")
    frame = metrics.to_frame()
    assert list(frame.ID) == [1, 2, 3]
    assert_allclose(frame["Cmax [ng/mL]"], nca.cmax(batch).magnitude)
    assert_allclose(frame["AUC [ng·h/mL]"], nca.auc(batch).magnitude)
    assert metrics["Cmax"].units == nca.cmax(batch).units  # still the dict of Quantities


def test_without_pandas_the_error_names_the_extra(monkeypatch, batch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(MissingExtraError, match=r'pip install "ketpk\[pandas\]"'):
        batch.to_frame()
    single = ketpk.simulate("esketamine", Bolus("0 min", "10 mg"), TIMES)
    with pytest.raises(ImportError):  # also an ImportError for code that catches that
        single.to_frame()


def test_tci_frame_holds_predictions_target_and_rate():
    from ketpk import tci

    result = tci.target_infusion("esketamine", {"0 min": "0.3 ug/mL"}, subject=Subject(weight="70 kg"),
                                 until="20 min", interval="1 min")
    frame = result.to_frame(wide=True)
    assert list(frame.columns)[:2] == ["ID", "time"]
    assert_allclose(frame["rate [mg/h]"].to_numpy()[:-1], result.rates("mg/h").magnitude)
    assert np.isnan(frame["rate [mg/h]"].to_numpy()[-1])  # no interval starts at the end time
    assert_allclose(frame["target [ng/mL]"].to_numpy()[:-1], result.target().magnitude)
    assert_allclose(frame[f"{result.analyte} plasma [ng/mL]"], result.predicted("plasma").magnitude)
    assert frame.attrs["time_unit"] == "min" and frame.attrs["site"] == result.site


def test_posterior_and_forecast_frames():
    from ketpk.posterior import individualize

    posterior = individualize("esketamine.otto2021", Infusion("0 h", rate="0.3 mg/kg/h", duration="4 h"),
                              [("2 h", "ketamine", "80 ng/mL")], subject=Subject(weight="80 kg"))
    table = posterior.to_frame()
    assert list(table.parameter) == list(posterior.names)
    cl = table[table.parameter == "CL"].iloc[0]
    assert cl.individual == pytest.approx(posterior.parameters["CL"].magnitude)
    assert cl["lower 90%"] < cl.individual < cl["upper 90%"]
    forecast = posterior.simulate(times=Q_(np.arange(0, 361, 30.0), "min"), n=50)
    frame = forecast.to_frame()
    upper = frame[(frame.statistic == "upper") & (frame.analyte == "ketamine")].value.to_numpy()
    assert_allclose(upper, forecast.band("ketamine")[1].magnitude)


def test_titration_is_reachable_after_import_ketpk():
    import os
    import subprocess
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", "import ketpk; print(ketpk.titration.__name__)"],
                         capture_output=True, text=True, timeout=60, cwd=root,
                         env={**os.environ, "PYTHONPATH": root})
    assert out.stdout.strip() == "ketpk.titration", out.stderr
