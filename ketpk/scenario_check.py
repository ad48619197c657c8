"""ketpk's AUC ratios for the published interaction studies (:mod:`ketpk.scenarios`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import models
from .nca import auc_inf
from .regimen import Bolus, Infusion, Regimen
from .scenarios import INTERACTIONS, Study
from .simulate import simulate
from .subject import Subject
from .units import Q_

__all__ = ["study_regimen", "predicted_ratio", "predicted_norketamine", "comparison"]


def study_regimen(study: Study) -> Regimen:
    """The study's S-ketamine dose for a 70-kg subject: oral syrup bolus, IV over 2 min, or
    Noppers' 2-h infusion at 20 mg/70 kg/h."""
    if study.route == "oral":
        return Regimen([Bolus("0 min", study.dose, route="oral")])
    if study.dose.endswith("× 2 h"):
        return Regimen([Infusion("0 min", rate="20 mg/h", duration="2 h")])
    return Regimen([Infusion("0 min", amount=study.dose, duration="2 min")])


def predicted_ratio(model: Any, inter: Any, study: Study, analyte: str = "ketamine") -> float:
    """ketpk's AUC0-∞ ratio with / without the scenario ``inter`` for ``study``'s route and dose, 70 kg.

    Exact solver, 0-72 h every 2 min, extrapolated from the last three points.
    """
    base = models.resolve(model)
    times = Q_(np.arange(0.0, 72 * 60 + 1, 2.0), "min")
    subject = Subject(weight="70 kg")
    regimen = study_regimen(study)
    aucs = [float(np.asarray(auc_inf(simulate(m, regimen, times, subjects=subject), analyte).magnitude))
            for m in (base, base.with_scenario(inter))]
    return aucs[1] / aucs[0]


def predicted_norketamine(model: Any, inter: Any, study: Study) -> float | None:
    """ketpk's value of the study's published norketamine ratio (``study.norketamine``), or None."""
    if study.norketamine is None:
        return None
    nk = predicted_ratio(model, inter, study, "norketamine")
    return nk if study.norketamine[0] == "NK AUC" else nk / predicted_ratio(model, inter, study)


def comparison(model_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per (interaction, study, model with the study's route): published vs ketpk."""
    rows = []
    for name, inter in INTERACTIONS.items():
        for study in inter.calibration + inter.checks:
            for model_id in model_ids:
                if study.route not in models.get(model_id).routes:
                    continue
                rows.append({"interaction": name, "study": study, "model": model_id,
                             "calibration": study in inter.calibration,
                             "ketpk": predicted_ratio(model_id, inter, study),
                             "norketamine": predicted_norketamine(model_id, inter, study)})
    return rows
