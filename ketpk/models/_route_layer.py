"""The route layer shared by the two default models (esketamine and racemic).

Every route's parameters are ordinary model parameters named ``<what>_<route>``:

* ``F_<route>``      parent bioavailability of the whole dose (fraction);
* ``ka_<route>``     first-order absorption rate constant (1/min);
* ``lag_<route>``    lag time (min);
* ``D_<route>``      zero-order phase into the depot (min), where the route has one;
* ``fpre_<route>``   fraction of the dose reaching the circulation as norketamine formed
  presystemically (gut wall + liver first pass), enteral routes only;
* ``fsw_<route>``    fraction of the dose swallowed (mucosal routes); the swallowed share follows
  the oral route's parameters, so the mucosal share's parent fraction is
  ``F_<route> - fsw_<route> * F_oral``;
* ``ffast_inhaled``  share of the inhaled dose absorbed at once (the rest at ``ka_inhaled``).

Override any of them per call: ``model.with_parameters(F_oral="0.15", ka_oral="1 1/h")``.
Values that no paper gives are labelled ASSUMPTION in their source; those labels travel with
every result that uses the route (:attr:`Route.assumptions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError
from ..model import Params, Parameter, Route
from ..routes import Pathway, Targets, pathway_route

__all__ = ["RouteValue", "route_parameters", "route_layer", "ROUTE_PARAMETERS"]

ASSUMPTION = "ASSUMPTION: "


@dataclass(frozen=True, slots=True)
class RouteValue:
    """A route parameter's value, description and source (``assumption`` if unpublished)."""

    value: str
    description: str
    source: str
    assumption: bool = False


#: Parameter names of each route (the swallowed share of mucosal routes also uses the oral ones).
ROUTE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "iv": (),
    "im": ("F_im", "ka_im", "lag_im"),
    "sc": ("F_sc", "ka_sc", "lag_sc"),
    "oral": ("F_oral", "fpre_oral", "ka_oral", "D_oral", "lag_oral"),
    "sublingual": ("F_sublingual", "fsw_sublingual", "ka_sublingual", "D_sublingual", "lag_sublingual"),
    "buccal": ("F_buccal", "fsw_buccal", "ka_buccal", "D_buccal", "lag_buccal"),
    "intranasal": ("F_intranasal", "fsw_intranasal", "ka_intranasal", "lag_intranasal"),
    "rectal": ("F_rectal", "fpre_rectal", "ka_rectal", "lag_rectal"),
    "transdermal": ("F_transdermal", "ka_transdermal", "D_transdermal", "lag_transdermal"),
    "inhaled": ("F_inhaled", "ffast_inhaled", "ka_inhaled", "lag_inhaled"),
}

_MUCOSAL = ("sublingual", "buccal", "intranasal")


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


def _mucosal_fraction(route: str):
    """Parent fraction of the dose absorbed through the mucosa: F_route - fsw_route * F_oral."""
    F, fsw = f"F_{route}", f"fsw_{route}"

    def fraction(p: Params, amount) -> np.ndarray:
        mucosal = p[F] - p[fsw] * p["F_oral"]
        if np.any(mucosal < -1e-12) or np.any(mucosal > 1 - p[fsw] + 1e-12):
            raise ParameterError(
                f"`{F}` must lie between fsw_{route} × F_oral and fsw_{route} × F_oral + "
                f"(1 - fsw_{route}); got {F}={np.max(p[F]):g}, {fsw}={np.max(p[fsw]):g}, "
                f"F_oral={np.max(p['F_oral']):g}. Change {fsw} or {F} together."
            )
        return np.clip(mucosal, 0.0, None)

    return fraction


def _swallowed(route: str, enteral: Targets | None) -> Pathway:
    return Pathway(f"{route}_swallowed", "F_oral", "ka_oral", lag="lag_oral", duration="D_oral",
                   presystemic="fpre_oral", share=f"fsw_{route}", targets=enteral)


def _pathways(route: str, enteral: Targets | None = None) -> list[Pathway]:
    if route in ("im", "sc", "rectal", "oral", "transdermal"):
        return [Pathway(route, f"F_{route}", f"ka_{route}", lag=f"lag_{route}",
                        duration=f"D_{route}" if f"D_{route}" in ROUTE_PARAMETERS[route] else None,
                        presystemic=f"fpre_{route}" if f"fpre_{route}" in ROUTE_PARAMETERS[route] else None,
                        targets=enteral if route == "oral" else None)]
    if route in _MUCOSAL:
        duration = f"D_{route}" if f"D_{route}" in ROUTE_PARAMETERS[route] else None
        return [Pathway(route, _mucosal_fraction(route), f"ka_{route}", lag=f"lag_{route}",
                        duration=duration), _swallowed(route, enteral)]
    if route == "inhaled":
        return [Pathway("inhaled_fast", "F_inhaled", None, lag="lag_inhaled", share="ffast_inhaled"),
                Pathway("inhaled", "F_inhaled", "ka_inhaled", lag="lag_inhaled",
                        share=lambda p, amount: 1.0 - p["ffast_inhaled"])]
    raise ParameterError(f"no route layer for {route!r}")


_DESCRIPTIONS = {
    "im": "intramuscular: first-order absorption (F_im, ka_im, lag_im)",
    "sc": "subcutaneous: first-order absorption (F_sc, ka_sc, lag_sc)",
    "oral": "oral: zero-order phase D_oral into the gut depot, first-order ka_oral; F_oral reaches "
            "the circulation as parent and fpre_oral as norketamine formed in gut wall and liver",
    "rectal": "rectal: first-order absorption; F_rectal as parent, fpre_rectal as norketamine "
              "(the part draining to the portal vein)",
    "transdermal": "transdermal: the dose is the patch's labelled delivered amount, released "
                   "zero-order over D_transdermal into a skin depot, absorbed at ka_transdermal",
    "inhaled": "inhaled (nebulised): F_inhaled, a share ffast_inhaled absorbed at once and the "
               "rest at ka_inhaled; linear (Jonkman's concentration-dependent F loss is not modelled)",
}


def _description(route: str) -> str:
    if route in _MUCOSAL:
        zero = f" after a zero-order phase D_{route}" if f"D_{route}" in ROUTE_PARAMETERS[route] else ""
        return (f"{route}: F_{route} parent in total; fsw_{route} of the dose is swallowed and "
                f"follows the oral route; the rest is absorbed through the mucosa{zero} at "
                f"ka_{route} (mucosal parent fraction F_{route} - fsw_{route}·F_oral)")
    return _DESCRIPTIONS[route]


def route_layer(values: Mapping[str, RouteValue], *, iv: Route, central: Targets,
                metabolite: Targets, species: str, enteral: Targets | None = None) -> dict[str, Route]:
    """``iv`` plus the nine other routes; ``central``/``metabolite`` are the parent and
    norketamine entry states (with shares for a racemate's S and R), ``species`` the depots';
    ``enteral`` (optional) the parent entry shares after oral first pass (oral and swallowed).

    Presystemic parent becomes norketamine mass-for-mass (``basis="mass"``), as the disposition
    (Otto 2021) moves systemically cleared parent mass into its apparent norketamine volume.
    """
    routes: dict[str, Route] = {"iv": iv}
    for route, names in ROUTE_PARAMETERS.items():
        if route == "iv":
            continue
        used = names + (ROUTE_PARAMETERS["oral"] if route in _MUCOSAL else ())
        routes[route] = pathway_route(
            route, _pathways(route, enteral), central=central, metabolite=metabolite, species=species,
            basis="mass", description=f"{_description(route)} [parameters: {', '.join(used)}]",
            sources=tuple(dict.fromkeys(values[n].source for n in used if not values[n].assumption)),
            assumptions=tuple(f"{n} (default {values[n].value}) is an assumption: {values[n].source}"
                              for n in used if values[n].assumption),
        )
    return routes


def assumed(value: str, description: str, reason: str) -> RouteValue:
    """A route value that no paper gives, with the reasoning behind it."""
    return RouteValue(value, description, reason, assumption=True)


_NO_LAG = "no lag time reported for this route; first concentrations within minutes"

#: Values the two default models share (same mechanism for both forms, or no form-specific data).
COMMON: dict[str, RouteValue] = {
    "lag_im": RouteValue("0 min", "IM lag time", _NO_LAG),
    "F_sc": assumed("0.93", "SC bioavailability",
                    "no SC bioavailability is published (continuous SC ketamine is used in palliative "
                    "care without PK); SC, like IM, is parenteral without first pass, and Loo 2016 "
                    "(Acta Psychiatr Scand 134:48) gave IM and SC at equal mg/kg doses; IM F used"),
    "ka_sc": assumed("0.045 1/min", "SC absorption rate constant",
                     "chosen to give a parent Tmax of 30 min in the Otto 2021 disposition, twice the IM Tmax (15 min): "
                     "subcutaneous blood flow is lower than muscle's; no SC ka is published "
                     "(Abuhelwa 2022 estimated one, value not retrieved)"),
    "lag_sc": RouteValue("0 min", "SC lag time", _NO_LAG),
    "lag_oral": RouteValue("0 min", "oral lag time (the zero-order phase D_oral delays absorption)",
                           "Perez-Ruixo 2021 Table 3 uses a zero-order phase, no lag"),
    "D_oral": RouteValue("0.32 h", "oral zero-order phase into the gut depot",
                         "Perez-Ruixo 2021 Table 3, Dpo (esketamine oral solution)"),
    "lag_sublingual": RouteValue("0 min", "sublingual lag time",
                                 "Simons 2022 (no lag; zero-order phase D1); Rolan 2014 first "
                                 "quantifiable concentration < 5 min"),
    "D_sublingual": RouteValue("13.1 min", "sublingual zero-order phase into the mucosal depot",
                               "Simons 2022 Table 4, D1 (S-ketamine oral thin film), via nlmixr2lib"),
    "lag_intranasal": RouteValue("0 min", "intranasal lag time", "Perez-Ruixo 2021 (no lag)"),
    "ka_intranasal": RouteValue("2.93 1/h", "intranasal (nasal mucosa) absorption rate constant",
                                "Perez-Ruixo 2021 Table 3, ka_n (esketamine nasal spray)"),
    "ka_rectal": assumed("0.028 1/min", "rectal absorption rate constant",
                         "chosen to give a parent Tmax of 42 min in the Otto 2021 disposition, observed after rectal racemic "
                         "ketamine in children (Malinovsky 1996 Br J Anaesth 77:203); no adult "
                         "rectal Tmax or ka is published"),
    "lag_rectal": RouteValue("0 min", "rectal lag time", _NO_LAG),
    "F_transdermal": assumed("0.92", "transdermal bioavailability of the labelled delivered amount",
                             "no transdermal ketamine PK is published (Vranken 2005 iontophoresis and "
                             "Azevedo 2000 patch report effects only); by analogy with transdermal "
                             "fentanyl, whose absorbed fraction of the labelled delivery is 0.92 "
                             "(Varvel 1989 Anesthesiology 70:928); no hepatic first pass"),
    "ka_transdermal": assumed("0.01 1/min", "absorption rate constant from the skin depot",
                              "skin-depot half-time ≈ 70 min assumed; ketamine (log P ≈ 2.2) is far "
                              "less lipophilic than fentanyl, so a small skin depot; no data"),
    "D_transdermal": RouteValue("24 h", "zero-order release period of the patch",
                                "Azevedo 2000 patch: '25 mg released throughout a 24-hour period', "
                                "via Zanos 2018 Pharmacol Rev 70:621 Table 1"),
    "lag_transdermal": RouteValue("0 min", "transdermal lag time (the skin depot delays absorption)",
                                  "no data; delay carried by ka_transdermal"),
    "ffast_inhaled": assumed("0.5", "share of the inhaled dose absorbed at once",
                             "Jonkman 2017 (Anesthesiology 127:675) has an immediate and a slow "
                             "pathway; their split was not retrieved, an even split is assumed"),
    "ka_inhaled": RouteValue("0.05 1/min", "slow-pathway absorption rate constant of inhaled drug",
                             "Jonkman 2017 abstract, slow absorption 0.05 ± 0.01 /min (S-ketamine)"),
    "lag_inhaled": RouteValue("0 min", "inhaled lag time", "Jonkman 2017 (immediate pathway)"),
}

COMMON["ka_im"] = assumed("0.13 1/min", "IM absorption rate constant",
                          "chosen to give a parent Tmax of 15 min in the Otto 2021 disposition: Hirlinger & Dick 1984 (Anaesthesist "
                          "33:272) median peak 15 min after 1 mg/kg IM racemic, secondary IM Tmax "
                          "5-15 min; no adult IM ka is published")


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
    columns = ("F", "ka", "lag", "D", "fpre", "fsw", "ffast")

    def cell(route: str, what: str) -> str:
        v = values.get(f"{what}_{route}")
        return "-" if v is None else v.value + (" A" if v.assumption else "")

    rows = [("route", *columns), ("iv", "1", *("-" for _ in columns[1:]))]
    rows += [(route, *(cell(route, c) for c in columns)) for route in list(ROUTE_PARAMETERS)[1:]]
    return "\n".join((f"{r[0]:<12}" + "".join(f"{c:<15}" for c in r[1:])).rstrip() for r in rows)


def complete(specific: Mapping[str, RouteValue]) -> dict[str, RouteValue]:
    """A form's full route values: :data:`COMMON`, then its own, then buccal = sublingual."""
    values = {**COMMON, **specific}
    values.update(buccal_like_sublingual(values))
    return values
