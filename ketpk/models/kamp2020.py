"""Kamp 2020 (Anesthesiology): racemic ketamine, 3 compartments, adults, IV (parent only).

Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A; Ketamine Pharmacokinetic
Study Group. Ketamine pharmacokinetics: a systematic review of the literature, meta-analysis,
and population analysis. Anesthesiology 2020;133(6):1192-1213. doi:10.1097/ALN.0000000000003577.

The abstract (retrieved, pk_models.md §7) describes the raw-data model as one central *arterial*
compartment with two peripheral compartments linked to two *venous delay* compartments. The
values below are those opentiva transcribes (class ``Klamp``, PMID 32997732) without a table
reference, so the model is **unverified**; opentiva, and therefore this module, has **no venous
delay compartments**: the curve is the arterial central concentration.
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, Parameter
from ..residual import assumed
from ..routes import iv_route
from ._mammillary import clearance_structure

_OT = "opentiva class Klamp (pk_models.md §7), unverified against Kamp's table"
_WT = (Allometric(1.0),)  # opentiva scales every parameter linearly with weight

PARAMETERS = (
    Parameter("V1", "25 L", "central (arterial) volume, 70 kg", _OT, _WT),
    Parameter("V2", "56 L", "fast peripheral volume, 70 kg", _OT, _WT),
    Parameter("V3", "157 L", "slow peripheral volume, 70 kg", _OT, _WT),
    Parameter("CL", "84 L/h", "elimination clearance, 70 kg", _OT, _WT),
    Parameter("Q2", "161 L/h", "inter-compartmental clearance to V2, 70 kg", _OT, _WT),
    Parameter("Q3", "79 L/h", "inter-compartmental clearance to V3, 70 kg", _OT, _WT),
)

KAMP2020 = DrugModel(
    id="racemic.kamp2020",
    name="Kamp 2020 racemic ketamine, 3-compartment, IV (arterial; venous delay omitted)",
    drug="racemic",
    citation=Citation(
        authors="Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A; "
                "Ketamine Pharmacokinetic Study Group",
        year=2020,
        title="Ketamine pharmacokinetics: a systematic review of the literature, meta-analysis, "
              "and population analysis",
        journal="Anesthesiology 133(6):1192-1213",
        doi="10.1097/ALN.0000000000003577",
        pmid="32997732",
    ),
    parameters=PARAMETERS,
    structure=clearance_structure("V1", "CL", [("V2", "Q2"), ("V3", "Q3")]),
    routes={"iv": iv_route(source="Kamp 2020 (IV data sets only)")},
    population="pooled raw data of 14 IV ketamine studies (adults; details not retrieved)",
    sampling="arterial",
    evidence="unverified",
    residual_error=(assumed("ketamine", "no residual error was retrieved for Kamp 2020 (values via opentiva)"),),
    notes=(
        "Values from opentiva's transcription, not checked against Kamp's table.",
        "The published model links the peripherals to two venous delay compartments; they are "
        "omitted here (as in opentiva), so venous concentrations are not available.",
        "Plausibility: Vss 238 L and CL 84 L/h lie inside the abstract's meta-analysis 95% CIs "
        "(V 200-304 L/70 kg, CL 69-90 L/h at 70 kg).",
        "No validated weight range was retrieved; no IIV or residual error is implemented.",
        "Weight scaling unresolved: opentiva scales every parameter linearly with weight (kept "
        "here), simtiva scales clearances by (WT/70)^0.75. Kamp 2020's retrievable text (the "
        "abstract) says only that literature parameters were 'standardized' to 70 kg and that no "
        "covariate effect was found; its parameter table (and any exponent) could not be "
        "retrieved, so neither transcription can be confirmed. At 70 kg both agree.",
    ),
)

MODELS = (KAMP2020,)
