"""Clements & Nimmo 1981: racemic ketamine, 2 compartments, adults, IV 250 µg/kg (parent only).

Clements JA, Nimmo WS. Br J Anaesth 1981;53(1):27. doi:10.1093/bja/53.1.27 (PMID 7459184).
The values are those opentiva transcribes (class ``Clements250``, "based on 250 mcg/kg bolus
data"); neither the paper's tables nor its abstract were retrieved, so the model is
**unverified**. Rate constants are per minute (opentiva convention, pk_models.md §12).
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, Parameter
from ..residual import assumed
from ..routes import iv_route
from ..units import Q_
from ._mammillary import micro_structure

_OT = "opentiva class Clements250 (pk_models.md §12), unverified against the paper"

PARAMETERS = (
    Parameter("V1", Q_("1.7522 L/kg") * Q_("70 kg"), "central volume (70 kg; × weight)", _OT, (Allometric(1.0),)),
    Parameter("k10", "0.0109 1/min", "elimination rate constant", _OT),
    Parameter("k12", "0.0186 1/min", "central → peripheral", _OT),
    Parameter("k21", "0.0137 1/min", "peripheral → central", _OT),
)

CLEMENTS1981 = DrugModel(
    id="racemic.clements1981",
    name="Clements & Nimmo 1981 racemic ketamine, 2-compartment, IV (no metabolite)",
    drug="racemic",
    citation=Citation(authors="Clements JA, Nimmo WS", year=1981,
                      title="(title not retrieved; cited by opentiva as doi:10.1093/bja/53.1.27)",
                      journal="Br J Anaesth 53(1):27", doi="10.1093/bja/53.1.27", pmid="7459184"),
    parameters=PARAMETERS,
    structure=micro_structure("V1", "k10", [("k12", "k21")]),
    routes={"iv": iv_route()},
    population="adults given 250 µg/kg IV (details unverified)",
    sampling="venous",
    evidence="unverified",
    residual_error=(assumed("ketamine", "Clements & Nimmo 1981 is transcribed from opentiva (no residual error)"),),
    notes=(
        "Parent only: no norketamine compartment.",
        "Sampling site not retrieved; venous assumed (the usual site in 1981 volunteer studies).",
        "No validated weight range, IIV or residual error was retrieved.",
    ),
)

MODELS = (CLEMENTS1981,)
