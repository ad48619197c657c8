"""A named regimen: a :class:`~ketpk.Regimen` held together with a name and the assumptions
behind it (a published protocol, :class:`ketpk.protocols.Protocol`).

The abstract type lives in this leaf so that every front door (the pipeline's
:func:`ketpk.regimen.as_regimen`, the event-table export) recognises one without importing
the protocol library.
"""

from __future__ import annotations

from abc import ABC
from typing import Any

__all__ = ["NamedRegimen"]


class NamedRegimen(ABC):
    """A value that holds a Regimen: what an implementer provides (as attributes or fields).

    1. ``regimen``: the :class:`~ketpk.Regimen` (doses in mg; times from 0);
    2. ``name``: a short name for titles and assumption labels;
    3. ``assumptions``: a tuple of strings, every part of the regimen not in its source.

    Every function that takes a Regimen takes a NamedRegimen too and simulates ``regimen``;
    results keep the named value (its name in titles, its assumptions in ``result.assumptions``).
    """

    __slots__ = ()

    regimen: Any
    name: str
    assumptions: tuple[str, ...]
