"""Elkomy 2015: racemic ketamine, 2 compartments, children with heart disease, IV.

Elkomy MH, Drover DR, Hammer GB, Galinkin JL, Ramamoorthy C. Population pharmacokinetics of
ketamine in children with heart disease. Int J Pharm 2015;478(1):223-231.
doi:10.1016/j.ijpharm.2014.11.026 (PMID 25448584). Typical values and allometric exponents
are printed in the retrieved abstract (pk_models.md §9; authors confirmed on the Stanford and
PubMed records).
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, Parameter
from ..residual import assumed
from ..routes import iv_route
from ._mammillary import clearance_structure

_ABS = "abstract"
_WT, _WT75 = (Allometric(1.0),), (Allometric(0.75),)

PARAMETERS = (
    Parameter("CL", "60.6 L/h", "total clearance × (WT/70)^0.75", _ABS, _WT75),
    Parameter("Q", "73.2 L/h", "inter-compartmental clearance × (WT/70)^0.75", _ABS, _WT75),
    Parameter("V1", "57.3 L", "central volume × WT/70", _ABS, _WT),
    Parameter("V2", "152 L", "peripheral volume × WT/70", _ABS, _WT),
)

ELKOMY2015 = DrugModel(
    id="racemic.elkomy2015",
    name="Elkomy 2015 racemic ketamine, 2-compartment, children with heart disease, IV",
    drug="racemic",
    citation=Citation(
        authors="Elkomy MH, Drover DR, Hammer GB, Galinkin JL, Ramamoorthy C", year=2015,
        title="Population pharmacokinetics of ketamine in children with heart disease",
        journal="Int J Pharm 478(1):223-231", doi="10.1016/j.ijpharm.2014.11.026", pmid="25448584",
    ),
    parameters=PARAMETERS,
    structure=clearance_structure("V1", "CL", [("V2", "Q")]),
    routes={"iv": iv_route(source="Elkomy 2015: 2 mg/kg IV")},
    population="21 children with heart disease, 6 months-18 years, 2 mg/kg IV, sampled over 8 h",
    sampling="venous",
    covariate_range={"age": (0.5, 18.0)},
    residual_error=(assumed("ketamine", "the retrieved Elkomy 2015 abstract gives no residual error"),),
    notes=(
        "Sampling site not retrieved (venous assumed); no weight range, IIV or residual error "
        "was retrieved.",
        "The abstract's regimen (2 mg/kg over 1 min, then 6.3, 4.5 and 3.9 mg/kg/h to 120 min) "
        "is said to maintain an anaesthetic level in children >= 10 kg.",
    ),
)

MODELS = (ELKOMY2015,)
