"""The route vocabulary: every route a regimen may use, with its NONMEM compartment code.

:data:`ROUTE_CMT` is the one table of route names and their CMT codes (written into event
tables when no model is given; a model's own mapping is :func:`ketpk.eventtable.cmt_map`). Each
model accepts the subset of routes it has (``model.routes``); a route's parameters (F, ka, lag)
are the model's (:mod:`ketpk.routes`).
"""

from __future__ import annotations


from .errors import RegimenError
from .registry import did_you_mean

__all__ = ["ROUTE_CMT", "ROUTES", "check_route"]

#: Route name -> NONMEM CMT code used when no model is given (one code per route).
ROUTE_CMT: dict[str, int] = {
    "iv": 1, "im": 2, "sc": 3, "oral": 4, "sublingual": 5, "buccal": 6, "intranasal": 7,
    "rectal": 8, "transdermal": 9, "inhaled": 10,
}

#: Route names a regimen may use, in the order of their codes.
ROUTES: tuple[str, ...] = tuple(ROUTE_CMT)


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
