"""Perez-Ruixo 2021: esketamine nasal spray and noresketamine, intranasal, oral and IV.

Perez-Ruixo C, Rossenu S, Zannikos P, Nandy P, Singh J, Drevets WC, Perez-Ruixo JJ. Population
pharmacokinetics of esketamine nasal spray and its metabolite noresketamine in healthy subjects
and patients with treatment-resistant depression. Clin Pharmacokinet 2021;60(4):501-516.
doi:10.1007/s40262-020-00953-4. Values: Table 3, as transcribed with their rows in nlmixr2lib
``PerezRuixo_2020_esketamine.R`` (pk_models.md §4 [NL]); headline values also in the abstract.

Structure (Figure 1): esketamine 3 compartments plus a hepato-portal compartment (Vh) exchanging
with central at Qh; the liver eliminates by kel (other pathways) and kmet (→ noresketamine, mass
moved into an apparent 2-compartment noresketamine). A nasal dose is two inputs: FRn into a nasal
depot (ka_n → central) and (1 − FRn)·Fgut swallowed, zero-order over Dsw into a depot, ka_sw →
liver. An oral solution: Fgut, zero-order over Dpo, ka_po → liver. So F_po = Fgut·(1 − E) and
F_IN = FRn + (1 − FRn)·Fgut·(1 − E) with E = Vh(kel + kmet)/(Qh + Vh(kel + kmet)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..citations import Citation
from ..model import (
    CovariateEffect, DrugModel, OmegaBlock, Parameter, Params, ResidualError, SystemBuilder,
)
from ..routes import iv_route, table_route

_T3 = "Table 3"
_MIN_PER_HOUR = 60.0


@dataclass(frozen=True, slots=True)
class IndicatorFactor(CovariateEffect):
    """``value × factor`` when the 0/1 ``covariate`` is 1 (e.g. Asian race)."""

    covariate: str
    factor: float

    def apply(self, value, covariates):
        return value * self.factor ** np.asarray(covariates[self.covariate], dtype=float)

    def describe(self) -> str:
        return f"× {self.factor:g} if {self.covariate}"


@dataclass(frozen=True, slots=True)
class AgeDecrement(CovariateEffect):
    """``value − slope × max(0, age − threshold)`` (slope in L/min per year, age in years)."""

    slope: float
    threshold: float = 60.0
    covariate: str = "age"

    def apply(self, value, covariates):
        return value - self.slope * np.maximum(0.0, covariates[self.covariate] - self.threshold)

    def describe(self) -> str:
        return f"− {self.slope * _MIN_PER_HOUR:g} L/h per year of age above {self.threshold:g}"


CITATION = Citation(
    authors="Perez-Ruixo C, Rossenu S, Zannikos P, Nandy P, Singh J, Drevets WC, Perez-Ruixo JJ",
    year=2021,
    title="Population pharmacokinetics of esketamine nasal spray and its metabolite noresketamine "
          "in healthy subjects and patients with treatment-resistant depression",
    journal="Clin Pharmacokinet 60(4):501-516",
    doi="10.1007/s40262-020-00953-4",
)

PARAMETERS = (
    Parameter("FRn", "0.54", "fraction of a 28-mg device absorbed through the nasal cavity",
              f"{_T3}, FRn", (IndicatorFactor("japanese", 1.34),)),
    Parameter("FRn_dose", "0.62", "FRn factor for the 2nd and later 28-mg devices of one dose",
              f"{_T3}, dose on FRn"),
    Parameter("DEVICE", "28 mg", "esketamine per nasal spray device", "Methods (28-mg device)"),
    Parameter("ka_n", "2.93 1/h", "nasal absorption rate constant", f"{_T3}, ka,n (printed L/h)"),
    Parameter("Dsw", "0.53 h", "zero-order duration, swallowed part of a nasal dose", f"{_T3}, Dsw"),
    Parameter("ka_sw", "1.45 1/h", "absorption rate constant, swallowed part", f"{_T3}, ka,sw (printed L/h)"),
    Parameter("Dpo", "0.32 h", "zero-order duration, oral solution", f"{_T3}, Dpo (printed h/L)"),
    Parameter("ka_po", "0.97 1/h", "absorption rate constant, oral solution", f"{_T3}, ka,po (printed L/h)"),
    Parameter("Fgut", "0.64", "fraction of a swallowed dose escaping the gut wall", f"{_T3}, Fgut"),
    Parameter("Vc", "192 L", "esketamine central volume", f"{_T3}, Vc"),
    Parameter("Q1", "84.3 L/h", "inter-compartmental clearance 1", f"{_T3}, Q1"),
    Parameter("Vp1", "143 L", "shallow peripheral volume", f"{_T3}, Vp1"),
    Parameter("Q2", "37.6 L/h", "inter-compartmental clearance 2", f"{_T3}, Q2"),
    Parameter("Vp2", "417 L", "deep peripheral volume", f"{_T3}, Vp2"),
    Parameter("Qh", "151 L/h", "hepatic blood flow", f"{_T3}, Qh; age on Qh −2.19 L/h per year > 60",
              (AgeDecrement(2.19 / _MIN_PER_HOUR),)),
    Parameter("Vh", "101 L", "hepato-portal volume", f"{_T3}, Vh"),
    Parameter("kel", "1.11 1/h", "hepatic elimination to other metabolites", f"{_T3}, kel (printed L/h)",
              (IndicatorFactor("asian", 0.36),)),
    Parameter("kmet", "2.77 1/h", "hepatic metabolism to noresketamine", f"{_T3}, kmet (printed L/h)"),
    Parameter("Vcn", "70.0 L", "noresketamine apparent central volume Vcn/F", f"{_T3}, Vcn/F"),
    Parameter("CLn", "38.0 L/h", "noresketamine apparent clearance CLn/F", f"{_T3}, CLn/F",
              (IndicatorFactor("asian", 0.81),)),
    Parameter("Vpn", "115 L", "noresketamine apparent peripheral volume Vpn/F", f"{_T3}, Vpn/F"),
    Parameter("Q3", "26.1 L/h", "noresketamine apparent inter-compartmental clearance Q3/F", f"{_T3}, Q3/F"),
)


def _derive(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Hepatic extraction E, systemic clearance, oral F and fraction metabolised to noresketamine."""
    cl_int = v["Vh"] * (v["kel"] + v["kmet"])
    e = cl_int / (v["Qh"] + cl_int)
    return {"E": e, "CL": v["Qh"] * e, "F_po": v["Fgut"] * (1 - e),
            "F_met": v["kmet"] / (v["kel"] + v["kmet"])}


def effective_frn(frn, decrement, device, amount):
    """FRn of a whole nasal dose: the first device at FRn, every later one at FRn × decrement.

    For N whole devices this is the paper's FRn·(1 + (N − 1)·0.62)/N; a dose that is not a
    multiple of the device is weighted by mass (continuous in the dose).
    """
    amount = np.asarray(amount, dtype=float)
    first = np.minimum(amount, device)
    later = np.maximum(amount - device, 0.0)
    return frn * np.where(amount > 0, (first + decrement * later) / np.maximum(amount, 1e-300), 1.0)


def _structure(p: Params) -> SystemBuilder:
    s = SystemBuilder(p.n)
    s.compartment("ketamine.central", "s_ketamine", volume=p.Vc, analytes=("ketamine",))
    s.compartment("ketamine.peripheral1", "s_ketamine", volume=p.Vp1)
    s.compartment("ketamine.peripheral2", "s_ketamine", volume=p.Vp2)
    s.compartment("ketamine.liver", "s_ketamine", volume=p.Vh)
    s.compartment("norketamine.central", "s_norketamine", volume=p.Vcn, analytes=("norketamine",))
    s.compartment("norketamine.peripheral", "s_norketamine", volume=p.Vpn)
    s.exchange("ketamine.central", "ketamine.peripheral1", p.Q1)
    s.exchange("ketamine.central", "ketamine.peripheral2", p.Q2)
    s.exchange("ketamine.central", "ketamine.liver", p.Qh)
    s.transfer("ketamine.liver", p.kel)
    s.transfer("ketamine.liver", p.kmet, "norketamine.central", basis="mass")
    s.exchange("norketamine.central", "norketamine.peripheral", p.Q3)
    s.clearance("norketamine.central", p.CLn)
    return s


def _nasal_fraction(p: Params, amount):
    """FRn of the dose (:func:`effective_frn`): the share absorbed through the nasal mucosa."""
    return effective_frn(p.FRn, p.FRn_dose, p.DEVICE, amount)


#: The paper's parameters by the route table's kinds (ketpk.routecodes.ROLES): a nasal dose is
#: FRn through the mucosa and the rest swallowed (Fgut over Dsw, ka_sw), an oral solution Fgut
#: over Dpo, ka_po; both swallowed paths enter the hepato-portal compartment.
_ENTRY = dict(central="ketamine.central", species="s_ketamine", prefix="ketamine")

ROUTES = {
    "iv": iv_route(source="Perez-Ruixo 2021 (28 mg IV, study ESKETINTRD1009)"),
    "intranasal": table_route(
        "intranasal", {"F": _nasal_fraction, "fsw": lambda p, amount: 1 - _nasal_fraction(p, amount),
                       "ka": "ka_n"},
        swallowed={"F": "Fgut", "ka": "ka_sw", "D": "Dsw"}, swallowed_targets="ketamine.liver", **_ENTRY,
        description="nasal spray (28-mg devices): FRn_eff via ka_n into central, the swallowed "
                    "(1 − FRn_eff)·Fgut over Dsw then ka_sw into the hepato-portal compartment",
        sources=("Perez-Ruixo 2021 Table 3 and Section 2.3",),
        assumptions=("a dose that is not a whole number of 28-mg devices gets a mass-weighted "
                     "FRn (first 28 mg at FRn, the rest at 0.62·FRn); the paper's doses were "
                     "14-112 mg in whole devices",
                     "devices given within 15 min of a session's first device are one dose for "
                     "FRn (the label's 5 min between devices, at most 3 per session): the first "
                     "device gets FRn, every later one FRn × 0.62, as the paper's 56/84-mg doses",),
        session=15.0,
    ),
    "oral": table_route(
        "oral", {"F": "Fgut", "ka": "ka_po", "D": "Dpo"}, targets="ketamine.liver", **_ENTRY,
        description="oral solution: Fgut over Dpo then ka_po into the hepato-portal compartment",
        sources=("Perez-Ruixo 2021 Table 3 (84 mg oral, study ESKETINTRD1009)",),
    ),
}

PEREZRUIXO2021 = DrugModel(
    id="esketamine.perezruixo2021",
    name="Perez-Ruixo 2021 esketamine nasal spray + noresketamine, intranasal, oral and IV",
    drug="esketamine",
    citation=CITATION,
    parameters=PARAMETERS,
    structure=_structure,
    routes=ROUTES,
    population="820 subjects (256 healthy, 564 with treatment-resistant depression), 13 studies; "
               "18-86 y (median 45), 39-170 kg (median 74), 58% female, 13.7% Asian",
    sampling="venous",
    covariate_range={"age": (18.0, 86.0), "weight": (39.0, 170.0)},
    reference_covariates={"age": 45.0, "asian": 0.0, "japanese": 0.0},
    derive=_derive,
    variability=(
        OmegaBlock(("FRn",), ((0.501,),), transforms=("logit",),
                   source="Table 3, omega(FRn) 70.8 read as the SD of an additive logit eta"),
        OmegaBlock.diagonal(
            {"ka_n": 0.319, "ka_sw": 1.009, "ka_po": 1.009, "Vc": 0.0730, "Vp1": 0.218,
             "Qh": 0.0524, "Vh": 0.113, "kel": 0.892, "Vcn": 0.0955, "CLn": 0.0625},
            source="Table 3 CV% as omega^2 = ln(1 + CV^2)"),
    ),
    residual_error=(
        ResidualError("ketamine", exponential=0.276,
                      source="Table 3 sigma1 27.6% (Phase I/II), additive on log scale"),
        ResidualError("norketamine", exponential=0.422,
                      source="Table 3 sigma2 42.2% (Phase I/II), additive on log scale"),
    ),
    notes=(
        "No weight covariate (screened out by the authors): doses in mg/kg still need a weight.",
        "Age lowers Qh by 2.19 L/h per year above 60; age defaults to 45 y (no effect).",
        "Race effects (Asian: kel × 0.36, CLn/F × 0.81; Japanese: FRn × 1.34) act through 0/1 "
        "covariates 'asian' and 'japanese' (default 0); ketpk.Subject has no race field, so they "
        "apply only to batches that carry these covariates. The Japanese factor is applied before "
        "the logit eta (the paper applies it after); the two agree at eta = 0.",
        "F checks (typical, derived): F_po = Fgut·(1 − E) = 0.178 from the Table 3 values; the "
        "abstract states 18.6 %, the small gap is rounding in the published table. F_IN(56 mg) = "
        "0.54 and F_IN(84 mg) = 0.51 as in the abstract.",
        "Known bias: the model as published reproduces Table 4 esketamine Cmax/AUC and "
        "noresketamine Cmax within a few per cent but over-predicts noresketamine AUC0-24 by about "
        "1.4-1.6x (nlmixr2lib Errata 1; 1/F_met = 1.40 for non-Asian subjects). Not corrected here.",
        "The IIV of kmet is described in the Methods but its value is blank in Table 3; no kmet "
        "variability is simulated (nlmixr2lib uses a 30 % CV placeholder).",
        "Residual error is additive on the log scale (exponential), as the paper estimated it.",
        "Sampling site: venous (phase I-III clinical studies).",
    ),
)

MODELS = (PEREZRUIXO2021,)
