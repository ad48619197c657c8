"""The :class:`Protocol` value (a Regimen with its citation) and the registry that
:func:`ketpk.protocols.get` reads."""

from __future__ import annotations

import functools
import inspect
import math
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..citations import Citation
from ..display import Card, CardData, quantity_text, value_text
from ..errors import ProtocolLimitWarning, RegimenError, UnitError
from ..named import NamedRegimen
from ..regimen import Infusion, Regimen, as_regimen
from ..registry import Entry
from ..units import parse_dose

__all__ = ["Protocol", "ProtocolSummary", "register", "single_infusion", "check_limit", "REGISTRY"]


def _of_regimen(name: str) -> Any:
    """Regimen method ``name`` applied to the protocol's :attr:`Protocol.regimen`."""
    method = getattr(Regimen, name)

    @functools.wraps(method)
    def delegate(self: Protocol, *args: Any, **kwargs: Any) -> Any:
        return method(self.regimen, *args, **kwargs)

    return delegate


@dataclass(frozen=True, repr=False)
class Protocol(Card, NamedRegimen):
    """A published regimen: a :class:`~ketpk.Regimen` (``regimen``, doses in mg; per-weight
    doses resolve per subject at simulation time) with its name, citation, drug form, steps,
    assumptions and options. A frozen value; every function that takes a Regimen takes a
    Protocol (and simulates its ``regimen``).

    ``regimen`` may be given as the doses; it is stored as a Regimen of the protocol's ``drug``.
    A small set of Regimen methods is delegated to ``regimen``: ``doses``, iteration and
    ``len``, ``resolve``, the one-subject summaries (``total_amount`` mg, ``amount_per_day`` mg,
    ``max_rate`` mg/h, ``duration`` h, ``capped_doses``), ``to_event_table``, ``shifted`` and
    ``+`` (these two give a plain Regimen of the same drug form). For the rest (``repeat``,
    ``with_steady_state``, ``parts``) use ``protocol.regimen``.
    """

    regimen: Regimen
    name: str
    drug: str
    citation: Citation
    steps: tuple[str, ...]
    assumptions: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.drug not in ("esketamine", "racemic"):
            raise RegimenError(f"protocol `drug` must be 'esketamine' or 'racemic'; got {self.drug!r}.")
        if not isinstance(self.name, str) or not self.name:
            raise RegimenError(f"protocol `name` must be a non-empty string; got {self.name!r}.")
        if not isinstance(self.citation, Citation):
            raise RegimenError(f"protocol {self.name!r}: `citation` must be a ketpk.Citation; got "
                               f"{self.citation!r} of type {type(self.citation).__name__}.")
        for key in ("steps", "assumptions"):
            value = getattr(self, key)
            if isinstance(value, str) or not isinstance(value, (tuple, list)) or \
                    not all(isinstance(v, str) for v in value):
                example = f"({value!r},)" if isinstance(value, str) else "('first line', 'second line')"
                raise RegimenError(f"protocol {self.name!r}: `{key}` must be a tuple of strings (one "
                                   f"per line); got {value!r}. E.g. {key}={example}.")
        if not isinstance(self.options, dict):
            raise RegimenError(f"protocol {self.name!r}: `options` must be a dict; got {self.options!r}.")
        regimen = as_regimen(self.regimen) if isinstance(self.regimen, NamedRegimen) else self.regimen
        if not isinstance(regimen, Regimen):
            regimen = Regimen(regimen, drug=self.drug)
        elif regimen.drug is None:
            regimen = Regimen(regimen.doses, steady_state=regimen.steady_state, drug=self.drug)
        elif regimen.drug != self.drug:
            raise RegimenError(f"protocol {self.name!r} is for {self.drug}, but its regimen doses "
                               f"{regimen.drug}; give doses of one drug form.")
        for key, value in {"regimen": regimen, "steps": tuple(self.steps),
                           "assumptions": tuple(self.assumptions),
                           "options": dict(self.options)}.items():
            object.__setattr__(self, key, value)

    @property
    def doses(self) -> tuple[Any, ...]:
        """The regimen's doses, sorted by start time."""
        return self.regimen.doses

    def __iter__(self) -> Iterator[Any]:
        return iter(self.regimen)

    def __len__(self) -> int:
        return len(self.regimen)

    def __add__(self, other: Any) -> Regimen:
        return self.regimen + other

    def __radd__(self, other: Any) -> Regimen:
        return other + self.regimen

    resolve = _of_regimen("resolve")
    total_amount = _of_regimen("total_amount")
    amount_per_day = _of_regimen("amount_per_day")
    max_rate = _of_regimen("max_rate")
    duration = _of_regimen("duration")
    capped_doses = _of_regimen("capped_doses")
    to_event_table = _of_regimen("to_event_table")
    shifted = _of_regimen("shifted")

    @property
    def routes(self) -> tuple[str, ...]:
        """Routes the doses use, in first-use order."""
        return tuple(dict.fromkeys(d.route for d in self.doses))

    def card(self) -> CardData:
        """Name, drug, routes, citation, options, steps and assumption count (one screen)."""
        options = ", ".join(f"{k}={value_text(v)}" for k, v in self.options.items()) or "none"
        return CardData(
            title=f"Protocol {self.name} ({self.drug}; routes {', '.join(self.routes)})",
            facts=[("citation", str(self.citation)), ("options", options),
                   ("assumptions", f"{len(self.assumptions)} (see .assumptions)")],
            rows=[{"step": step} for step in self.steps],
            hint="describe(subject) adds totals and binding caps")

    def describe(self, subject: Any = None) -> str:
        """Steps, drug form, citation and assumptions; with a subject also totals and binding caps."""
        lines = [f"{self.name} ({self.drug}; routes {', '.join(self.routes)})",
                 f"  citation: {self.citation}"]
        if self.options:
            lines.append("  options: " + ", ".join(f"{k}={value_text(v)}" for k, v in self.options.items()))
        lines += [f"  step: {s}" for s in self.steps]
        lines += [f"  ASSUMPTION: {a}" for a in self.assumptions]
        if subject is not None:
            lines.append(f"  for {subject}: total {quantity_text(self.total_amount(subject), 4)}, "
                         f"max rate {quantity_text(self.max_rate(subject), 4)}, "
                         f"duration {quantity_text(self.duration(subject), 4)}")
            for dose, asked, given in self.capped_doses(subject):
                lines.append(f"  CAP BINDS at {dose.start}: {quantity_text(asked, 4)} asked, "
                             f"{quantity_text(given, 4)} given")
        return "\n".join(lines)


@dataclass(frozen=True)
class ProtocolSummary(Entry):
    """One row of :func:`ketpk.protocols.available`: an :class:`~ketpk.registry.Entry` (``id``
    the protocol's name) with the routes its doses use."""

    routes: tuple[str, ...]

    @property
    def name(self) -> str:
        """The protocol's name, as :func:`ketpk.protocols.get` takes it (= ``id``)."""
        return self.id


REGISTRY: dict[str, Callable[..., Protocol]] = {}


def register(builder: Callable[..., Protocol]) -> Callable[..., Protocol]:
    """Add a protocol builder (keyword-only options with defaults) under its function name."""
    for param in inspect.signature(builder).parameters.values():
        if param.kind is not inspect.Parameter.KEYWORD_ONLY or param.default is inspect.Parameter.empty:
            raise TypeError(f"protocol {builder.__name__}: options must be keyword-only with defaults.")
    REGISTRY[builder.__name__] = builder
    return builder


def single_infusion(name: str, drug: str, citation: Citation, *, assumptions: tuple[str, ...] = (),
                    **infusion: Any) -> Protocol:
    """A protocol of one IV infusion at time 0 (``infusion``: two of amount, rate, duration)."""
    text = ", ".join(f"{k} {v:.4g~P}" if hasattr(v, "units") else f"{k} {v}" for k, v in infusion.items())
    form = "S(+)-ketamine" if drug == "esketamine" else "racemic ketamine"
    return Protocol([Infusion("0 min", **infusion)], name=name, drug=drug, citation=citation,
                    steps=(f"IV {form} infusion: {text}",), assumptions=assumptions,
                    options=dict(infusion))


def check_limit(protocol: str, option: str, value: Any, limits: tuple[Any, ...], source: str) -> None:
    """Warn (:class:`ProtocolLimitWarning`) if the rate option ``value`` exceeds a published maximum.

    ``limits`` are rates (e.g. ``"0.35 mg/kg/h"`` and ``"25 mg/h"``); ``value`` is compared, in
    mg/min, with the one of its kind (per kg or absolute). ``None`` (no limit given, e.g. no cap)
    also warns.
    """
    if value is None:
        shown = " or ".join(value_text(limit) for limit in limits)
        warnings.warn(f"{protocol}: `{option}` is None, but the protocol never exceeds {shown} "
                      f"({source}); the regimen is simulated without that limit.",
                      ProtocolLimitWarning, stacklevel=4)
        return
    published = [(limit, *parse_dose(limit, "limit", kind="rate")) for limit in limits]
    try:
        rate, per_weight = parse_dose(value, option, kind="rate")
    except UnitError:
        rate, per_weight = math.nan, None
    comparable = [(limit, most) for limit, most, per_kg in published if per_kg == per_weight]
    if not comparable:
        kinds = " or ".join(("a per-weight rate like " if per_kg else "a rate like ") + value_text(limit)
                            for limit, _, per_kg in published)
        raise RegimenError(f"`{option}` of protocol {protocol!r} must be {kinds}; got {value}.")
    for limit, most in comparable:
        if rate > most * (1 + 1e-12):
            warnings.warn(f"{protocol}: `{option}` {value} exceeds the published maximum {value_text(limit)} "
                          f"({source}); the regimen is simulated as asked, outside the protocol.",
                          ProtocolLimitWarning, stacklevel=4)
