"""Herd 2007: racemic ketamine, 2 compartments, children in the emergency department, IV.

Herd D, Anderson BJ. Ketamine disposition in children presenting for procedural sedation and
analgesia in a children's emergency department. Paediatr Anaesth 2007;17(7):622-629.
doi:10.1111/j.1460-9592.2006.02145.x (PMID 17564643). All values are from the retrieved
abstract (pk_models.md §6): standardised to 70 kg with allometric models; opentiva, the only
implementation seen, scales CL and Q by (WT/70)^0.75 and volumes by WT/70, as done here.
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, OmegaBlock, Parameter
from ..residual import assumed
from ..routes import iv_route
from ._mammillary import clearance_structure

_ABS = "abstract"
_WT, _WT75 = (Allometric(1.0),), (Allometric(0.75),)

PARAMETERS = (
    Parameter("V1", "38.7 L", "central volume, 70 kg (BSV 64%)", _ABS, _WT),
    Parameter("V2", "102 L", "peripheral volume, 70 kg (BSV 51.7%)", _ABS, _WT),
    Parameter("CL", "90 L/h", "clearance, 70 kg (BSV 38.1%)", _ABS, _WT75),
    Parameter("Q", "215 L/h", "inter-compartmental clearance, 70 kg (BSV 19%)", _ABS, _WT75),
)

HERD2007 = DrugModel(
    id="racemic.herd2007",
    name="Herd 2007 racemic ketamine, 2-compartment, children (ED), IV (no metabolite)",
    drug="racemic",
    citation=Citation(
        authors="Herd D, Anderson BJ", year=2007,
        title="Ketamine disposition in children presenting for procedural sedation and analgesia "
              "in a children's emergency department",
        journal="Paediatr Anaesth 17(7):622-629",
        doi="10.1111/j.1460-9592.2006.02145.x", pmid="17564643",
    ),
    parameters=PARAMETERS,
    structure=clearance_structure("V1", "CL", [("V2", "Q")]),
    routes={"iv": iv_route(source="Herd 2007: 1-1.5 mg/kg IV")},
    population="54 children in a paediatric ED, 8.3 (SD 3.5) y, 32.5 (SD 15.6) kg, 1-1.5 mg/kg IV; "
               "188 serum samples over 14-152 min",
    sampling="venous",
    covariate_range={"weight": (10.8, 74.8), "age": (1.0, 14.0)},
    variability=(
        OmegaBlock(("V1", "CL", "V2", "Q"),
                   ((0.64**2, 0, 0, 0), (0, 0.381**2, 0, 0), (0, 0, 0.517**2, 0), (0, 0, 0, 0.19**2)),
                   source="abstract BSV %, read as sqrt(omega^2) (no correlations published)"),
    ),
    residual_error=(assumed("ketamine", "the retrieved Herd 2007 abstract gives no residual error"),),
    notes=(
        "Serum samples; the site is not stated in the abstract (venous assumed, ED children).",
        "Weight 10.8-74.8 kg and age 1-14 y are opentiva's limits for this model, unverified.",
        "Sparse sampling (median 3 samples within 28.5 min): the terminal phase is poorly informed.",
        "No residual error was retrieved.",
    ),
)

MODELS = (HERD2007,)
