"""Hijazi 2003: racemic ketamine, 2 compartments, adult ICU patients on long-term IV infusion.

Hijazi Y, et al. Br J Anaesth 2003;90(2):155-160. doi:10.1093/bja/aeg028 (PMID 12538370).
The micro-constants are those opentiva transcribes (class ``Hijazi``); they are not in the
abstract, so the model is marked **unverified**. The retrieved abstract (pk_gaps.md §1.4) gives
CL 36.0 (SD 13.3) mL/min/kg, Vβ 16.0 (8.6) L/kg and t½ 4.9 (1.6) h; the opentiva values
reproduce all three (V1·k10 = 0.0360 L/min/kg; terminal t½ 4.95 h; Vβ 15.4 L/kg), which the
tests check. Rate constants are per minute.
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, Parameter
from ..residual import assumed
from ..routes import iv_route
from ..units import Q_
from ._mammillary import micro_structure

_OT = "opentiva class Hijazi (pk_models.md §12); CL and t½ agree with the abstract"

PARAMETERS = (
    Parameter("V1", Q_("1.08 L/kg") * Q_("70 kg"), "central volume (70 kg; × weight)", _OT, (Allometric(1.0),)),
    Parameter("k10", "0.0333 1/min", "elimination rate constant", _OT),
    Parameter("k12", "0.0088 1/min", "central → peripheral", _OT),
    Parameter("k21", "0.0030 1/min", "peripheral → central", _OT),
)

HIJAZI2003 = DrugModel(
    id="racemic.hijazi2003",
    name="Hijazi 2003 racemic ketamine, 2-compartment, ICU adults, IV (no metabolite)",
    drug="racemic",
    citation=Citation(authors="Hijazi Y, et al.", year=2003,
                      title="(title not retrieved; abstract: pharmacokinetics of ketamine, "
                            "norketamine and dehydronorketamine in 12 intensive care patients "
                            "with brain or spinal cord injury)",
                      journal="Br J Anaesth 90(2):155-160", doi="10.1093/bja/aeg028", pmid="12538370"),
    parameters=PARAMETERS,
    structure=micro_structure("V1", "k10", [("k12", "k21")]),
    routes={"iv": iv_route(source="Hijazi 2003 (long-term IV infusion)")},
    population="12 adult ICU patients with brain or spinal cord injury, long-term IV sedation",
    sampling="venous",
    evidence="unverified",
    residual_error=(assumed("ketamine", "Hijazi 2003 is transcribed from opentiva (no residual error)"),),
    notes=(
        "Parent only; norketamine and dehydronorketamine were measured but their parameters "
        "were not retrieved.",
        "Sampling site not retrieved; venous assumed.",
        "opentiva's upper age limit of 18 years contradicts the adult ICU population and is not used; "
        "no validated weight range was retrieved.",
        "The abstract reports between-subject SDs (CL 37%, t½ 33% CV) but no omega; no IIV implemented.",
    ),
)

MODELS = (HIJAZI2003,)
