"""The linear system a target-controlled infusion steers: subjects, system matrix, IV input."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import RegimenError
from ..model import DrugModel
from ..plan import check_etas_model, warn_covariates
from ..subject import as_batch
from ..units import umol_per_mg

__all__ = ["batch_system"]


def _iv_input(model: DrugModel, params: Any, system: Any) -> np.ndarray:
    """``b`` (S, n): µmol entering each state per mg of ketamine base infused IV."""
    route = model.route("iv")
    if not route.infusion:
        raise RegimenError(f"model {model.id!r} cannot take IV infusions; TCI needs them.")
    b = np.zeros((params.n, len(system.states)))
    to_umol = umol_per_mg("ketamine")
    for inp in route.inputs(params, np.ones(params.n)):
        if inp.duration is not None or np.any(np.asarray(inp.lag) != 0):
            raise RegimenError(f"the IV route of model {model.id!r} has a lag or zero-order input; "
                               "TCI assumes the infusion enters at once.")
        b[:, system.index(inp.state)] += np.broadcast_to(inp.fraction, (params.n,)) * to_umol
    return b


def batch_system(model: DrugModel, subjects: Any) -> tuple[Any, Any, np.ndarray]:
    """``(batch, system, b)`` of ``subjects`` for ``model``: the subject batch (covariates
    checked against the model's range), its linear system and the IV input ``b`` (µmol/mg)."""
    batch = as_batch(subjects)
    check_etas_model(model, batch)
    warn_covariates(model, batch)
    params = model.individual(batch.covariates, batch.etas, batch.n)
    system = model.system(params)
    return batch, system, _iv_input(model, params, system)
