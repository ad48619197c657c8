"""The model library: published ketamine models by id.

>>> import ketpk
>>> ketpk.models.get("esketamine").citation.doi  # doctest: +SKIP
'10.1007/s00228-021-03104-1'

Each module in this package defines ``MODELS``, a tuple of :class:`~ketpk.DrugModel`; they are
discovered on first use. ``"esketamine"`` and ``"racemic"`` are the documented default models
for adult, venous, multi-route use (see :data:`DEFAULTS`).
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from functools import lru_cache
from typing import NamedTuple

from ..errors import ModelNotFoundError
from ..model import DrugModel

__all__ = ["available", "get", "DEFAULTS", "ModelSummary"]

#: The default model id for each drug form.
DEFAULTS: dict[str, str] = {
    "esketamine": "esketamine.multiroute",
    "racemic": "racemic.multiroute",
}


class ModelSummary(NamedTuple):
    """One row of :func:`available`."""

    id: str
    drug: str
    routes: tuple[str, ...]
    population: str
    sampling: str
    evidence: str
    citation: str


@lru_cache(maxsize=1)
def _registry() -> dict[str, DrugModel]:
    found: dict[str, DrugModel] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for model in getattr(module, "MODELS", ()):
            if model.id in found:
                raise RuntimeError(f"model id {model.id!r} is defined twice")
            found[model.id] = model
    return dict(sorted(found.items()))


def available() -> list[ModelSummary]:
    """Every registered model: id, drug form, routes, population, sampling, evidence, citation."""
    return [
        ModelSummary(m.id, m.drug, tuple(m.routes), m.population, m.sampling, m.evidence, str(m.citation))
        for m in _registry().values()
    ]


def get(model_id: str) -> DrugModel:
    """The model registered as ``model_id`` (or a default: ``"esketamine"``, ``"racemic"``)."""
    registry = _registry()
    key = DEFAULTS.get(model_id, model_id)
    try:
        return registry[key]
    except (KeyError, TypeError):
        names = [*DEFAULTS, *registry]
        close = difflib.get_close_matches(str(model_id), names, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ModelNotFoundError(
            f"no model {model_id!r}.{hint} See ketpk.models.available() for the list."
        ) from None
