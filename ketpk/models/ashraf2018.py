"""Ashraf 2018: semi-mechanistic S(+)-ketamine + norketamine, oral and IV, gut-wall and liver first pass.

Ashraf MW, Peltoniemi MA, Olkkola KT, Neuvonen PJ, Saari TI. Semimechanistic population
pharmacokinetic model to predict the drug-drug interaction between S-ketamine and ticlopidine in
healthy human volunteers. CPT Pharmacometrics Syst Pharmacol 2018;7(10):687-697.
doi:10.1002/psp4.12346. Values: Tables 1 and 2 and the FIX entries of the supplementary NONMEM
control stream (S3), as transcribed with their rows in nlmixr2lib
``Ashraf_2018_s_ketamine_ticlopidine.R`` (pk_models.md §3 [NL]). Placebo-phase model only: the
ticlopidine submodel and its CYP2B6 inhibition (which is exactly 1 without ticlopidine) are left out.

The paper solves gut wall, portal vein and liver (1 L each) as quasi-steady states. Solving that
algebra exactly leaves linear flows, which is what this module builds:

* oral: depot → (ka) → a fraction F_G·F_H reaches S-K central; a fraction
  F_H,NK·[(1−F_G)·F_G,NK + F_G·E_H] reaches norketamine central (mass basis); the rest is lost;
* S-K central is cleared by CL = E_H·QH (well-stirred hepatic clearance of the blood recirculating
  through hepatic artery and portal vein); of the S-K mass cleared, F_H,NK reaches norketamine
  central (norketamine formed in the liver meets its own hepatic extraction first);
* norketamine central is cleared by CL_NK = E_H,NK·QH.

Portal/arterial flow split (0.75/0.25·QH) and the three 1-L volumes cancel exactly.
"""

from __future__ import annotations

import numpy as np

from ..citations import Citation
from ..model import (
    Allometric, DrugModel, OmegaBlock, Parameter, ParameterUncertainty, Params, ResidualError, SystemBuilder,
)
from ..routes import iv_route, table_route

_T1, _T2 = "Table 1", "Table 2"

CITATION = Citation(
    authors="Ashraf MW, Peltoniemi MA, Olkkola KT, Neuvonen PJ, Saari TI",
    year=2018,
    title="Semimechanistic population pharmacokinetic model to predict the drug-drug interaction "
          "between S-ketamine and ticlopidine in healthy human volunteers",
    journal="CPT Pharmacometrics Syst Pharmacol 7(10):687-697",
    doi="10.1002/psp4.12346",
)

PARAMETERS = (
    Parameter("KA_SK", "1.76 1/h", "S-K first-order absorption rate constant", f"{_T2}, Ka,SK"),
    Parameter("VC_SK", "14.4 L", "S-K central volume", f"{_T2}, VC,SK"),
    Parameter("QPER1_SK", "287 L/h", "S-K inter-compartmental clearance 1", f"{_T2}, QPER1,SK"),
    Parameter("VPER1_SK", "102 L", "S-K peripheral volume 1", f"{_T2}, VPER1,SK"),
    Parameter("QPER2_SK", "22.4 L/h", "S-K inter-compartmental clearance 2", f"{_T2}, QPER2,SK"),
    Parameter("VPER2_SK", "180 L", "S-K peripheral volume 2", f"{_T2}, VPER2,SK"),
    Parameter("CLINT_H_SK", "301 L/h", "S-K intrinsic hepatic clearance", f"{_T2}, CLINT,H,SK"),
    Parameter("CLINT_GW_SK", "1.19 L/h", "S-K intrinsic gut-wall clearance", f"{_T2}, CLINT,GW,SK"),
    Parameter("CLP", "4.1 L/h", "S-K gut-mucosal permeability clearance (QGUT model), fixed",
              "S3 $THETA 9 (from PAMPA permeability, Supplement S2)"),
    Parameter("VC_NK", "88.4 L", "norketamine apparent central volume (Fmet = 1)", f"{_T2}, VC,NK"),
    Parameter("QPER1_NK", "19.9 L/h", "norketamine apparent inter-compartmental clearance", f"{_T2}, QPER1,NK"),
    Parameter("VPER1_NK", "88.9 L", "norketamine apparent peripheral volume", f"{_T2}, VPER1,NK"),
    Parameter("CLINT_H_NK", "73.5 L/h", "norketamine apparent intrinsic hepatic clearance", f"{_T2}, CLINT,H,NK"),
    Parameter("CLINT_GW_NK", "44.4 L/h", "norketamine apparent intrinsic gut-wall clearance", f"{_T2}, CLINT,GW,NK"),
    Parameter("FU_SK", "0.70", "S-K fraction unbound in plasma", f"{_T1} (Peltoniemi 2016)"),
    Parameter("FU_NK", "0.50", "norketamine fraction unbound in plasma", f"{_T1} (Hijazi 2002)"),
    Parameter("BP_SK", "0.50", "S-K blood:plasma ratio", f"{_T1} (Launiainen 2014)"),
    Parameter("BP_NK", "1", "norketamine blood:plasma ratio", f"{_T1} (Yang 2007)"),
    Parameter("FU_GW_SK", "1", "S-K fraction unbound in the gut wall", f"{_T1} (Yang 2007)"),
    Parameter("FU_GW_NK", "1", "norketamine fraction unbound in the gut wall", f"{_T1} (Yang 2007)"),
    Parameter("QH", "3.75 L/h", "hepatic blood flow, QH = 3.75·WT^0.75 L/h (WT in kg)",
              f"{_T1} (Brown 1997)", (Allometric(0.75, reference=1.0),)),
    Parameter("F_INT", "0.40", "intestinal blood flow / QH", f"{_T1} (Williams 1989)"),
    Parameter("F_MU", "0.80", "mucosal blood flow / intestinal blood flow", f"{_T1} (Yang 2007)"),
    Parameter("F_VI", "0.60", "villous blood flow / mucosal blood flow", f"{_T1} (Yang 2007)"),
)


def _derive(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Well-stirred gut-wall and liver extraction (Supplement S2), solved at steady state."""
    qh = v["QH"]
    qvi = v["F_VI"] * v["F_MU"] * v["F_INT"] * qh
    qgut = qvi * v["CLP"] / (qvi + v["CLP"])
    f_g = qgut / (qgut + v["CLINT_GW_SK"] * v["FU_GW_SK"])
    cl_h = v["CLINT_H_SK"] * v["FU_SK"] / v["BP_SK"]
    e_h = cl_h / (qh + cl_h)
    f_g_nk = qvi / (qvi + v["CLINT_GW_NK"] * v["FU_GW_NK"])
    cl_h_nk = v["CLINT_H_NK"] * v["FU_NK"] / v["BP_NK"]
    e_h_nk = cl_h_nk / (qh + cl_h_nk)
    return {
        "QVI": qvi, "F_G": f_g, "E_H": e_h, "F_H": 1 - e_h, "CL": e_h * qh,
        "F_G_NK": f_g_nk, "F_H_NK": 1 - e_h_nk, "CL_NK": e_h_nk * qh,
        "F_ORAL": f_g * (1 - e_h),
        "F_ORAL_NK": (1 - e_h_nk) * ((1 - f_g) * f_g_nk + f_g * e_h),
    }


def _structure(p: Params) -> SystemBuilder:
    s = SystemBuilder(p.n)
    s.compartment("ketamine.central", "s_ketamine", volume=p.VC_SK, analytes=("ketamine",))
    s.compartment("ketamine.peripheral1", "s_ketamine", volume=p.VPER1_SK)
    s.compartment("ketamine.peripheral2", "s_ketamine", volume=p.VPER2_SK)
    s.compartment("norketamine.central", "s_norketamine", volume=p.VC_NK, analytes=("norketamine",))
    s.compartment("norketamine.peripheral", "s_norketamine", volume=p.VPER1_NK)
    s.exchange("ketamine.central", "ketamine.peripheral1", p.QPER1_SK)
    s.exchange("ketamine.central", "ketamine.peripheral2", p.QPER2_SK)
    s.clearance("ketamine.central", p.CL, {"norketamine.central": p.F_H_NK}, basis="mass")
    s.exchange("norketamine.central", "norketamine.peripheral", p.QPER1_NK)
    s.clearance("norketamine.central", p.CL_NK)
    return s


#: The whole dose enters the depot; absorption at KA_SK yields F_ORAL as S-K and F_ORAL_NK as
#: norketamine (mass), the rest is lost there: the route table's first-order kinds F, fpre, ka.
ORAL = table_route(
    "oral", {"F": "F_ORAL", "fpre": "F_ORAL_NK", "ka": "KA_SK"}, losses="absorption",
    central="ketamine.central", metabolite="norketamine.central", species="s_ketamine", prefix="ketamine",
    basis="mass",
    description="oral syrup: whole dose into a depot, ka; F_G·F_H reaches S-K central, gut-wall and "
                "hepatic first-pass norketamine reaches norketamine central (QSS algebra, exact)",
    sources=("Ashraf 2018 Tables 1-2 and Supplement S2/S3",),
)

ASHRAF2018 = DrugModel(
    id="esketamine.ashraf2018",
    name="Ashraf 2018 S(+)-ketamine + norketamine, oral and IV, gut-wall and hepatic first pass",
    drug="esketamine",
    citation=CITATION,
    parameters=PARAMETERS,
    structure=_structure,
    routes={"iv": iv_route(source="Ashraf 2018 Study IV (0.1 mg/kg over 2 min)"), "oral": ORAL},
    population="41 healthy non-smoking adults (21 M, 20 F), 19-35 y, 50-88 kg; placebo phases of "
               "5 Turku crossover studies; oral syrup 0.2-0.3 mg/kg, IV 0.1 mg/kg",
    sampling="venous",
    covariate_range={"weight": (50.0, 88.0)},
    derive=_derive,
    variability=(
        OmegaBlock.diagonal({"CLINT_H_SK": 0.25, "CLINT_GW_SK": 2.1, "KA_SK": 0.42, "VPER1_SK": 0.045,
                             "CLINT_H_NK": 0.10}, source="Table 2, IIV omega^2 (exponential)"),
    ),
    uncertainty=ParameterUncertainty(
        {"KA_SK": 0.161, "VC_SK": 0.431, "QPER1_SK": 0.113, "VPER1_SK": 0.080, "QPER2_SK": 0.060,
         "VPER2_SK": 0.038, "CLINT_H_SK": 0.142, "CLINT_GW_SK": 0.395, "VC_NK": 0.048,
         "QPER1_NK": 0.123, "VPER1_NK": 0.056, "CLINT_H_NK": 0.078, "CLINT_GW_NK": 0.358},
        source="Table 2, RSE of each estimated theta (as transcribed in nlmixr2lib "
               "Ashraf_2018_s_ketamine_ticlopidine.R); the fixed values carry none"),
    residual_error=(
        ResidualError("ketamine", proportional=0.086 ** 0.5,
                      source="Table 2, RV SK,PLAC sigma^2 0.086 (SD 0.293)"),
        ResidualError("norketamine", proportional=0.062 ** 0.5, source="Table 2, RV NK,PLAC sigma^2 0.062"),
    ),
    notes=(
        "Only QH (hence every blood flow) scales with weight; the other parameters are not "
        "weight-scaled, as in the paper.",
        "Norketamine parameters are apparent (Fmet = 1: all extracted S-K becomes norketamine); "
        "S-K mass moves into norketamine mass without a molar-mass correction, as in the paper.",
        "The S-K unbound fraction in blood fu/BP = 0.70/0.50 = 1.4 is used as coded by the authors.",
        "Placebo-phase model: the ticlopidine submodel and CYP2B6 inhibition are not implemented.",
        "Sampling site: venous (antecubital) as in the pooled Turku studies; not restated in the "
        "research notes, so treat as the usual design rather than a checked fact.",
    ),
)

MODELS = (ASHRAF2018,)
