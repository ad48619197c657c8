"""Hornik 2018: racemic ketamine, 2 compartments, children, IV and IM (first-order absorption).

Hornik CP, Gonzalez D, van den Anker J, et al.; Pediatric Trials Network Steering Committee.
Population pharmacokinetics of intramuscular and intravenous ketamine in children.
J Clin Pharmacol 2018;58(8):1092-1104. doi:10.1002/jcph.1116 (PMID 29677389).

Published in the retrieved abstract: the structure, the allometric exponents (1 on volumes,
0.75 on clearances) and IM bioavailability 41%. The disposition values are opentiva's
transcription (class ``Hornik``) and are **unverified** (their CL is low next to other ketamine
models, pk_models.md §8). The IM ka was not retrieved: ``ka_IM`` is an assumption derived from
an observed IM Tmax (pk_gaps.md §5.4 method), see its parameter.
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, Parameter
from ..residual import assumed
from ..routes import iv_route, table_route
from ._mammillary import CENTRAL, clearance_structure

_OT = "opentiva class Hornik (pk_models.md §8), unverified; exponent from the abstract"
_WT, _WT75 = (Allometric(1.0),), (Allometric(0.75),)

KA_IM_REASON = (
    "not published in the abstract; set so that the Hornik disposition at 70 kg peaks 15 min "
    "after an IM dose, the median Tmax observed after 1 mg/kg IM in adults (Hirlinger & Dick, "
    "Anaesthesist 1984;33:272, PMID 6476334; 15 min may be a sampling time). Children absorb IM "
    "ketamine faster (Grant 1983), so paediatric peaks may come earlier (12.6 min at 14 kg here)"
)

PARAMETERS = (
    Parameter("V1", "32.8 L", "central volume, 70 kg", _OT, _WT),
    Parameter("V2", "152 L", "peripheral volume, 70 kg", _OT, _WT),
    Parameter("CL", "38.9 L/h", "clearance, 70 kg", _OT, _WT75),
    Parameter("Q", "54.9 L/h", "inter-compartmental clearance, 70 kg", _OT, _WT75),
    Parameter("F_IM", "0.41", "IM bioavailability", "abstract (model estimate 41%)"),
    Parameter("ka_IM", "0.0936 1/min", "IM first-order absorption rate constant",
              "derived from an observed Tmax (pk_gaps.md §5.4)", assumption=KA_IM_REASON),
)

HORNIK2018 = DrugModel(
    id="racemic.hornik2018",
    name="Hornik 2018 racemic ketamine, 2-compartment, children, IV + IM",
    drug="racemic",
    citation=Citation(
        authors="Hornik CP, Gonzalez D, van den Anker J, et al.; Pediatric Trials Network "
                "Steering Committee",
        year=2018,
        title="Population pharmacokinetics of intramuscular and intravenous ketamine in children",
        journal="J Clin Pharmacol 58(8):1092-1104", doi="10.1002/jcph.1116", pmid="29677389",
    ),
    parameters=PARAMETERS,
    structure=clearance_structure("V1", "CL", [("V2", "Q")]),
    routes={
        "iv": iv_route(source="Hornik 2018 (63 children IV)"),
        "im": table_route(
            "im", {"F": "F_IM", "ka": "ka_IM"}, central=CENTRAL,
            description="IM injection: first-order absorption, F 0.41 (Hornik 2018)",
            sources=("Hornik 2018 abstract: F_IM 41%, first-order absorption",),
        ),
    },
    population="113 children (50 IM, 63 IV), median 3.3 y (0.02-17.6), median 14 kg (2.4-176.1); "
               "275 plasma samples",
    sampling="venous",
    covariate_range={"weight": (2.4, 176.1), "age": (0.02, 17.6)},
    evidence="unverified",
    residual_error=(assumed("ketamine", "no residual error was retrieved for Hornik 2018 (values via opentiva)"),),
    notes=(
        "Disposition values unverified (opentiva); F_IM and the exponents are from the abstract.",
        "Sampling site not retrieved (venous assumed); no IIV or residual error was retrieved.",
        "Adult IM bioavailability is reported as 0.93 (Clements 1982, via secondary sources); "
        "Hornik's 0.41 is a paediatric model estimate.",
    ),
)

MODELS = (HORNIK2018,)
