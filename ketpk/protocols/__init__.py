"""The clinical regimen library: named, cited, parametrised regimens.

>>> import ketpk
>>> reg = ketpk.protocols.get("schwartzman2009")
>>> reg.total_amount(ketpk.Subject(weight="100 kg"))  # capped at 25 mg/h
<Quantity(1000.0, 'milligram')>

Each protocol is a frozen :class:`Protocol` that holds a Regimen (``regimen``) with ``drug``
(the model form it is for: ``"esketamine"`` or ``"racemic"``), ``citation``, ``steps``,
``assumptions`` (every part not in the paper) and :meth:`Protocol.describe`; every function that
takes a Regimen takes a Protocol. Options are keyword arguments of :func:`get`.
"""

from __future__ import annotations

import inspect
from typing import Any

from ..errors import RegimenError
from ..registry import lookup
from . import chronic_pain, depression, experimental  # noqa: F401  (registers the protocols)
from ._base import REGISTRY, Protocol, ProtocolSummary
from .targets import TargetProtocol, target_protocol, target_protocols

__all__ = ["available", "get", "options", "Protocol", "ProtocolSummary", "TargetProtocol",
           "target_protocol", "target_protocols"]


def available() -> list[ProtocolSummary]:
    """Every protocol with its drug form, routes, citation and one-line summary."""
    out = []
    for name, builder in sorted(REGISTRY.items()):
        default = builder()
        out.append(ProtocolSummary(id=name, drug=default.drug, citation=str(default.citation),
                                   summary=inspect.getdoc(builder).splitlines()[0], routes=default.routes))
    return out


def options(name: str) -> dict[str, Any]:
    """The options of protocol ``name`` with their defaults."""
    return {p.name: p.default for p in inspect.signature(_builder(name)).parameters.values()}


def get(name: str, **kwargs: Any) -> Protocol:
    """The protocol ``name`` built with ``kwargs`` (see :func:`options`)."""
    builder = _builder(name)
    unknown = set(kwargs) - set(options(name))
    if unknown:
        raise RegimenError(f"protocol {name!r} has no option {', '.join(sorted(map(repr, unknown)))}; "
                           f"its options are {', '.join(options(name))}.")
    return builder(**kwargs)


def _builder(name: str) -> Any:
    return lookup(REGISTRY, name, "protocol", names=sorted(REGISTRY))
