"""Height, ideal and lean body weight, per-kg dosing by a chosen weight, hepatic impairment."""

import numpy as np
import pytest

import ketpk
from ketpk import bodysize, scenarios
from ketpk.errors import ParameterError
from ketpk.scenario_check import predicted_ratio


def test_devine_ideal_weight_at_five_foot_ten():
    # Devine 1974: 50 kg + 2.3 kg per inch over 5 ft (men), 45.5 kg + 2.3 kg/inch (women)
    assert bodysize.ideal_body_weight(177.8, 0) == pytest.approx(50 + 2.3 * 10, abs=0.01)
    assert bodysize.ideal_body_weight(177.8, 1) == pytest.approx(45.5 + 2.3 * 10, abs=0.01)


def test_janmahasatian_lean_weight_by_hand():
    bmi = 140 / 1.7 ** 2
    assert bodysize.lean_body_weight(140, 170, 1) == pytest.approx(9270 * 140 / (8780 + 244 * bmi))
    assert bodysize.lean_body_weight(70, 175, 0) == pytest.approx(9270 * 70 / (6680 + 216 * 70 / 1.75 ** 2))
    # lean weight rises less than total weight: an obese patient's LBW is far below TBW
    assert bodysize.lean_body_weight(140, 170, 1) < 0.5 * 140


@pytest.mark.filterwarnings("ignore::ketpk.CovariateRangeWarning")  # 140 kg is outside 50-95 kg
def test_subject_height_and_per_kg_dose_by_lean_weight():
    obese = ketpk.Subject(weight="140 kg", height="5.58 ft", sex="female", dose_weight="lean")
    assert obese.covariates["height"] == pytest.approx(170.08, abs=0.01)
    lean = obese.covariates["dosing_weight"]
    times = ketpk.Q_([0, 10], "min")
    dose = ketpk.Infusion("0 min", amount="0.5 mg/kg", duration="40 min")
    by_lean = ketpk.simulate("esketamine", dose, times, subjects=obese)
    by_total = ketpk.simulate("esketamine", dose, times, subjects=ketpk.Subject(weight="140 kg"))
    ratio = (by_lean.concentrations_umol_per_l["ketamine"].ravel()[-1]
             / by_total.concentrations_umol_per_l["ketamine"].ravel()[-1])
    assert ratio == pytest.approx(lean / 140, rel=1e-9)  # linear model, same disposition (total weight)


def test_mixed_batch_fills_total_weight_for_subjects_dosed_by_it():
    batch = ketpk.subject.as_batch([ketpk.Subject(weight="100 kg", height="180 cm", sex="male", dose_weight="ideal"),
                                    ketpk.Subject(weight="60 kg", height="160 cm", sex="female")])
    assert np.allclose(batch.weights, [50 + 0.9055 * 27.6, 60])


def test_bad_body_size_inputs_name_the_fix():
    with pytest.raises(ParameterError, match="needs height and sex"):
        ketpk.Subject(weight="80 kg", dose_weight="lean")
    with pytest.raises(ParameterError, match="must be one of total, ideal, lean"):
        ketpk.Subject(weight="80 kg", height="180 cm", sex="male", dose_weight="adjusted")
    with pytest.raises(ketpk.UnitError, match="height"):
        ketpk.Subject(height="70 kg")
    with pytest.raises(ParameterError, match="`height` must be finite and positive"):
        ketpk.Subject(height="-1 cm")


def test_hepatic_impairment_is_a_labelled_extrapolation():
    iv, oral = scenarios.interaction("rifampicin").calibration  # IV 0.1 and oral 0.3 mg/kg designs
    for cls, ratio in (("A", 2.0), ("B", 3.5)):
        scenario = scenarios.HepaticImpairment(cls)
        assert predicted_ratio("esketamine.ashraf2018", scenario, oral) == pytest.approx(ratio, rel=2e-3)
        assert 1 < predicted_ratio("esketamine.ashraf2018", scenario, iv) < ratio
        assert "EXTRAPOLATION" in ketpk.models.get("esketamine").with_scenario(scenario).assumptions[-1]
    with pytest.raises(ParameterError, match="class C has no value"):
        scenarios.HepaticImpairment("C")
