"""The route table: every route a regimen may use, in one place.

:data:`ROUTE_TABLE` holds, per route, its NONMEM compartment code (written into event tables
when no model is given; a model's own mapping is :func:`ketpk.eventtable.cmt_map`), how a dose
is absorbed, the parameters a multi-route model gives for it and their default values. A
route parameter is named ``<kind>_<route>`` (``F_oral``, ``ka_oral``, ...), the kinds and
their units in :data:`PARAMETER_KINDS`. A model gives its own value for a route parameter
where it has one; the defaults here fill the rest (:func:`ketpk.models._route_layer.complete`
for the two default models). Each model accepts the subset of routes it has
(``model.routes``). Values no paper gives are labelled ``assumption`` with the reasoning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import ParameterError, RegimenError
from .registry import did_you_mean

__all__ = ["ROUTE_CMT", "ROUTES", "ROUTE_TABLE", "PARAMETER_KINDS", "ABSORPTION", "ROLES", "RouteSpec",
           "RouteValue", "assumed", "check_route"]


@dataclass(frozen=True, slots=True)
class RouteValue:
    """A route parameter's value (a string with units), description and source (``assumption``
    if no paper gives it: ``source`` then gives the reasoning)."""

    value: str
    description: str
    source: str
    assumption: bool = False


def assumed(value: str, description: str, reason: str) -> RouteValue:
    """A route value that no paper gives, with the reasoning behind it."""
    return RouteValue(value, description, reason, assumption=True)


#: Kind of route parameter -> (canonical unit, meaning). The parameter is ``<kind>_<route>``.
PARAMETER_KINDS: dict[str, tuple[str, str]] = {
    "F": ("", "parent bioavailability of the whole dose (fraction)"),
    "ka": ("1/min", "first-order absorption rate constant"),
    "lag": ("min", "lag time"),
    "D": ("min", "zero-order phase into the depot, where the route has one"),
    "fpre": ("", "fraction of the dose reaching the circulation as norketamine formed "
                 "presystemically (gut wall + liver first pass), enteral routes only"),
    "fsw": ("", "fraction of the dose swallowed (mucosal routes); the swallowed share follows the "
                "oral route's parameters, so the mucosal share's parent fraction is "
                "F_<route> - fsw_<route> * F_oral"),
    "ffast": ("", "share of the dose absorbed at once (the rest at ka_<route>)"),
}

#: How a dose of a route is absorbed (:class:`RouteSpec` ``absorption``; a model may build a
#: route with another kind, e.g. a user card's first-order sublingual route).
ABSORPTION = {
    "direct": "straight into the central compartment (no route parameters)",
    "first-order": "one depot: lag, optional zero-order phase D, first-order ka; F as parent and "
                   "optional fpre as presystemic norketamine",
    "mucosal": "fsw of the dose is swallowed and follows the oral route; the rest is absorbed "
               "through the mucosa (optional zero-order phase D, then ka)",
    "two-phase": "a share ffast absorbed at once, the rest at ka; F of both as parent",
}

#: The parameter kinds each absorption kind uses (the roles a model fills with its own parameter
#: names, :func:`ketpk.routes.table_route`); a mucosal route's swallowed share has the
#: first-order roles.
ROLES: dict[str, tuple[str, ...]] = {
    "direct": ("F", "lag"),
    "first-order": ("F", "fpre", "ka", "D", "lag"),
    "mucosal": ("F", "fsw", "ka", "D", "lag"),
    "two-phase": ("F", "ffast", "ka", "lag"),
}


@dataclass(frozen=True, slots=True)
class RouteSpec:
    """One route of the table: ``cmt`` its NONMEM CMT code when no model is given,
    ``absorption`` a key of :data:`ABSORPTION`, ``kinds`` its parameter kinds (in order),
    ``description`` for model cards and ``defaults`` the default :class:`RouteValue` of some
    of its parameters (by parameter name; a model gives the others, and may override these)."""

    name: str
    cmt: int
    absorption: str
    kinds: tuple[str, ...]
    description: str
    defaults: Mapping[str, RouteValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = ({self.absorption} - set(ABSORPTION)) | (set(self.kinds) - set(ROLES.get(self.absorption, ()))) \
            | (set(self.defaults) - set(self.parameters))
        if unknown:
            raise ParameterError(f"route {self.name!r}: unknown absorption, kinds or defaults "
                                 f"{sorted(unknown)}; see ABSORPTION and ROLES.")

    @property
    def parameters(self) -> tuple[str, ...]:
        """The route's parameter names, ``<kind>_<route>``, in :attr:`kinds` order."""
        return tuple(f"{kind}_{self.name}" for kind in self.kinds)


_NO_LAG = "no lag time reported for this route; first concentrations within minutes"


def _mucosal(route: str, zero_order: bool) -> str:
    zero = f" after a zero-order phase D_{route}" if zero_order else ""
    return (f"{route}: F_{route} parent in total; fsw_{route} of the dose is swallowed and "
            f"follows the oral route; the rest is absorbed through the mucosa{zero} at "
            f"ka_{route} (mucosal parent fraction F_{route} - fsw_{route}·F_oral)")


_ROUTES = (
    RouteSpec("iv", 1, "direct", (), "IV bolus or infusion into the central compartment"),
    RouteSpec("im", 2, "first-order", ("F", "ka", "lag"),
              "intramuscular: first-order absorption (F_im, ka_im, lag_im)", {
        "ka_im": assumed("0.13 1/min", "IM absorption rate constant",
                         "chosen to give a parent Tmax of 15 min in the Otto 2021 disposition: Hirlinger & Dick 1984 (Anaesthesist "
                         "33:272) median peak 15 min after 1 mg/kg IM racemic, secondary IM Tmax "
                         "5-15 min; no adult IM ka is published"),
        "lag_im": RouteValue("0 min", "IM lag time", _NO_LAG),
    }),
    RouteSpec("sc", 3, "first-order", ("F", "ka", "lag"),
              "subcutaneous: first-order absorption (F_sc, ka_sc, lag_sc)", {
        "F_sc": assumed("0.93", "SC bioavailability",
                        "no SC bioavailability is published (continuous SC ketamine is used in palliative "
                        "care without PK); SC, like IM, is parenteral without first pass, and Loo 2016 "
                        "(Acta Psychiatr Scand 134:48) gave IM and SC at equal mg/kg doses; IM F used"),
        "ka_sc": assumed("0.045 1/min", "SC absorption rate constant",
                         "chosen to give a parent Tmax of 30 min in the Otto 2021 disposition, twice the IM Tmax (15 min): "
                         "subcutaneous blood flow is lower than muscle's; no SC ka is published "
                         "(Abuhelwa 2022 estimated one, value not retrieved)"),
        "lag_sc": RouteValue("0 min", "SC lag time", _NO_LAG),
    }),
    RouteSpec("oral", 4, "first-order", ("F", "fpre", "ka", "D", "lag"),
              "oral: zero-order phase D_oral into the gut depot, first-order ka_oral; F_oral reaches "
              "the circulation as parent and fpre_oral as norketamine formed in gut wall and liver", {
        "lag_oral": RouteValue("0 min", "oral lag time (the zero-order phase D_oral delays absorption)",
                               "Perez-Ruixo 2021 Table 3 uses a zero-order phase, no lag"),
        "D_oral": RouteValue("0.32 h", "oral zero-order phase into the gut depot",
                             "Perez-Ruixo 2021 Table 3, Dpo (esketamine oral solution)"),
    }),
    RouteSpec("sublingual", 5, "mucosal", ("F", "fsw", "ka", "D", "lag"), _mucosal("sublingual", True), {
        "lag_sublingual": RouteValue("0 min", "sublingual lag time",
                                     "Simons 2022 (no lag; zero-order phase D1); Rolan 2014 first "
                                     "quantifiable concentration < 5 min"),
        "D_sublingual": RouteValue("13.1 min", "sublingual zero-order phase into the mucosal depot",
                                   "Simons 2022 Table 4, D1 (S-ketamine oral thin film), via nlmixr2lib"),
    }),
    RouteSpec("buccal", 6, "mucosal", ("F", "fsw", "ka", "D", "lag"), _mucosal("buccal", True)),
    RouteSpec("intranasal", 7, "mucosal", ("F", "fsw", "ka", "lag"), _mucosal("intranasal", False), {
        "lag_intranasal": RouteValue("0 min", "intranasal lag time", "Perez-Ruixo 2021 (no lag)"),
        "ka_intranasal": RouteValue("2.93 1/h", "intranasal (nasal mucosa) absorption rate constant",
                                    "Perez-Ruixo 2021 Table 3, ka_n (esketamine nasal spray)"),
    }),
    RouteSpec("rectal", 8, "first-order", ("F", "fpre", "ka", "lag"),
              "rectal: first-order absorption; F_rectal as parent, fpre_rectal as norketamine "
              "(the part draining to the portal vein)", {
        "ka_rectal": assumed("0.028 1/min", "rectal absorption rate constant",
                             "chosen to give a parent Tmax of 42 min in the Otto 2021 disposition, observed after rectal racemic "
                             "ketamine in children (Malinovsky 1996 Br J Anaesth 77:203); no adult "
                             "rectal Tmax or ka is published"),
        "lag_rectal": RouteValue("0 min", "rectal lag time", _NO_LAG),
    }),
    RouteSpec("transdermal", 9, "first-order", ("F", "ka", "D", "lag"),
              "transdermal: the dose is the patch's labelled delivered amount, released "
              "zero-order over D_transdermal into a skin depot, absorbed at ka_transdermal", {
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
    }),
    RouteSpec("inhaled", 10, "two-phase", ("F", "ffast", "ka", "lag"),
              "inhaled (nebulised): F_inhaled, a share ffast_inhaled absorbed at once and the "
              "rest at ka_inhaled; linear (Jonkman's concentration-dependent F loss is not modelled)", {
        "ffast_inhaled": assumed("0.5", "share of the inhaled dose absorbed at once",
                                 "Jonkman 2017 (Anesthesiology 127:675) has an immediate and a slow "
                                 "pathway; their split was not retrieved, an even split is assumed"),
        "ka_inhaled": RouteValue("0.05 1/min", "slow-pathway absorption rate constant of inhaled drug",
                                 "Jonkman 2017 abstract, slow absorption 0.05 ± 0.01 /min (S-ketamine)"),
        "lag_inhaled": RouteValue("0 min", "inhaled lag time", "Jonkman 2017 (immediate pathway)"),
    }),
)

#: Route name -> its :class:`RouteSpec`, in the order of the CMT codes.
ROUTE_TABLE: dict[str, RouteSpec] = {spec.name: spec for spec in _ROUTES}

#: Route name -> NONMEM CMT code used when no model is given (one code per route).
ROUTE_CMT: dict[str, int] = {name: spec.cmt for name, spec in ROUTE_TABLE.items()}

#: Route names a regimen may use, in the order of their codes.
ROUTES: tuple[str, ...] = tuple(ROUTE_TABLE)


#: Spelled-out names and clinical abbreviations (any case) of the routes, for the hint of a
#: refused route only: ``route="intravenous"`` is refused with "Did you mean 'iv'?".
_ALIASES: dict[str, str] = {
    "intravenous": "iv", "i.v.": "iv", "intramuscular": "im", "i.m.": "im", "subcutaneous": "sc",
    "s.c.": "sc", "sq": "sc", "subcut": "sc", "po": "oral", "p.o.": "oral", "sl": "sublingual",
    "nasal": "intranasal", "in": "intranasal", "pr": "rectal", "td": "transdermal",
    "inhalation": "inhaled",
}


def check_route(route: str) -> str:
    """Return ``route`` if it is a known route name, else raise with close matches (a route's
    spelled-out name, abbreviation or other case first)."""
    if not isinstance(route, str) or route not in ROUTES:
        key = route.strip().lower() if isinstance(route, str) else None
        alias = key if key in ROUTES else _ALIASES.get(key)
        hint = f" Did you mean {alias!r}?" if alias else did_you_mean(route, ROUTES)
        raise RegimenError(f"`route` must be one of {', '.join(ROUTES)}; got {route!r}.{hint}")
    return route
