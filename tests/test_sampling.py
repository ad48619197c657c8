"""Sampling site at simulate time: the defaults' arterio-venous link (a first-order delay)."""

from __future__ import annotations

import numpy as np
import pytest

import ketpk
from ketpk import Q_, Bolus, Infusion, ParameterError
from ketpk.cli import main

T = np.arange(0.0, 48 * 60.0 + 0.5, 0.5)  # min


def _curves(model, regimen, site, analyte="ketamine"):
    res = ketpk.simulate(model, regimen, Q_(T, "min"), sampling=site)
    return res, res.concentration(analyte, "ng/mL").magnitude


@pytest.mark.parametrize("model", ["racemic", "esketamine"])
def test_arterial_peaks_earlier_and_higher_after_an_iv_bolus_with_the_same_auc(model):
    _, art = _curves(model, Bolus("0 min", "20 mg"), "arterial")
    _, ven = _curves(model, Bolus("0 min", "20 mg"), "venous")
    assert art.max() > 1.5 * ven.max() and T[art.argmax()] < T[ven.argmax()]
    assert np.all(art[T <= 2] > ven[T <= 2])
    # A pure delay moves no mass: AUC(0-inf) is the same at both sites (48 h is ~inf here).
    assert np.trapezoid(ven, T) == pytest.approx(np.trapezoid(art, T), rel=2e-3)
    # After the peak, venous plasma lies above arterial (it lags the falling curve).
    assert ven[T == 120][0] > art[T == 120][0]


def test_venous_curve_is_the_first_order_delay_of_the_arterial_one():
    """Closed form: Cv(t) = ∫ k·exp(-k(t-s))·Ca(s) ds (dCv/dt = k(Ca - Cv), Cv(0) = 0)."""
    model = ketpk.models.get("racemic")
    k = model.individual({"weight": np.array([70.0])}, {}, 1)[model.venous_link][0]
    regimen = Infusion("0 min", amount="35 mg", duration="40 min")
    t = np.arange(0.0, 600.0, 0.05)  # min: fine against the link's time constant 1/k
    art, ven = (ketpk.simulate(model, regimen, Q_(t, "min"), sampling=site)
                .concentration(analyte, "ng/mL").magnitude
                for site in ("arterial", "venous") for analyte in ("ketamine",))
    dt = t[1] - t[0]
    conv = np.convolve(art, k * np.exp(-k * t) * dt)[:t.size] - 0.5 * dt * k * art  # trapezoid
    assert ven[t >= 1] == pytest.approx(conv[t >= 1], rel=2e-3, abs=1e-3)


def test_site_is_recorded_and_single_site_models_refuse_the_other():
    res, _ = _curves("esketamine", Bolus("0 min", "10 mg"), "arterial")
    assert res.model.sampling == "arterial"
    assert any(a.startswith("sampling: arterial plasma") for a in res.assumptions)
    res, _ = _curves("esketamine", Bolus("0 min", "10 mg"), None)
    assert any(a.startswith("sampling: venous plasma = a first-order delay") for a in res.assumptions)
    assert ketpk.models.get("esketamine.otto2021").sites == ("venous",)
    _curves("esketamine.otto2021", Bolus("0 min", "10 mg"), "venous")  # its own site is fine
    with pytest.raises(ParameterError, match="venous plasma only.*sampling='venous'.*'racemic'"):
        _curves("esketamine.otto2021", Bolus("0 min", "10 mg"), "arterial")
    with pytest.raises(ParameterError, match="'arterial' or 'venous'"):
        _curves("racemic", Bolus("0 min", "10 mg"), "capillary")


def test_effect_sites_stay_fed_by_arterial_plasma():
    model = ketpk.effects.with_effect_site(ketpk.models.get("racemic"), site="pain", t_half="8 min")
    ven = ketpk.simulate(model, Bolus("0 min", "20 mg"), Q_(T[:400], "min"))
    art = ketpk.simulate(model, Bolus("0 min", "20 mg"), Q_(T[:400], "min"), sampling="arterial")
    assert ven.concentration("ketamine@pain", "ng/mL").magnitude == pytest.approx(
        art.concentration("ketamine@pain", "ng/mL").magnitude)
    assert not np.allclose(ven.concentration("ketamine", "ng/mL").magnitude,
                           art.concentration("ketamine", "ng/mL").magnitude)


def test_cli_simulate_sampling(capsys):
    assert main(["simulate", "--drug", "racemic", "--dose", "20 mg", "--end", "1 h", "--sampling",
                 "arterial"]) == 0
    arterial = capsys.readouterr().out
    assert main(["simulate", "--drug", "racemic", "--dose", "20 mg", "--end", "1 h"]) == 0
    assert capsys.readouterr().out != arterial
    assert main(["simulate", "--model", "esketamine.otto2021", "--dose", "20 mg", "--end", "1 h",
                 "--sampling", "arterial"]) != 0
    assert "venous plasma only" in capsys.readouterr().err
