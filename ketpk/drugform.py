"""The one check that a regimen's declared drug form (racemic or S(+)-ketamine) matches the
model's, for every front door (the pipeline's :func:`ketpk.plan.request`, the event-table
export, TCI of a target protocol). A leaf: it reads only the ``drug``, ``id`` and ``name``
attributes of what it is given."""

from __future__ import annotations

from typing import Any

from .errors import RegimenError

__all__ = ["check_drug_form"]

_FORMS = {"esketamine": "S(+)-ketamine (esketamine)", "racemic": "racemic ketamine"}


def check_drug_form(model: Any, regimen: Any, named: Any = None) -> None:
    """A regimen that declares its drug form (a protocol does) must match the ``model``'s (a
    DrugModel); ``named`` (the protocol the regimen came from, if any) names it in the error."""
    if regimen.drug is not None and regimen.drug != model.drug:
        what = "the regimen" if named is None else f"protocol {named.name!r}"
        raise RegimenError(
            f"{what} doses {_FORMS[regimen.drug]}, but model {model.id!r} is a {_FORMS[model.drug]} "
            f"model: the whole dose would be read as {_FORMS[model.drug]}. Choose a "
            f"{regimen.drug} model (e.g. {regimen.drug!r}) or a regimen of that form.")
