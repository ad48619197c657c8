"""Dosing regimens: immutable boluses and infusions, repeated and combined.

Doses are masses of the free base (mg), absolute or per kg of body weight (``"0.5 mg/kg"``,
``"0.35 mg/kg/h"``); per-weight doses are resolved with each subject's weight at simulation time.

Tie rule: a dose given at the same time as an output time acts *before* the observation, so
the output shows the state just after a bolus (and the infusion rate that starts then).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Union

import numpy as np

from .errors import RegimenError
from .units import as_quantity, parse_dose, to_canonical

__all__ = ["ROUTES", "Bolus", "Infusion", "Regimen", "ResolvedDose"]

#: Route names a regimen may use; each model accepts the subset it has.
ROUTES: tuple[str, ...] = (
    "iv", "im", "sc", "oral", "sublingual", "buccal", "intranasal", "rectal", "transdermal", "inhaled",
)


def check_route(route: str) -> str:
    """Return ``route`` if it is a known route name, else raise with close matches."""
    if not isinstance(route, str) or route not in ROUTES:
        close = difflib.get_close_matches(str(route), ROUTES, n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise RegimenError(f"`route` must be one of {', '.join(ROUTES)}; got {route!r}.{hint}")
    return route


def _finite_positive(value: float, name: str, shown: Any, *, allow_zero: bool = False) -> None:
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        rule = "finite and non-negative" if allow_zero else "finite and positive"
        raise RegimenError(f"`{name}` must be {rule}; got {shown}.")


def _time(value: Any, name: str) -> float:
    minutes = to_canonical(value, "[time]", name)
    if np.ndim(minutes):
        raise RegimenError(f"`{name}` must be a single time; got {value}.")
    _finite_positive(minutes, name, value, allow_zero=True)
    return float(minutes)


def _duration(value: Any, name: str) -> float:
    minutes = to_canonical(value, "[time]", name)
    if np.ndim(minutes):
        raise RegimenError(f"`{name}` must be a single duration; got {value}.")
    _finite_positive(minutes, name, value)
    return float(minutes)


@dataclass(frozen=True, slots=True)
class ResolvedDose:
    """A dose for a batch of subjects in canonical units (private to the engine).

    ``amount`` (mg) and ``rate`` (mg/min) and ``duration`` (min) are arrays over subjects;
    a bolus has ``duration`` None and ``rate`` None.
    """

    route: str
    time: float
    amount: np.ndarray
    rate: np.ndarray | None = None
    duration: np.ndarray | None = None


def _per_subject(magnitude: float, per_weight: bool, weights: np.ndarray | None, name: str,
                 shown: Any, n: int) -> np.ndarray:
    if not per_weight:
        return np.full(n, magnitude)
    if weights is None:
        raise RegimenError(
            f"`{name}` is given per body weight ({shown}) but no subject weight is known. "
            "Pass subjects=ketpk.Subject(weight='70 kg') (or a population) to simulate()."
        )
    return magnitude * weights


@dataclass(frozen=True, slots=True)
class Bolus:
    """A single dose given at once (IV push) or into an absorption site (oral, IM, ...).

    Parameters
    ----------
    time : Quantity or str [time]
        When the dose is given, from the start of the regimen (>= 0).
    amount : Quantity or str [mass] or [mass]/[mass]
        Dose as free base, e.g. ``"25 mg"`` or ``"0.5 mg/kg"``.
    route : str
        One of :data:`ROUTES`; the model must have it.
    """

    time: Any
    amount: Any
    route: str = "iv"
    _time_min: float = field(init=False, repr=False, compare=False)
    _amount: tuple[float, bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "time", as_quantity(self.time, "time"))
        object.__setattr__(self, "amount", as_quantity(self.amount, "amount"))
        check_route(self.route)
        object.__setattr__(self, "_time_min", _time(self.time, "time"))
        amount = parse_dose(self.amount, "amount", kind="amount")
        _finite_positive(amount[0], "amount", self.amount)
        object.__setattr__(self, "_amount", amount)

    @property
    def start_minutes(self) -> float:
        """Dose time in minutes."""
        return self._time_min

    def shifted(self, by: Any) -> Bolus:
        """The same bolus ``by`` later (a Quantity [time]; may be negative if it stays >= 0)."""
        return replace(self, time=self.time + as_quantity(by, "by"))

    def resolve(self, weights: np.ndarray | None, n: int) -> ResolvedDose:
        """Canonical per-subject amounts; ``weights`` in kg or None."""
        amount = _per_subject(*self._amount, weights, "amount", self.amount, n)
        return ResolvedDose(self.route, self._time_min, amount)

    def repeat(self, *, every: Any, count: int) -> Regimen:
        """This dose ``count`` times, ``every`` apart (NONMEM ADDL = count - 1, II = every)."""
        return Regimen([self]).repeat(every=every, count=count)

    def __add__(self, other: Dose | Regimen) -> Regimen:
        return Regimen([self]) + other


@dataclass(frozen=True, slots=True)
class Infusion:
    """A zero-order infusion. Give exactly two of ``amount``, ``rate`` and ``duration``.

    Parameters
    ----------
    start : Quantity or str [time]
        Start time from the start of the regimen (>= 0).
    route : str
        ``"iv"`` usually; ``"sc"`` or ``"transdermal"`` feed their absorption depot.
    amount : Quantity or str [mass] or per weight, optional
        Total amount infused, e.g. ``"0.5 mg/kg"``.
    rate : Quantity or str [mass]/[time] or per weight, optional
        Infusion rate, e.g. ``"20 mg/h"`` or ``"1.2 ug/kg/min"``.
    duration : Quantity or str [time], optional
        Infusion duration.

    Notes
    -----
    When a route has bioavailability F < 1, the duration is kept and the rate scaled by F.
    """

    start: Any
    route: str = "iv"
    amount: Any = None
    rate: Any = None
    duration: Any = None
    _start_min: float = field(init=False, repr=False, compare=False)
    _amount: tuple[float, bool] | None = field(init=False, repr=False, compare=False)
    _rate: tuple[float, bool] | None = field(init=False, repr=False, compare=False)
    _duration_min: float | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        given = {k: v for k, v in (("amount", self.amount), ("rate", self.rate),
                                   ("duration", self.duration)) if v is not None}
        if len(given) != 2:
            raise RegimenError(
                "`Infusion` needs exactly two of `amount`, `rate` and `duration`; got "
                f"{', '.join(f'{k}={v}' for k, v in given.items()) or 'none'}. "
                "E.g. Infusion(start='0 min', amount='10 mg', duration='30 min')."
            )
        check_route(self.route)
        object.__setattr__(self, "start", as_quantity(self.start, "start"))
        object.__setattr__(self, "_start_min", _time(self.start, "start"))
        parsed: dict[str, Any] = {"amount": None, "rate": None, "duration": None}
        for key, value in given.items():
            quantity = as_quantity(value, key)
            object.__setattr__(self, key, quantity)
            if key == "duration":
                parsed[key] = _duration(quantity, "duration")
            else:
                parsed[key] = parse_dose(quantity, key, kind=key)
                _finite_positive(parsed[key][0], key, quantity)
        object.__setattr__(self, "_amount", parsed["amount"])
        object.__setattr__(self, "_rate", parsed["rate"])
        object.__setattr__(self, "_duration_min", parsed["duration"])

    @property
    def start_minutes(self) -> float:
        """Start time in minutes."""
        return self._start_min

    def shifted(self, by: Any) -> Infusion:
        """The same infusion started ``by`` later."""
        return replace(self, start=self.start + as_quantity(by, "by"))

    def resolve(self, weights: np.ndarray | None, n: int) -> ResolvedDose:
        """Canonical per-subject amount (mg), rate (mg/min) and duration (min)."""
        amount = rate = duration = None
        if self._amount is not None:
            amount = _per_subject(*self._amount, weights, "amount", self.amount, n)
        if self._rate is not None:
            rate = _per_subject(*self._rate, weights, "rate", self.rate, n)
        if self._duration_min is not None:
            duration = np.full(n, self._duration_min)
        if duration is None:
            duration = amount / rate
        elif rate is None:
            rate = amount / duration
        else:
            amount = rate * duration
        return ResolvedDose(self.route, self._start_min, amount, rate, duration)

    def repeat(self, *, every: Any, count: int) -> Regimen:
        """This infusion ``count`` times, starting ``every`` apart."""
        return Regimen([self]).repeat(every=every, count=count)

    def __add__(self, other: Dose | Regimen) -> Regimen:
        return Regimen([self]) + other


Dose = Union[Bolus, Infusion]


class Regimen:
    """An immutable, time-sorted sequence of doses.

    Build it from doses (``Regimen([Bolus(...), Infusion(...)])``), combine with ``+`` and repeat
    with :meth:`repeat`. Doses at equal times keep the order given.
    """

    __slots__ = ("_doses",)

    def __init__(self, doses: Iterable[Dose] = ()) -> None:
        doses = tuple(doses)
        for dose in doses:
            if not isinstance(dose, (Bolus, Infusion)):
                raise RegimenError(
                    f"`Regimen` takes Bolus and Infusion objects; got {dose!r} of type "
                    f"{type(dose).__name__}."
                )
        self._doses: tuple[Dose, ...] = tuple(sorted(doses, key=lambda d: d.start_minutes))

    @property
    def doses(self) -> tuple[Dose, ...]:
        """The doses, sorted by start time."""
        return self._doses

    def __iter__(self) -> Iterator[Dose]:
        return iter(self._doses)

    def __len__(self) -> int:
        return len(self._doses)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Regimen) and self._doses == other._doses

    def __hash__(self) -> int:
        return hash(self._doses)

    def __repr__(self) -> str:
        return f"Regimen({list(self._doses)!r})"

    def __add__(self, other: Dose | Regimen) -> Regimen:
        if isinstance(other, (Bolus, Infusion)):
            other = Regimen([other])
        if not isinstance(other, Regimen):
            return NotImplemented
        return Regimen(self._doses + other._doses)

    __radd__ = __add__

    def shifted(self, by: Any) -> Regimen:
        """Every dose ``by`` later."""
        return Regimen(d.shifted(by) for d in self._doses)

    def repeat(self, *, every: Any, count: int) -> Regimen:
        """The whole regimen ``count`` times, each copy ``every`` after the previous one."""
        if not isinstance(count, (int, np.integer)) or isinstance(count, bool) or count < 1:
            raise RegimenError(f"`count` must be a whole number >= 1; got {count!r}.")
        interval = as_quantity(every, "every")
        _duration(interval, "every")
        return Regimen(d.shifted(interval * k) for k in range(int(count)) for d in self._doses)

    def resolve(self, weights: np.ndarray | None, n: int) -> list[ResolvedDose]:
        """Per-subject canonical doses; ``weights`` (kg) resolves per-weight doses."""
        return [dose.resolve(weights, n) for dose in self._doses]
