"""Noppers 2011: S(+)-ketamine disposition (placebo arm), 3 compartments, IV, parent only.

Noppers I, Olofsen E, Niesters M, Aarts L, Mooren R, Dahan A, Kharasch E, Sarton E. Effect of
rifampicin on S-ketamine and S-norketamine plasma concentrations in healthy volunteers after
intravenous S-ketamine administration. Anesthesiology 2011;114(6):1435-1445 (PMC3560924).

**Unverified:** the values are the placebo-arm S-K disposition of Table 2 as given by third-party
code that says it checked them against PMC3560924 (pk_gaps.md §2.3 [SEC]); nobody on this project
has read that table. The S-norketamine part (3 metabolism transit compartments, 2 S-NK
compartments) was not retrieved, so this model has no metabolite.
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, Parameter, Params, SystemBuilder
from ..residual import assumed
from ..routes import iv_route

_V = (Allometric(1.0),)
_CL = (Allometric(0.75),)
_SEC = "Table 2, placebo arm, via third-party code (pk_gaps.md §2.3 [SEC]); unverified"

PARAMETERS = (
    Parameter("V1", "17.0 L", "S-K central volume (70 kg)", _SEC, _V),
    Parameter("V2", "28.3 L", "S-K peripheral volume 1 (70 kg)", _SEC, _V),
    Parameter("V3", "147 L", "S-K peripheral volume 2 (70 kg)", _SEC, _V),
    Parameter("CL", "93.5 L/h", "S-K elimination clearance (70 kg)", _SEC, _CL),
    Parameter("Q2", "127 L/h", "S-K inter-compartmental clearance 1 (70 kg)", _SEC, _CL),
    Parameter("Q3", "91.9 L/h", "S-K inter-compartmental clearance 2 (70 kg)", _SEC, _CL),
)


def _structure(p: Params) -> SystemBuilder:
    s = SystemBuilder(p.n)
    s.compartment("ketamine.central", "s_ketamine", volume=p.V1, analytes=("ketamine",))
    s.compartment("ketamine.peripheral1", "s_ketamine", volume=p.V2)
    s.compartment("ketamine.peripheral2", "s_ketamine", volume=p.V3)
    s.exchange("ketamine.central", "ketamine.peripheral1", p.Q2)
    s.exchange("ketamine.central", "ketamine.peripheral2", p.Q3)
    s.clearance("ketamine.central", p.CL)
    return s


NOPPERS2011 = DrugModel(
    id="esketamine.noppers2011",
    name="Noppers 2011 S(+)-ketamine, 3-compartment, IV (parent only, unverified values)",
    drug="esketamine",
    citation=Citation(
        authors="Noppers I, Olofsen E, Niesters M, Aarts L, Mooren R, Dahan A, Kharasch E, Sarton E",
        year=2011,
        title="Effect of rifampicin on S-ketamine and S-norketamine plasma concentrations in healthy "
              "volunteers after intravenous S-ketamine administration",
        journal="Anesthesiology 114(6):1435-1445 (PMC3560924)",
        doi="10.1097/ALN.0b013e318218a881",
    ),
    parameters=PARAMETERS,
    structure=_structure,
    routes={"iv": iv_route(source="Noppers 2011 (20 or 40 mg/70 kg/h for 2 h)")},
    population="20 healthy men, 20-29 y; S-K 20 or 40 mg/70 kg/h IV for 2 h after placebo "
               "(or rifampicin, not modelled here); weight not reported",
    sampling="arterial",
    covariate_range={"age": (20.0, 29.0)},
    evidence="unverified",
    residual_error=(assumed("ketamine", "no residual error was retrieved for Noppers 2011"),),
    notes=(
        "Parameter values are secondary ([SEC]) and unverified against the primary table.",
        "Parent only: the published S-norketamine submodel was not retrieved.",
        "No inter-individual variability or residual error: not retrieved.",
        "Allometric scaling (× WT/70 for volumes, × (WT/70)^0.75 for clearances) as the secondary "
        "source states.",
        "The DOI was not checked against the publisher page; the title, journal and arterial "
        "sampling were checked against the abstract.",
    ),
)

MODELS = (NOPPERS2011,)
