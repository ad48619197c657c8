"""Test helper: a model that has a protocol's routes (the default model when it has them)."""

from __future__ import annotations

import dataclasses

import ketpk
from ketpk.model import Input, Route
from ketpk.routes import absorption_route

from .conftest import one_compartment


def toy_with_routes(*routes: str, **kw) -> ketpk.DrugModel:
    """The conftest toy with first-order absorption (its F, KA, TLAG) for every extra route."""
    base = one_compartment(**kw)
    extra = {r: absorption_route(r, central="ketamine.central", F="F", ka="KA", lag="TLAG",
                                 description=f"toy {r}") for r in routes if r not in base.routes}
    return dataclasses.replace(base, routes={**base.routes, **extra})


def toy_zero_order(duration_min: float = 90.0, lag_min: float = 30.0, **kw) -> ketpk.DrugModel:
    """The toy with an oral route whose absorption is zero-order over a fixed time, after a lag."""
    base = one_compartment(**kw)

    def inputs(p, amount):
        return [Input("ketamine.depot_oral", p.F, lag_min, duration_min)]

    def build(builder, p):
        builder.compartment("ketamine.depot_oral", "ketamine")
        builder.transfer("ketamine.depot_oral", p.KA, "ketamine.central")

    route = Route("oral", inputs, "toy zero-order into a depot", infusion=False, build=build)
    return dataclasses.replace(base, routes={**base.routes, "oral": route})


def model_for(protocol) -> ketpk.DrugModel:
    """The default model of the protocol's drug if it has all its routes, else a toy that does."""
    default = ketpk.models.get(protocol.drug)
    if all(r in default.routes for r in protocol.routes):
        return default
    return toy_with_routes(*protocol.routes)
