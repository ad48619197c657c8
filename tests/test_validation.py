"""The validation registry, its bands, validate() against closed forms, the docs and the CLI."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from ketpk import Subject, models
from ketpk.cli import main
from ketpk.routes import route_bioavailability
from ketpk.validation import STUDIES, Statistic, report, study, validate

ROOT = Path(__file__).resolve().parents[1]

# Total dose (mg) of each arm as published, at the study's (stated or assumed) weight.
PUBLISHED_TOTAL_MG = {
    "pharmacotherapy2022_iv10": 10, "pharmacotherapy2022_in10": 10, "pharmacotherapy2022_in30": 30,
    "pharmacotherapy2022_in50": 50, "chong2006_oral": 25, "chong2006_sublingual": 25,
    "rolan2014_sl25": 25, "yanagihara2003_oral": 50, "yanagihara2003_sublingual": 50,
    "yanagihara2003_rectal": 50, "yanagihara2003_intranasal": 25, "hasan2021_iv5": 5,
    "wang2019_rac": 60, "wang2019_esk": 30, "persson2002_s": 7 * 237.73 / 274.19,
    "hirlinger1984_im05": 35, "hirlinger1984_im10": 70, "grant1981_oral05": 35, "zarate2006_iv": 35,
    "kamp2020_racemic": (0.28 + 0.57 + 1.14) * 70, "kamp2020_esketamine": (0.14 + 0.28 + 0.57) * 70,
    "otto2021_chdr1311": 10, "fanta2015_oral": 17.5, "huge2010_in2": 14, "huge2010_in4": 28,
    "simons2022_otf50": 50, "simons2022_otf100": 100, "spravato_56": 56,
    "weber2004_intranasal": 36, "weber2004_iv": 36, "malinovsky1996_intranasal3": 60,
    "malinovsky1996_intranasal9": 180, "malinovsky1996_rectal9": 180,
}


@pytest.mark.parametrize("s", STUDIES, ids=lambda s: s.id)
def test_registry_regimen_reproduces_the_published_dose(s):
    total = s.regimen.total_amount(Subject(weight=f"{s.weight_kg} kg")).to("mg").magnitude
    assert total == pytest.approx(PUBLISHED_TOTAL_MG[s.id], rel=2e-3)
    assert {d.route for d in s.regimen} == {s.route}
    assert s.citation.doi or s.citation.pmid


def test_every_study_is_in_the_dose_table():
    assert sorted(PUBLISHED_TOTAL_MG) == sorted(s.id for s in STUDIES)


def test_spravato_arm_is_two_devices_five_minutes_apart():
    doses = list(study("spravato_56").regimen)
    assert [d.start_minutes for d in doses] == [0.0, 5.0]
    assert [d.amount.to("mg").magnitude for d in doses] == [28, 28]


def test_kamp_regimen_is_three_hourly_steps():
    doses = list(study("kamp2020_racemic").regimen)
    assert [d.start.to("h").magnitude for d in doses] == [0, 1, 2]


@pytest.mark.parametrize("stat, metric, band", [
    (Statistic("mean_sd", 10, (2,)), "cmax", (6, 14)),
    (Statistic("mean_sd", 10, (10,)), "cmax", (10 / 3, 30)),          # mean - 2 SD <= 0: mean/(1 + 2 CV)
    (Statistic("geomean_gsd", 10, (1.5,)), "cmax", (10 / 2.25, 22.5)),
    (Statistic("median_range", 1, (0.5, 3)), "tmax", (0.5, 3)),
    (Statistic("point", 10), "conc", (5, 20)),
    (Statistic("point", 0.3), "F", (0.2, 0.45)),
])
def test_bands_from_the_published_spread(stat, metric, band):
    low, high, _ = stat.band(metric)
    assert (low, high) == pytest.approx(band)


def test_bad_statistic_is_refused():
    from ketpk.errors import ParameterError

    with pytest.raises(ParameterError):
        Statistic("mean_sd", 10, ())


def test_clearance_metric_equals_the_model_clearance():
    """Dose/AUC of the typical subject = CL (closed form): esketamine CL at 70 kg in mL/min/kg."""
    v = validate("esketamine")
    row = next(r for r in v.rows if r.study.id == "persson2002_s")
    cl = models.get("esketamine").individual({"weight": np.array([70.0])}, {}, 1).CL[0] * 1000 / 70
    assert row.predicted == pytest.approx(cl, rel=2e-3)


def test_bioavailability_metric_equals_route_bioavailability():
    v = validate("racemic")
    row = next(r for r in v.rows if r.study.id == "yanagihara2003_oral")
    assert row.predicted == pytest.approx(route_bioavailability(models.get("racemic"), "oral"), rel=5e-3)


def test_ratio_band_and_site_widening():
    v = validate("esketamine")
    for r in v.rows:
        assert r.ratio == pytest.approx(r.predicted / r.observed)
        assert r.passed == (r.low <= r.predicted <= r.high)
    # The default simulates the arterial study arterially: the published band, not widened.
    kamp = next(r for r in v.rows if r.study.id == "kamp2020_esketamine")
    low, high, _ = kamp.observation.stat.band("conc")
    assert (kamp.low, kamp.high) == pytest.approx((low, high)) and "×/÷ 1.5" not in kamp.band
    arterial = validate(models.get("esketamine").at_site("arterial"), studies=[study("kamp2020_esketamine")])
    assert [r.predicted for r in v.rows if r.study.id == "kamp2020_esketamine"] == pytest.approx(
        [r.predicted for r in arterial.rows])
    # A venous-only published model keeps the widened band, stated.
    otto = next(r for r in validate("esketamine.otto2021").rows if r.study.id == "kamp2020_esketamine")
    assert (otto.low, otto.high) == pytest.approx((low / 1.5, high * 1.5))
    assert "arterial study, venous model" in otto.band


def test_children_and_other_drug_forms_are_skipped_with_a_reason():
    skipped = dict(validate("racemic").skipped)
    assert "outside the model's" in skipped["malinovsky1996_rectal9"]
    assert skipped["otto2021_chdr1311"] == "drug esketamine, model racemic"
    assert math.isnan(validate("racemic", studies=()).median_abs_log_ratio())


def test_validation_docs_are_not_stale():
    """docs/validation.md is what scripts/validation_report.py writes from the current code."""
    expected = report.markdown(report.all_results())
    assert (ROOT / "docs" / "validation.md").read_text(encoding="utf-8") == expected, (
        "docs/validation.md is stale: run PYTHONPATH=$PWD python3 scripts/validation_report.py")
    assert (ROOT / "docs" / "figures" / "validation.png").exists()


def test_cli_validate(capsys, tmp_path):
    out = tmp_path / "v.csv"
    assert main(["validate", "--model", "esketamine", "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "esketamine.multiroute:" in text and "inside their band" in text
    assert out.read_text().count("\n") > 10


def test_defaults_carry_the_documented_calibration():
    """Every fitted value in docs/calibration.md (written by scripts/calibrate.py) is the value the
    default carries, rounded (≤ 3 %); shared values are the same in both defaults."""
    text = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:-1] for line in text.splitlines()
            if line.startswith("| ") and line.split("|")[1].strip() in ("shared", "racemic", "esketamine")]
    assert {r[1].strip() for r in rows} >= {"V1", "k_av", "F_oral", "ka_intranasal"}
    for group, name, unit, _start, fitted, *_ in rows:
        group, name, unit = group.strip(), name.strip(), unit.strip()
        for form in (("racemic", "esketamine") if group == "shared" else (group,)):
            value = models.get(form).individual({"weight": np.array([70.0])}, {}, 1)[name][0]
            value *= 60 if unit == "1/h" else 1
            assert value == pytest.approx(float(fitted), rel=0.03), (form, name)
