"""The model library: published ketamine models by id.

>>> import ketpk
>>> ketpk.models.get("esketamine").citation.doi  # doctest: +SKIP
'10.1007/s00228-021-03104-1'

Each module in this package defines ``MODELS``, a tuple of :class:`~ketpk.DrugModel`; they are
discovered on first use. ``"esketamine"`` and ``"racemic"`` are the documented default models
for adult, venous, multi-route use (see :data:`DEFAULTS`).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache

from ..errors import ParameterError
from ..registry import Entry, lookup
from ..model import DrugModel
from ..usermodels import from_dict, from_toml

__all__ = ["available", "get", "resolve", "DEFAULTS", "ModelSummary", "from_dict", "from_toml", "register", "unregister"]

#: The default model id for each drug form.
DEFAULTS: dict[str, str] = {
    "esketamine": "esketamine.multiroute",
    "racemic": "racemic.multiroute",
}


@dataclass(frozen=True)
class ModelSummary(Entry):
    """One row of :func:`available`: an :class:`~ketpk.registry.Entry` (``summary`` the model's
    name) with the model's routes, population, sampling site and evidence."""

    routes: tuple[str, ...]
    population: str
    sampling: str
    evidence: str


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


#: User models added with :func:`register` (this session only).
_USER: dict[str, DrugModel] = {}


def _all() -> dict[str, DrugModel]:
    return {**_registry(), **dict(sorted(_USER.items()))}


def register(model: DrugModel, *, replace: bool = False) -> DrugModel:
    """Make a user model (e.g. from :func:`from_toml`) known to :func:`get` and :func:`available`.

    Built-in ids and the default names cannot be taken; ``replace=True`` re-registers a user id.
    """
    if not isinstance(model, DrugModel):
        raise ParameterError(f"`model` must be a DrugModel (e.g. from ketpk.models.from_toml); got {model!r}.")
    if model.id in _registry() or model.id in DEFAULTS:
        raise ParameterError(f"model id {model.id!r} is taken by a built-in model; choose another `id`.")
    if model.id in _USER and not replace:
        raise ParameterError(f"model id {model.id!r} is already registered; pass replace=True to replace it.")
    _USER[model.id] = model
    return model


def unregister(model_id: str) -> None:
    """Forget a user model registered with :func:`register`."""
    lookup(_USER, model_id, "user model")
    del _USER[model_id]


def available() -> list[ModelSummary]:
    """Every registered model: id, drug form, routes, population, sampling, evidence, citation."""
    return [
        ModelSummary(id=m.id, drug=m.drug, citation=str(m.citation), summary=m.name, routes=tuple(m.routes),
                     population=m.population, sampling=m.sampling, evidence=m.evidence)
        for m in _all().values()
    ]


def get(model_id: str) -> DrugModel:
    """The model registered as ``model_id`` (or a default: ``"esketamine"``, ``"racemic"``)."""
    registry = _all()
    key = DEFAULTS.get(model_id, model_id) if isinstance(model_id, str) else model_id
    return lookup(registry, key, "model", names=[*DEFAULTS, *registry], cutoff=0.5)


def resolve(model: object) -> DrugModel:
    """``model`` itself if it is a DrugModel, else the model registered under that id."""
    if isinstance(model, str):
        return get(model)
    if not isinstance(model, DrugModel):
        from ..errors import ParameterError

        raise ParameterError(
            f"`model` must be a DrugModel or a model id such as 'esketamine'; got {model!r}."
        )
    return model
