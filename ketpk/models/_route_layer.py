"""The route layer shared by the two default models (esketamine and racemic).

Every route's parameters, their kinds and units and their default values are in the route
table, :data:`ketpk.routecodes.ROUTE_TABLE` (``F_<route>``, ``ka_<route>``, ``lag_<route>``,
``D_<route>``, ``fpre_<route>``, ``fsw_<route>``, ``ffast_inhaled``: see
:data:`ketpk.routecodes.PARAMETER_KINDS`). A model gives its own values for a route
(:func:`complete` adds the table's defaults, and buccal = sublingual); this module builds the
routes from the table with the table's own parameter names (:func:`ketpk.routes.table_roles`).

Override any of them per call: ``model.with_parameters(F_oral="0.15", ka_oral="1 1/h")``.
Values that no paper gives are labelled ASSUMPTION in their source; those labels travel with
every result that uses the route (:attr:`Route.assumptions`).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import ParameterError
from ..model import Parameter, Route
from ..routecodes import PARAMETER_KINDS, ROUTE_TABLE, RouteValue, assumed
from ..routes import Targets, table_roles, table_route

__all__ = ["RouteValue", "assumed", "route_parameters", "route_layer", "ROUTE_PARAMETERS", "COMMON",
           "complete", "route_table"]

ASSUMPTION = "ASSUMPTION: "

#: Parameter names of each route (the swallowed share of mucosal routes also uses the oral ones).
ROUTE_PARAMETERS: dict[str, tuple[str, ...]] = {r: spec.parameters for r, spec in ROUTE_TABLE.items()}

#: The route table's default values (the two default models share them unless they give their own).
COMMON: dict[str, RouteValue] = {n: v for spec in ROUTE_TABLE.values() for n, v in spec.defaults.items()}


def route_parameters(values: Mapping[str, RouteValue]) -> tuple[Parameter, ...]:
    """The route parameters, in :data:`ROUTE_PARAMETERS` order; every name must have a value."""
    names = [n for route in ROUTE_PARAMETERS.values() for n in route]
    missing = set(names) ^ set(values)
    if missing:
        raise ParameterError(f"route layer values do not match the route parameters: {sorted(missing)}")
    return tuple(
        Parameter(n, values[n].value, values[n].description,
                  (ASSUMPTION if values[n].assumption else "") + values[n].source)
        for n in names
    )


def route_layer(values: Mapping[str, RouteValue], *, iv: Route, central: Targets,
                metabolite: Targets, species: str, enteral: Targets | None = None) -> dict[str, Route]:
    """``iv`` plus the nine other routes; ``central``/``metabolite`` are the parent and
    norketamine entry states (with shares for a racemate's S and R), ``species`` the depots';
    ``enteral`` (optional) the parent entry shares after oral first pass (oral and swallowed).

    Presystemic parent becomes norketamine mass-for-mass (``basis="mass"``), as the disposition
    (Otto 2021) moves systemically cleared parent mass into its apparent norketamine volume.
    """
    routes: dict[str, Route] = {"iv": iv}
    for route, spec in ROUTE_TABLE.items():
        if spec.absorption == "direct":
            continue
        used = spec.parameters + (ROUTE_PARAMETERS["oral"] if spec.absorption == "mucosal" else ())
        routes[route] = table_route(
            route, **table_roles(route, enteral), central=central, metabolite=metabolite, species=species,
            basis="mass", description=f"{spec.description} [parameters: {', '.join(used)}]",
            sources=tuple(dict.fromkeys(values[n].source for n in used if not values[n].assumption)),
            assumptions=tuple(f"{n} (default {values[n].value}) is an assumption: {values[n].source}"
                              for n in used if values[n].assumption),
        )
    return routes


def buccal_like_sublingual(values: Mapping[str, RouteValue]) -> dict[str, RouteValue]:
    """Buccal values equal to the sublingual ones, labelled as that assumption."""
    reason = ("buccal taken as sublingual: Simons 2022 pooled sublingual (n=15) and buccal (n=5) "
              "film placement in one model; no separate buccal ketamine PK is published")
    return {
        name.replace("_sublingual", "_buccal"): assumed(v.value, v.description.replace("sublingual", "buccal"),
                                                        f"{reason} (sublingual: {v.source})")
        for name, v in values.items() if name.endswith("_sublingual")
    }


def route_table(values: Mapping[str, RouteValue]) -> str:
    """A plain-text table of every route's values; ``A`` marks an ASSUMPTION (see ``describe()``)."""
    columns = tuple(PARAMETER_KINDS)

    def cell(route: str, what: str) -> str:
        v = values.get(f"{what}_{route}")
        return "-" if v is None else v.value + (" A" if v.assumption else "")

    rows = [("route", *columns), ("iv", "1", *("-" for _ in columns[1:]))]
    rows += [(route, *(cell(route, c) for c in columns)) for route in list(ROUTE_PARAMETERS)[1:]]
    return "\n".join((f"{r[0]:<12}" + "".join(f"{c:<15}" for c in r[1:])).rstrip() for r in rows)


def complete(specific: Mapping[str, RouteValue]) -> dict[str, RouteValue]:
    """A form's full route values: the route table's defaults, then its own, then buccal = sublingual."""
    values = {**COMMON, **specific}
    values.update(buccal_like_sublingual(values))
    return values
