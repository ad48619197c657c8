"""Domino 1982: racemic ketamine, 3-compartment micro-constants, adults, IV (parent only).

The values are those opentiva (``ketamine.py``, class ``Domino``, commit a181499) attributes to
Domino et al., PMID 7198883; the paper's title and tables were not retrieved. They are **unverified** against the primary paper (opentiva gives no table), so
the model's evidence is marked "unverified".
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, Parameter, Params, SystemBuilder
from ..residual import assumed
from ..routes import iv_route
from ..units import Q_

_UNVERIFIED = "opentiva transcription (class Domino), unverified against the paper"

PARAMETERS = (
    Parameter("V1", Q_("0.063 L/kg") * Q_("70 kg"), "central volume (70 kg; × weight)", _UNVERIFIED, (Allometric(1.0),)),
    Parameter("k10", "0.4381 1/min", "elimination rate constant", _UNVERIFIED),
    Parameter("k12", "0.5921 1/min", "central → peripheral 1", _UNVERIFIED),
    Parameter("k21", "0.2470 1/min", "peripheral 1 → central", _UNVERIFIED),
    Parameter("k13", "0.5900 1/min", "central → peripheral 2", _UNVERIFIED),
    Parameter("k31", "0.0146 1/min", "peripheral 2 → central", _UNVERIFIED),
)


def _structure(p: Params) -> SystemBuilder:
    s = SystemBuilder(p.n)
    s.compartment("ketamine.central", "ketamine", volume=p.V1, analytes=("ketamine",))
    s.compartment("ketamine.peripheral1", "ketamine")
    s.compartment("ketamine.peripheral2", "ketamine")
    s.transfer("ketamine.central", p.k10)
    s.transfer("ketamine.central", p.k12, "ketamine.peripheral1")
    s.transfer("ketamine.peripheral1", p.k21, "ketamine.central")
    s.transfer("ketamine.central", p.k13, "ketamine.peripheral2")
    s.transfer("ketamine.peripheral2", p.k31, "ketamine.central")
    return s


DOMINO1982 = DrugModel(
    id="racemic.domino1982",
    name="Domino 1982 racemic ketamine, 3-compartment, IV (no metabolite)",
    drug="racemic",
    citation=Citation(authors="Domino EF, et al.", year=1982,
                      title="(title not retrieved; cited by opentiva as PMID 7198883)",
                      journal="(journal not retrieved)", pmid="7198883"),
    parameters=PARAMETERS,
    structure=_structure,
    routes={"iv": iv_route()},
    population="adult surgical patients (details unverified)",
    sampling="venous",
    evidence="unverified",
    residual_error=(assumed("ketamine", "Domino 1982 is transcribed from opentiva (no residual error)"),),
    notes=("Parent only: no norketamine compartment.",),
)

MODELS = (DOMINO1982,)
