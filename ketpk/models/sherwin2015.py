"""Sherwin 2015: racemic ketamine, 2 compartments, children, IV bolus for procedural sedation.

Sherwin CMT, et al. Development of an optimal sampling schedule for children receiving ketamine
for short-term procedural sedation and analgesia. Paediatr Anaesth 2015;25(2):211-216.
doi:10.1111/pan.12521 (PMID 25212712). Values from the retrieved abstract (pk_models.md §10),
standardised to 70 kg; the abstract does not print the allometric exponents, so the usual 0.75
(clearances) and 1 (volumes) are assumed.
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, Parameter
from ..residual import assumed
from ..routes import iv_route
from ._mammillary import clearance_structure

_ABS = "abstract"
_WT, _WT75 = (Allometric(1.0),), (Allometric(0.75),)
_EXPONENT = "weight exponent {} assumed; the abstract gives only the value per 70 kg"

PARAMETERS = (
    Parameter("V1", "20.5 L", "central volume, 70 kg", _ABS, _WT, _EXPONENT.format(1)),
    Parameter("V2", "220 L", "peripheral volume, 70 kg", _ABS, _WT, _EXPONENT.format(1)),
    Parameter("Q", "87.3 L/h", "inter-compartmental clearance, 70 kg", _ABS, _WT75, _EXPONENT.format(0.75)),
    Parameter("CL", "87.9 L/h", "total body clearance, 70 kg", _ABS, _WT75, _EXPONENT.format(0.75)),
)

SHERWIN2015 = DrugModel(
    id="racemic.sherwin2015",
    name="Sherwin 2015 racemic ketamine, 2-compartment, children, IV (no metabolite)",
    drug="racemic",
    citation=Citation(
        authors="Sherwin CMT, et al.", year=2015,
        title="Development of an optimal sampling schedule for children receiving ketamine for "
              "short-term procedural sedation and analgesia",
        journal="Paediatr Anaesth 25(2):211-216", doi="10.1111/pan.12521", pmid="25212712",
    ),
    parameters=PARAMETERS,
    structure=clearance_structure("V1", "CL", [("V2", "Q")]),
    routes={"iv": iv_route(source="Sherwin 2015: 1-1.5 mg/kg IV bolus")},
    population="57 children, 1-1.5 mg/kg racemic ketamine IV bolus (ages not retrieved)",
    sampling="venous",
    residual_error=(assumed("ketamine", "the retrieved Sherwin 2015 abstract gives no residual error"),),
    notes=(
        "Allometric exponents 0.75 (CL, Q) and 1 (V1, V2) assumed: the abstract gives only the "
        "per-70-kg standardisation.",
        "Parameter variability 34-98% is published only as a range, not per parameter: no IIV.",
        "Sampling site and validated age/weight range not retrieved (venous assumed).",
    ),
)

MODELS = (SHERWIN2015,)
