"""Published S(+)-ketamine models: derived quantities, bioavailability, and published checks.

Reference numbers come from the papers (abstracts, tables) or from the project's research files
(pk_models.md, pk_gaps.md, research_nlmixr2lib.md); each test names its source.
"""

from __future__ import annotations

import numpy as np
import pytest

from ketpk import Bolus, Infusion, Q_, Regimen, Subject, simulate
from ketpk import models
from ketpk.models.perezruixo2021 import effective_frn
from ketpk.subject import SubjectBatch

MIN_PER_H = 60.0
# dense early grid (sharp IV peaks) then coarse to 10 days, for AUC(0-inf) by trapezoid
AUC_GRID = np.unique(np.concatenate([np.linspace(0, 120, 12001), np.linspace(120, 14400, 14281)]))


def _typical(model_id, **covariates):
    model = models.get(model_id)
    cov = {k: np.array([v]) for k, v in covariates.items()}
    return model, model.individual(cov, {}, 1)


def _half_lives(model_id, states, unit=1.0):
    """Half-lives of the sub-system ``states`` (no feedback from other states), in min / unit."""
    model, params = _typical(model_id)
    system = model.system(params)
    idx = [system.states.index(s) for s in states]
    rates = -np.linalg.eigvals(system.A[0][np.ix_(idx, idx)]).real
    return np.sort(np.log(2) / rates) / unit


def _auc(model_id, regimen, analyte="ketamine", **kw):
    res = simulate(model_id, regimen, Q_(AUC_GRID, "min"), record="plasma", **kw)
    return np.trapezoid(res.concentration(analyte, "nmol/mL").magnitude, AUC_GRID)


def _curve(model_id, regimen, times_min, **kw):
    res = simulate(model_id, regimen, Q_(times_min, "min"), **kw)
    return {a: res.concentration(a).magnitude for a in res.analytes}


def _cmax_tmax_auc(conc, times):
    return conc.max(), times[conc.argmax()], np.trapezoid(conc, times)


# -- Simons 2022 -------------------------------------------------------------------------------
SIMONS = "esketamine.simons2022"
S_K = ("ketamine.central", "ketamine.peripheral1", "ketamine.peripheral2")


def test_simons_disposition_half_lives_and_vss():
    """pk_gaps.md §2.1 [DER]: S-K 1.46, 21.4, 193 min, Vss 224.6 L; S-NK 2.2, 217 min."""
    assert _half_lives(SIMONS, S_K) == pytest.approx([1.46, 21.4, 193], rel=0.01)
    assert _half_lives(SIMONS, ("norketamine.central", "norketamine.peripheral")) == pytest.approx(
        [2.2, 217], rel=0.03)
    _, p = _typical(SIMONS)
    assert (p.VK1 + p.VK2 + p.VK3)[0] == pytest.approx(224.6)


def test_simons_iv_peak_matches_model_library_check():
    """0.5 mg/kg over 40 min at 70 kg → S-K peak 289 ng/mL at 40 min, S-HNK ≈ 30 ng/mL
    (nlmixr2lib vignette typical-value figure; pk_gaps.md §2.1). Same model, so 1 %."""
    t = np.arange(0, 481, 0.5)
    c = _curve(SIMONS, Infusion("0 min", amount="0.5 mg/kg", duration="40 min"), t,
               subjects=Subject(weight="70 kg"))
    assert c["ketamine"].max() == pytest.approx(289, rel=0.01)
    assert t[c["ketamine"].argmax()] == 40
    assert c["hydroxynorketamine"].max() == pytest.approx(30, rel=0.05)


def test_simons_film_50mg_against_observed_table2_means():
    """50 mg film, Simons Table 2 observed means (arterial, n=20; pk_gaps.md §6.2).

    Tolerances: Cmax and AUC0-6h within 15 %: Table 2 gives means of individual Cmax, which
    exceed the Cmax of the typical curve, and the paper pools F1 over 50 mg (29 %) and 100 mg
    (23 %), leaving the linear model low at 50 mg (the model sits 10 % under for S-K).
    Tmax within 5 min: the study sampled at 10 and 20 min, so observed Tmax is coarse.
    """
    t = np.arange(0, 360.5, 0.5)
    c = _curve(SIMONS, Bolus("0 min", "50 mg", "sublingual"), t, subjects=Subject(weight="70 kg"))
    cmax, tmax, auc = _cmax_tmax_auc(c["ketamine"], t)
    assert cmax == pytest.approx(96, rel=0.15)
    assert tmax == pytest.approx(18.8, abs=5)
    assert auc == pytest.approx(8363, rel=0.15)
    cmax, tmax, auc = _cmax_tmax_auc(c["norketamine"], t)
    assert cmax == pytest.approx(276, rel=0.15)
    assert auc == pytest.approx(38497, rel=0.15)
    assert _cmax_tmax_auc(c["hydroxynorketamine"], t)[2] == pytest.approx(24087, rel=0.15)
    assert c["norketamine"].max() > c["ketamine"].max()  # first-pass NK after the film


def test_simons_film_parent_f_is_the_mucosal_fraction_and_buccal_equals_sublingual():
    """Only the mucosal path reaches systemic S-K: AUC(film)/AUC(IV) = F1 = 0.263."""
    iv = _auc(SIMONS, Bolus("0 min", "20 mg"))
    film = _auc(SIMONS, Bolus("0 min", "20 mg", "sublingual"))
    assert film / iv == pytest.approx(0.263, rel=2e-3)
    t = np.linspace(0, 300, 61)
    sub = simulate(SIMONS, Bolus("0 min", "50 mg", "sublingual"), Q_(t, "min"))
    buc = simulate(SIMONS, Bolus("0 min", "50 mg", "buccal"), Q_(t, "min"))
    np.testing.assert_allclose(buc.concentration("hydroxynorketamine").magnitude,
                               sub.concentration("hydroxynorketamine").magnitude)
    assert any("buccal" in a for a in buc.assumptions)
    assert not any("buccal" in a for a in sub.assumptions)


def test_simons_hydroxynorketamine_uses_its_own_molar_mass():
    res = simulate(SIMONS, Bolus("0 min", "20 mg"), Q_([60.0], "min"))
    ng = res.concentration("hydroxynorketamine", "ng/mL").magnitude[0]
    assert ng == pytest.approx(res.concentration("hydroxynorketamine", "nmol/mL").magnitude[0] * 239.70)


# -- Ashraf 2018 -------------------------------------------------------------------------------
ASHRAF = "esketamine.ashraf2018"


def test_ashraf_derived_first_pass_and_clearance():
    """pk_models.md §3 [DER] (70 kg): QH 90.8 L/h, F_G 0.736, F_H 0.177, CL 74.7 L/h,
    oral F ≈ 0.13, NK hepatic CL 26.2 L/h."""
    _, p = _typical(ASHRAF)
    assert p.QH[0] * MIN_PER_H == pytest.approx(90.8, abs=0.05)
    assert p.F_G[0] == pytest.approx(0.736, abs=5e-4)
    assert p.F_H[0] == pytest.approx(0.177, abs=5e-4)
    assert p.CL[0] * MIN_PER_H == pytest.approx(74.7, abs=0.05)
    assert p.F_ORAL[0] == pytest.approx(0.13, abs=0.001)
    assert p.CL_NK[0] * MIN_PER_H == pytest.approx(26.2, abs=0.05)


def test_ashraf_half_lives():
    """pk_models.md §3 [DER]: S-K disposition half-lives 0.024, 1.01, 7.53 h."""
    assert _half_lives(ASHRAF, S_K, MIN_PER_H) == pytest.approx([0.024, 1.01, 7.53], abs=0.005)


def test_ashraf_auc_identities_of_the_qss_algebra():
    """Closed forms of the nlmixr2lib vignette: CL·AUC(IV) = dose; CL·AUC(oral) = F·dose;
    CL_NK·AUC_NK = dose·F_H,NK (IV) and dose·F_H,NK·[(1 − F_G)·F_G,NK + F_G] (oral: gut-wall,
    hepatic first-pass and systemic formation together); NK AUC exceeds parent AUC orally."""
    _, p = _typical(ASHRAF)
    iv = Bolus("0 min", "7 mg")
    oral = Bolus("0 min", "7 mg", "oral")
    ratio = _auc(ASHRAF, oral) / _auc(ASHRAF, iv)
    assert ratio == pytest.approx(p.F_ORAL[0], rel=2e-3)
    # norketamine in mass units (the paper moves S-K mass): µmol NK × 223.70 = mg S-K moved
    dose_umol = 7e3 / 237.73
    nk_iv = _auc(ASHRAF, iv, "norketamine") * 223.70 / 237.73
    nk_oral = _auc(ASHRAF, oral, "norketamine") * 223.70 / 237.73
    assert p.CL_NK[0] * nk_iv == pytest.approx(dose_umol * p.F_H_NK[0], rel=2e-3)
    oral_nk_fraction = p.F_H_NK[0] * ((1 - p.F_G[0]) * p.F_G_NK[0] + p.F_G[0])
    assert p.CL_NK[0] * nk_oral == pytest.approx(dose_umol * oral_nk_fraction, rel=2e-3)
    assert _auc(ASHRAF, oral, "norketamine") > 5 * _auc(ASHRAF, oral)


def test_ashraf_typical_auc_against_table3_model_predictions():
    """Ashraf Table 3 model-predicted AUC0-24 (ng·h/mL; via research_nlmixr2lib.md V3): oral
    0.2 mg/kg (mean 62 kg) S-K 22.4, NK 279; IV 0.1 mg/kg over 2 min (59 kg) S-K 70, NK 161.
    The table summarises a simulated cohort (weight spread, IIV), not the typical subject, so
    15 % for the oral rows and 25 % for the IV rows (the typical IV S-K AUC is 21 % above)."""
    t = np.unique(np.concatenate([np.linspace(0, 30, 3001), np.linspace(30, 1440, 1411)]))
    cases = [(Bolus("0 min", "0.2 mg/kg", "oral"), "62 kg", 22.4, 279, 0.15),
             (Infusion("0 min", amount="0.1 mg/kg", duration="2 min"), "59 kg", 70, 161, 0.25)]
    for regimen, weight, sk, nk, tol in cases:
        c = _curve(ASHRAF, regimen, t, subjects=Subject(weight=weight))
        assert np.trapezoid(c["ketamine"], t) / MIN_PER_H == pytest.approx(sk, rel=tol)
        assert np.trapezoid(c["norketamine"], t) / MIN_PER_H == pytest.approx(nk, rel=tol)


# -- Perez-Ruixo 2021 --------------------------------------------------------------------------
PEREZ = "esketamine.perezruixo2021"


def test_perezruixo_effective_frn_per_device():
    """FRn·(1 + (N−1)·0.62)/N for N = 1..4 devices (pk_models.md §4 [DER])."""
    frn = effective_frn(0.54, 0.62, 28.0, np.array([28.0, 56.0, 84.0, 112.0]))
    np.testing.assert_allclose(frn, 0.54 * (1 + np.arange(4) * 0.62) / np.arange(1, 5))
    assert effective_frn(0.54, 0.62, 28.0, np.array([14.0]))[0] == 0.54


def test_perezruixo_derived_quantities():
    """Abstract: Vss 752 L, noresketamine Vss 185 L. Derived from Table 3: E 0.722,
    CL = Qh·E = 109 L/h (abstract: 114 L/h), F_po = 0.178 (abstract: 18.6 %, Table 3 rounding)."""
    _, p = _typical(PEREZ)
    assert (p.Vc + p.Vp1 + p.Vp2)[0] == pytest.approx(752)
    assert (p.Vcn + p.Vpn)[0] == pytest.approx(185)
    assert p.E[0] == pytest.approx(0.722, abs=5e-4)
    assert p.CL[0] * MIN_PER_H == pytest.approx(109.0, abs=0.1)
    assert p.F_po[0] == pytest.approx(0.178, abs=5e-4)
    assert p.F_po[0] == pytest.approx(0.186, rel=0.05)


@pytest.mark.parametrize("route, dose, expected", [
    ("oral", "84 mg", 0.178), ("intranasal", "28 mg", 0.622),
    ("intranasal", "56 mg", 0.54), ("intranasal", "84 mg", 0.51)])
def test_perezruixo_route_f_from_auc(route, dose, expected):
    """AUC(route)/AUC(IV): F_po 0.178; F_IN 0.54 (56 mg) and 0.51 (84 mg) as in the abstract."""
    ratio = _auc(PEREZ, Bolus("0 min", dose, route)) / _auc(PEREZ, Bolus("0 min", dose))
    assert ratio == pytest.approx(expected, abs=0.005)


class _Batch:
    """A one-subject population carrying covariates Subject has no field for (race)."""

    def __init__(self, **covariates):
        self.covariates = {k: np.array([v], dtype=float) for k, v in covariates.items()}

    def _as_batch(self):
        return SubjectBatch(1, self.covariates, single=True, weights_given=False)


# Perez-Ruixo Table 4 (typical-value predictions; via research_nlmixr2lib.md V4):
# (covariates, dose mg, esketamine Cmax ng/mL, AUC0-24 ng·h/mL, noresketamine Cmax, AUC0-24)
TABLE4 = [
    ({"age": 45}, 28, 43.8, 147.3, 59.1, 274.4),
    ({"age": 45}, 56, 72.5, 254.7, 119.7, 516.3),
    ({"age": 45}, 84, 101.0, 362.2, 180.0, 758.0),
    ({"age": 70}, 56, 73.8, 275.8, 117.2, 522.0),
    ({"age": 45, "asian": 1, "japanese": 1}, 56, 94.5, 335.1, 146.3, 760.8),
]


@pytest.mark.parametrize("covariates, dose, cmax, auc, nk_cmax, nk_auc", TABLE4)
def test_perezruixo_against_published_table4(covariates, dose, cmax, auc, nk_cmax, nk_auc):
    """Esketamine Cmax/AUC0-24 and noresketamine Cmax within 5 % (transcription rounding and
    Table 4's own grid). Noresketamine AUC0-24 is over-predicted 1.3-1.6× by the model as
    published (documented caveat, nlmixr2lib Errata 1): the test pins that known bias."""
    t = np.linspace(0.001, 24, 2401) * MIN_PER_H
    c = _curve(PEREZ, Bolus("0 min", f"{dose} mg", "intranasal"), t, subjects=_Batch(**covariates))
    assert c["ketamine"].max() == pytest.approx(cmax, rel=0.05)
    assert np.trapezoid(c["ketamine"], t) / MIN_PER_H == pytest.approx(auc, rel=0.05)
    assert c["norketamine"].max() == pytest.approx(nk_cmax, rel=0.05)
    assert 1.3 < np.trapezoid(c["norketamine"], t) / MIN_PER_H / nk_auc < 1.6


def test_perezruixo_age_lowers_hepatic_flow_above_60():
    _, young = _typical(PEREZ, age=59.0)
    _, old = _typical(PEREZ, age=70.0)
    assert young.Qh[0] * MIN_PER_H == pytest.approx(151)
    assert old.Qh[0] * MIN_PER_H == pytest.approx(151 - 21.9)


# -- Flint 2017 ---------------------------------------------------------------------------------
FLINT = "esketamine.flint2017"


def test_flint_steady_state_in_a_7kg_child():
    """Css = R/CL = 2.4·7 mg/h / (112·(7/70)^0.75 L/h) = 0.843 mg/L; S-NK (apparent)
    = CL·Css/Clsnk (research_nlmixr2lib.md hand check)."""
    res = simulate(FLINT, Infusion("0 min", rate="2.4 mg/kg/h", duration="300 h"), Q_([250.0], "h"),
                   subjects=Subject(weight="7 kg"))
    css = 2.4 * 7 / (112 * 0.1 ** 0.75)
    assert res.concentration("ketamine", "mg/L").magnitude[0] == pytest.approx(css, rel=1e-6)
    assert res.concentration("norketamine", "mg/L").magnitude[0] == pytest.approx(
        css * 112 / 53.2, rel=1e-6)


def test_flint_time_effect_is_evaluated_at_tafd_and_labelled():
    model = models.get(FLINT)
    regimen = Infusion("0 min", rate="2.4 mg/kg/h", duration="300 h")
    base = simulate(model, regimen, Q_([250.0], "h"), subjects=Subject(weight="7 kg"))
    later = simulate(model.with_parameters(TAFD="48 h"), regimen, Q_([250.0], "h"),
                     subjects=Subject(weight="7 kg"))
    ratio = base.concentration("norketamine").magnitude / later.concentration("norketamine").magnitude
    assert ratio[0] == pytest.approx(1 + 0.0087 * 48)
    assert any(a.startswith("TAFD:") for a in base.assumptions)


# -- Noppers 2011 ------------------------------------------------------------------------------
def test_noppers_half_lives_vss_and_unverified_label():
    """pk_gaps.md §2.3 [DER]: t½ 0.034, 0.27, 2.39 h; Vss 192 L."""
    assert _half_lives("esketamine.noppers2011", S_K, MIN_PER_H) == pytest.approx(
        [0.034, 0.27, 2.39], abs=0.005)
    model, p = _typical("esketamine.noppers2011")
    assert (p.V1 + p.V2 + p.V3)[0] == pytest.approx(192.3)
    assert model.evidence == "unverified"


@pytest.mark.parametrize("model_id", [SIMONS, ASHRAF, PEREZ, FLINT, "esketamine.noppers2011"])
def test_models_are_esketamine_with_full_citation(model_id):
    model = models.get(model_id)
    c = model.citation
    assert model.drug == "esketamine" and c.authors and c.title and c.journal and c.doi
    assert model.sampling in ("arterial", "venous")


@pytest.mark.parametrize("covariates, dose, cmax, auc, nk_cmax, nk_auc",
                         [row for row in TABLE4 if row[0] == {"age": 45} and row[1] in (56, 84)])
def test_spravato_protocol_on_perezruixo_reproduces_table4(covariates, dose, cmax, auc, nk_cmax, nk_auc):
    """The label's session (28-mg devices 5 min apart) counts its devices for FRn: the first
    session of spravato_induction reproduces Table 4 at 56 and 84 mg (within 5 %)."""
    from ketpk import protocols

    regimen = protocols.get("spravato_induction", dose=f"{dose} mg", first_dose=f"{dose} mg")
    assert len([d for d in regimen if d.start_minutes < 60]) == dose // 28
    t = np.linspace(0.001, 24, 2401) * MIN_PER_H
    c = _curve(PEREZ, regimen, t, subjects=_Batch(**covariates))
    assert c["ketamine"].max() == pytest.approx(cmax, rel=0.05)
    assert np.trapezoid(c["ketamine"], t) / MIN_PER_H == pytest.approx(auc, rel=0.05)
    assert c["norketamine"].max() == pytest.approx(nk_cmax, rel=0.05)


def test_nasal_devices_count_per_session_not_per_record():
    """Two devices 5 min apart absorb like one 56-mg dose (FRn_eff 0.437); two devices 60 min
    apart are two sessions (each FRn 0.54), so more esketamine reaches the circulation."""
    t = np.linspace(0, 24, 2881) * MIN_PER_H
    auc = {}
    for name, regimen in (
            ("one record", Regimen([Bolus("0 min", "56 mg", "intranasal")])),
            ("5 min apart", Regimen([Bolus("0 min", "28 mg", "intranasal"), Bolus("5 min", "28 mg", "intranasal")])),
            ("60 min apart", Regimen([Bolus("0 min", "28 mg", "intranasal"), Bolus("60 min", "28 mg", "intranasal")]))):
        auc[name] = np.trapezoid(_curve(PEREZ, regimen, t)["ketamine"], t)
    assert auc["5 min apart"] == pytest.approx(auc["one record"], rel=0.01)
    assert auc["60 min apart"] / auc["one record"] > 1.1
