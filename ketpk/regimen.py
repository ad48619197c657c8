"""Dosing regimens: immutable boluses and infusions, repeated and combined.

Doses are masses of the free base (mg), absolute or per kg of body weight (``"0.5 mg/kg"``,
``"0.35 mg/kg/h"``); per-weight doses are resolved with each subject's weight at simulation time.

Tie rule: a dose given at the same time as an output time acts *before* the observation, so
the output shows the state just after a bolus (and the infusion rate that starts then).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any, Union

import numpy as np

from .errors import RegimenError
from .named import NamedRegimen
from .routecodes import ROUTES, check_route
from .subject import subject_weights
from .units import add_times, as_quantity, lazy_quantity, parse_dose, read_dose, read_known, to_canonical

__all__ = ["ROUTES", "Bolus", "Infusion", "Regimen", "ResolvedDose", "SteadyState", "as_regimen",
           "DoseSchedule", "dose_schedule"]

#: Drug forms a regimen may declare (None: not declared).
DRUG_FORMS = (None, "esketamine", "racemic")

#: The most doses one regimen may hold (a bound on memory and on the schedule's size).
MAX_DOSES = 100_000


#: An example of a valid value per argument, for the fix in error messages.
_EXAMPLES = {"amount": "'25 mg' or '0.5 mg/kg'", "rate": "'20 mg/h' or '0.35 mg/kg/h'",
             "cap": "'25 mg' or '25 mg/h'", "duration": "'40 min'", "every": "'24 h'",
             "time": "'0 min'", "start": "'0 min'"}


def _finite_positive(value: float, name: str, shown: Any, *, allow_zero: bool = False) -> None:
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        rule = "finite and non-negative" if allow_zero else "finite and positive"
        fix = "leave the dose out" if name in ("amount", "rate") and value == 0 else "give"
        since = " (time from the start of the regimen)" if allow_zero else ""
        raise RegimenError(f"`{name}` must be {rule}{since}; got {shown}. To fix: {fix} a value "
                           f"such as {_EXAMPLES.get(name, 'a positive quantity')}.")


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
                 dose: Any, n: int) -> np.ndarray:
    """``magnitude`` for ``n`` subjects, times each weight (kg) if ``per_weight``; ``dose`` and
    ``name`` say which value is meant in errors."""
    if not per_weight:
        return np.full(n, magnitude)
    if weights is None:
        raise RegimenError(
            f"`{name}` is given per body weight ({getattr(dose, name)}) but no subject weight is known. "
            "Pass subjects=ketpk.Subject(weight='70 kg') (or a population) to simulate()."
        )
    return magnitude * weights


def _parse_caps(dose: Any, kind: str) -> None:
    """Normalise ``dose.cap`` to a tuple (known dose strings kept, read without pint; the rest
    made Quantities) and store ``(magnitude, per_weight)`` pairs."""
    cap = dose.__dict__["cap"]
    caps = () if cap is None else tuple(cap) if isinstance(cap, (list, tuple)) else (cap,)
    kept = tuple(value if _known_dose(value, kind) else as_quantity(value, "cap") for value in caps)
    parsed = []
    for value in kept:
        magnitude, per_weight = parse_dose(value, "cap", kind=kind)
        _finite_positive(magnitude, "cap", value)
        parsed.append((magnitude, per_weight))
    object.__setattr__(dose, "cap", kept or None)
    object.__setattr__(dose, "_caps", tuple(parsed))


def _apply_caps(value: np.ndarray, dose: Any, weights: np.ndarray | None, n: int) -> np.ndarray:
    """``value`` limited by every cap of ``dose`` (the smallest wins), caps resolved per subject."""
    for magnitude, per_weight in dose._caps:
        value = np.minimum(value, _per_subject(magnitude, per_weight, weights, "cap", dose, n))
    return value


def _given(dose: Any, name: str, known: Any) -> Any:
    """The value given for field ``name``: kept as given when ``known`` (a string read without
    pint; a Quantity on first access), else made a Quantity now, with pint's checks."""
    value = dose.__dict__[name]
    if known is None:
        value = as_quantity(value, name)
        object.__setattr__(dose, name, value)
    return value


def _known_time(value: Any) -> Any:
    """``value`` read without pint if it is a time string of :data:`~ketpk.units.KNOWN_UNITS`."""
    known = read_known(value) if isinstance(value, str) else None
    return known if known is not None and known[1] == "[time]" else None


def _known_dose(value: Any, kind: str) -> Any:
    """``value`` read without pint if it is a dose string :func:`~ketpk.units.read_dose` knows."""
    return read_dose(value, kind) if isinstance(value, str) else None


class _DoseOps:
    """What a single dose shares with a regimen: repetition, ``+``, moving it in time, and
    equality and hashing on its canonical values (min, mg, mg/min: equal after a pickle round
    trip, and without pint)."""

    __slots__ = ()
    _TIME = ""  # the time field: "time" (Bolus) or "start" (Infusion)

    def repeat(self, *, every: Any, count: int) -> Regimen:
        """This dose ``count`` times, ``every`` apart (NONMEM ADDL = count - 1, II = every)."""
        return Regimen([self]).repeat(every=every, count=count)

    def shifted(self, by: Any) -> Any:
        """The same dose ``by`` later (Quantity or string [time]; may be negative if the time
        stays >= 0)."""
        return self._moved(by, 1)

    def _moved(self, by: Any, times: int) -> Any:
        """The dose ``times × by`` later; known time strings are added without pint."""
        raw = {f.name: self.__dict__[f.name] for f in fields(self) if f.init}  # type: ignore[arg-type]
        raw[self._TIME] = add_times(raw[self._TIME], by, times)
        return type(self)(**raw)

    def _canonical(self) -> tuple:
        return (self.route, self.start_minutes, getattr(self, "_amount", None), getattr(self, "_rate", None),
                getattr(self, "_duration_min", None), self._caps)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._canonical() == other._canonical()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._canonical()))

    def __add__(self, other: Dose | Regimen) -> Regimen:
        return Regimen([self]) + other


@dataclass(frozen=True, eq=False)
class Bolus(_DoseOps):
    """A single dose given at once (IV push) or into an absorption site (oral, IM, ...).

    Parameters
    ----------
    time : Quantity or str [time]
        When the dose is given, from the start of the regimen (>= 0).
    amount : Quantity or str [mass] or [mass]/[mass]
        Dose as free base, e.g. ``"25 mg"`` or ``"0.5 mg/kg"``.
    route : str
        One of :data:`ROUTES`; the model must have it.
    cap : Quantity or str, or a sequence of them, optional
        Upper limits of the amount, absolute (``"25 mg"``) and/or per weight (``"0.5 mg/kg"``);
        each subject gets the smallest of the dose and every cap.
    """

    time: Any
    amount: Any
    route: str = "iv"
    cap: Any = None
    _TIME = "time"
    _time_min: float = field(init=False, repr=False, compare=False)
    _amount: tuple[float, bool] = field(init=False, repr=False, compare=False)
    _caps: tuple[tuple[float, bool], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        time = _given(self, "time", _known_time(self.__dict__["time"]))
        amount_given = _given(self, "amount", _known_dose(self.__dict__["amount"], "amount"))
        check_route(self.route)
        object.__setattr__(self, "_time_min", _time(time, "time"))
        amount = parse_dose(amount_given, "amount", kind="amount")
        _finite_positive(amount[0], "amount", amount_given)
        object.__setattr__(self, "_amount", amount)
        _parse_caps(self, "amount")

    @property
    def start_minutes(self) -> float:
        """Dose time in minutes."""
        return self._time_min

    def resolve(self, weights: np.ndarray | None, n: int, *, capped: bool = True) -> ResolvedDose:
        """Canonical per-subject amounts; ``weights`` in kg or None; ``capped=False`` ignores caps."""
        amount = _per_subject(*self._amount, weights, "amount", self, n)
        if capped:
            amount = _apply_caps(amount, self, weights, n)
        return ResolvedDose(self.route, self._time_min, amount)


@dataclass(frozen=True, eq=False)
class Infusion(_DoseOps):
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

    cap : Quantity or str, or a sequence of them, optional
        Upper limits of the *rate*, absolute (``"25 mg/h"``) and/or per weight
        (``"0.35 mg/kg/h"``); each subject gets the smallest. A capped infusion keeps its
        duration and delivers less.

    Notes
    -----
    ketpk's rule for F: when a route has bioavailability F < 1, an ``Infusion`` keeps its
    duration and the rate reaching the body is F × rate (the bag runs for the set time). NONMEM
    datasets follow the other rule, which :func:`ketpk.simulate_dataset` applies: a record with
    RATE > 0 keeps the rate and lasts F × AMT / RATE. Both deliver F × AMT; with F = 1 (IV in
    every built-in model) they are the same infusion.
    """

    start: Any
    route: str = "iv"
    amount: Any = None
    rate: Any = None
    duration: Any = None
    cap: Any = None
    _TIME = "start"
    _start_min: float = field(init=False, repr=False, compare=False)
    _amount: tuple[float, bool] | None = field(init=False, repr=False, compare=False)
    _rate: tuple[float, bool] | None = field(init=False, repr=False, compare=False)
    _duration_min: float | None = field(init=False, repr=False, compare=False)
    _caps: tuple[tuple[float, bool], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        given = {k: self.__dict__[k] for k in ("amount", "rate", "duration") if self.__dict__[k] is not None}
        if len(given) != 2:
            raise RegimenError(
                "`Infusion` needs exactly two of `amount`, `rate` and `duration`; got "
                f"{', '.join(f'{k}={v}' for k, v in given.items()) or 'none'}. "
                "E.g. Infusion(start='0 min', amount='10 mg', duration='30 min')."
            )
        check_route(self.route)
        start = _given(self, "start", _known_time(self.__dict__["start"]))
        object.__setattr__(self, "_start_min", _time(start, "start"))
        parsed: dict[str, Any] = {"amount": None, "rate": None, "duration": None}
        for key, value in given.items():
            known = _known_time(value) if key == "duration" else _known_dose(value, key)
            value = _given(self, key, known)
            if key == "duration":
                parsed[key] = _duration(value, "duration")
            else:
                parsed[key] = parse_dose(value, key, kind=key)
                _finite_positive(parsed[key][0], key, value)
        object.__setattr__(self, "_amount", parsed["amount"])
        object.__setattr__(self, "_rate", parsed["rate"])
        object.__setattr__(self, "_duration_min", parsed["duration"])
        _parse_caps(self, "rate")

    @property
    def start_minutes(self) -> float:
        """Start time in minutes."""
        return self._start_min

    def resolve(self, weights: np.ndarray | None, n: int, *, capped: bool = True) -> ResolvedDose:
        """Canonical per-subject amount (mg), rate (mg/min) and duration (min).

        ``capped=False`` ignores the caps (the rate the protocol asks for).
        """
        amount = rate = duration = None
        if self._amount is not None:
            amount = _per_subject(*self._amount, weights, "amount", self, n)
        if self._rate is not None:
            rate = _per_subject(*self._rate, weights, "rate", self, n)
        if self._duration_min is not None:
            duration = np.full(n, self._duration_min)
        if duration is None:
            duration = amount / rate
        elif rate is None:
            rate = amount / duration
        else:
            amount = rate * duration
        if capped and self._caps:
            rate = _apply_caps(rate, self, weights, n)
            amount = rate * duration
        return ResolvedDose(self.route, self._start_min, amount, rate, duration)


for _cls, _names in ((Bolus, ("time", "amount", "cap")), (Infusion, ("start", "amount", "rate", "duration", "cap"))):
    for _name in _names:  # a known-unit string waits for pint until the field is read
        lazy_quantity(_cls, _name, lambda dose, name=_name: name)
del _cls, _names, _name

Dose = Union[Bolus, Infusion]


class Regimen:
    """An immutable, time-sorted sequence of doses (mg of free base, times from 0 in any time
    unit), optionally starting at a steady state.

    Build it from doses (``Regimen([Bolus(...), Infusion(...)])``), combine with ``+`` and repeat
    with :meth:`repeat`. Doses at equal times keep the order given. :meth:`with_steady_state`
    makes the subject start at the steady state of a dose repeated forever before time 0
    (NONMEM ``SS=1``). Summaries (:meth:`total_amount`, :meth:`amount_per_day`,
    :meth:`max_rate`, :meth:`duration`) resolve per-weight doses and caps for one subject.
    """

    __slots__ = ("_doses", "_steady_state", "_drug")

    def __init__(self, doses: Iterable[Dose] = (), *, steady_state: Any = None,
                 drug: str | None = None) -> None:
        if isinstance(doses, (Bolus, Infusion)):
            doses = (doses,)
        try:
            doses = tuple(doses)
        except TypeError:
            raise RegimenError(f"`Regimen` takes an iterable of Bolus and Infusion objects; got "
                               f"{doses!r} of type {type(doses).__name__}. E.g. Regimen([Bolus('0 min', "
                               "'25 mg')]).") from None
        if len(doses) > MAX_DOSES:
            raise RegimenError(f"a regimen holds at most {MAX_DOSES} doses; got {len(doses)}. Simulate "
                               "a steady state instead (Regimen.with_steady_state) or fewer doses.")
        for dose in doses:
            if not isinstance(dose, (Bolus, Infusion)):
                raise RegimenError(
                    f"`Regimen` takes Bolus and Infusion objects; got {dose!r} of type "
                    f"{type(dose).__name__}. Wrap amounts in a dose, e.g. Bolus('0 min', '25 mg')."
                )
        object.__setattr__(self, "_doses", tuple(sorted(doses, key=lambda d: d.start_minutes)))
        object.__setattr__(self, "_steady_state", steady_state)
        if drug not in DRUG_FORMS:
            raise RegimenError(f"`drug` must be one of {', '.join(map(repr, DRUG_FORMS[1:]))} or None "
                               f"(undeclared); got {drug!r}. The model's drug form is checked "
                               "against it at simulation.")
        object.__setattr__(self, "_drug", drug)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: `{name}` cannot be set. Build a "
                             "new one (e.g. with +, shifted() or repeat()).")

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)

    def __setstate__(self, state: tuple[None, dict[str, Any]]) -> None:
        # Unpickling (e.g. on a Dask worker) restores the slots past the immutability guard.
        for key, value in state[1].items():
            object.__setattr__(self, key, value)

    @property
    def doses(self) -> tuple[Dose, ...]:
        """The doses, sorted by start time."""
        return self._doses

    @property
    def drug(self) -> str | None:
        """The drug form the doses are of (``"esketamine"`` or ``"racemic"``), or None if not
        declared; simulating it on a model of the other form is an error."""
        return self._drug

    @property
    def steady_state(self) -> Any:
        """The :class:`SteadyState` the regimen starts at, or None."""
        return self._steady_state

    def __iter__(self) -> Iterator[Dose]:
        return iter(self._doses)

    def __len__(self) -> int:
        return len(self._doses)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Regimen) and self._doses == other._doses
                and self._steady_state == other._steady_state)

    def __hash__(self) -> int:
        return hash((self._doses, self._steady_state))

    def __repr__(self) -> str:
        ss = f", steady_state={self._steady_state!r}" if self._steady_state is not None else ""
        return f"Regimen({list(self._doses)!r}{ss})"

    def __add__(self, other: Dose | Regimen) -> Regimen:
        if isinstance(other, (Bolus, Infusion)):
            other = Regimen([other])
        if not isinstance(other, Regimen):
            return NotImplemented
        if self._steady_state is not None and other._steady_state is not None:
            raise RegimenError("cannot add two regimens that both start at a steady state; "
                               "give one steady state for the combined regimen.")
        forms = {self.drug, other.drug} - {None}
        if len(forms) > 1:
            raise RegimenError("cannot add an esketamine regimen to a racemic one: a regimen doses one "
                               "drug form. Simulate them separately, on models of each form.")
        return Regimen(self._doses + other._doses,
                       steady_state=self._steady_state or other._steady_state,
                       drug=forms.pop() if forms else None)

    __radd__ = __add__

    def _plain(self, name: str) -> None:
        if self._steady_state is not None:
            raise RegimenError(f"`{name}` is undefined for a regimen that starts at a steady state "
                               "(its history is anchored at time 0); apply it before "
                               "`with_steady_state`.")

    def shifted(self, by: Any) -> Regimen:
        """Every dose ``by`` later."""
        self._plain("shifted")
        return Regimen((d.shifted(by) for d in self._doses), drug=self.drug)

    def repeat(self, *, every: Any, count: int) -> Regimen:
        """The whole regimen ``count`` times, each copy ``every`` after the previous one."""
        self._plain("repeat")
        if not isinstance(count, (int, np.integer)) or isinstance(count, bool) or count < 1:
            raise RegimenError(f"`count` must be a whole number >= 1; got {count!r}.")
        if count > MAX_DOSES:
            raise RegimenError(f"`count` {count} makes more than {MAX_DOSES} doses per regimen; "
                               "simulate a steady state instead (Regimen.with_steady_state).")
        interval = every if _known_time(every) else as_quantity(every, "every")
        _duration(interval, "every")
        return Regimen((d._moved(interval, k) for k in range(int(count)) for d in self._doses),
                       drug=self.drug)

    def parts(self, labels: Iterable[int]) -> list[Regimen]:
        """The doses grouped by ``labels`` (one int 0, 1, ... per dose, in dose order): one
        Regimen per label, in label order."""
        labels = np.asarray(list(labels), dtype=int)
        return [Regimen([d for d, k in zip(self._doses, labels) if k == j])
                for j in range(int(labels.max(initial=-1)) + 1)]

    def resolve(self, weights: np.ndarray | None, n: int) -> list[ResolvedDose]:
        """Per-subject canonical doses; ``weights`` (kg) resolves per-weight doses."""
        return [dose.resolve(weights, n) for dose in self._doses]

    # -- steady state and export ------------------------------------------------------------
    def with_steady_state(self, period: Dose | Regimen, *, every: Any = None) -> Regimen:
        """This regimen, started at the steady state of ``period`` repeated ``every`` forever.

        ``period`` holds one dosing interval's doses (times within the interval, from 0); its
        copies are given at ``-every, -2 every, ...`` so the state at time 0 is the steady-state
        trough and inputs still running at time 0 (lag, long infusions, zero-order absorption)
        carry on. This regimen's own doses (usually the same dose repeated) follow from 0.
        ``every=None`` means a constant infusion: ``period`` must be infusions and ``every``
        becomes their common duration. Computed by the simulation's solver
        (see :mod:`ketpk.steady_state`).
        """
        if self._steady_state is not None:
            raise RegimenError("this regimen already starts at a steady state.")
        return Regimen(self._doses, steady_state=SteadyState(period, every), drug=self.drug)

    def to_event_table(self, subject: Any = None, **options: Any) -> Any:
        """A NONMEM-style event table for one subject (see :func:`ketpk.eventtable.event_table`)."""
        from .eventtable import event_table

        return event_table(self, subject, **options)

    # -- summaries for one subject ------------------------------------------------------------
    def _resolved(self, subject: Any, capped: bool = True) -> list[ResolvedDose]:
        weights = subject_weights(subject)
        return [dose.resolve(weights, 1, capped=capped) for dose in self._doses]

    def total_amount(self, subject: Any = None) -> Any:
        """Total amount administered (before bioavailability), a Quantity in mg."""
        from .units import Q_

        return Q_(float(sum(d.amount[0] for d in self._resolved(subject))), "mg")

    def amount_per_day(self, subject: Any = None) -> Any:
        """Amount administered in each 24-h day from time 0, a Quantity array in mg.

        Infusions that cross midnight are split between the days.
        """
        from .units import Q_

        doses = self._resolved(subject)
        if not doses:
            return Q_(np.zeros(0), "mg")
        days = max(1, math.ceil(_end(doses) / _DAY - 1e-12))
        edges = np.arange(days + 1) * _DAY
        totals = np.zeros(days)
        for d in doses:
            if d.duration is None:
                totals[min(int(d.time // _DAY), days - 1)] += d.amount[0]
            else:
                lo = np.clip(edges[:-1], d.time, d.time + d.duration[0])
                hi = np.clip(edges[1:], d.time, d.time + d.duration[0])
                totals += d.rate[0] * (hi - lo)
        return Q_(totals, "mg")

    def max_rate(self, subject: Any = None) -> Any:
        """Highest summed infusion rate of all running infusions, a Quantity in mg/h."""
        from .units import Q_

        infusions = [d for d in self._resolved(subject) if d.duration is not None]
        best = 0.0
        for start in {d.time for d in infusions}:
            running = sum(d.rate[0] for d in infusions if d.time <= start < d.time + d.duration[0])
            best = max(best, running)
        return Q_(best, "mg/min").to("mg/h")

    def duration(self, subject: Any = None) -> Any:
        """Time from 0 to the end of the last dose (bolus time or infusion end), in h."""
        from .units import Q_, from_minutes

        doses = self._resolved(subject)
        return Q_(from_minutes(_end(doses), "h") if doses else 0.0, "h")

    def capped_doses(self, subject: Any = None) -> list[tuple[Dose, Any, Any]]:
        """Doses whose cap binds for ``subject``: ``(dose, asked, given)``, mg or mg/h Quantities."""
        from .units import Q_

        out = []
        for dose, asked, given in zip(self._doses, self._resolved(subject, capped=False),
                                      self._resolved(subject)):
            if asked.duration is None and given.amount[0] < asked.amount[0]:
                out.append((dose, Q_(asked.amount[0], "mg"), Q_(given.amount[0], "mg")))
            elif asked.duration is not None and given.rate[0] < asked.rate[0]:
                out.append((dose, Q_(asked.rate[0], "mg/min").to("mg/h"), Q_(given.rate[0], "mg/min").to("mg/h")))
        return out


_DAY = 1440.0  # min


def as_regimen(regimen: Any) -> Regimen:
    """``regimen`` as a :class:`Regimen`: a single Bolus or Infusion is wrapped, a named one
    (a :class:`~ketpk.named.NamedRegimen` such as a protocol) gives the Regimen it holds."""
    if isinstance(regimen, (Bolus, Infusion)):
        return Regimen([regimen])
    if isinstance(regimen, NamedRegimen):
        return regimen.regimen
    if not isinstance(regimen, Regimen):
        raise RegimenError(
            f"`regimen` must be a Regimen, Bolus or Infusion; got {regimen!r} of type "
            f"{type(regimen).__name__}. A protocol (ketpk.protocols.get(...)) is taken too."
        )
    return regimen


@dataclass(frozen=True)
class DoseSchedule:
    """A regimen's input over time for one subject: infusion rate steps and boluses.

    ``times`` and ``rates`` are the step function (rate holds from ``times[i]`` to
    ``times[i+1]``); ``bolus_times`` / ``bolus_amounts`` the instant doses. Quantities.
    """

    times: Any
    rates: Any
    bolus_times: Any
    bolus_amounts: Any


def dose_schedule(regimen: Any, subject: Any = None) -> DoseSchedule:
    """Total infusion rate (mg/h, all routes) as steps, and boluses (mg), for one subject."""
    from .units import Q_

    doses = as_regimen(regimen).resolve(subject_weights(subject), 1)
    infusions = [d for d in doses if d.rate is not None]
    boluses = [d for d in doses if d.rate is None]
    edges = sorted({0.0, *(d.time for d in infusions), *(d.time + float(d.duration[0]) for d in infusions)})
    rates = np.zeros(len(edges))
    for d in infusions:
        on = (np.asarray(edges) >= d.time) & (np.asarray(edges) < d.time + float(d.duration[0]))
        rates[on] += float(d.rate[0])
    return DoseSchedule(
        times=Q_(np.asarray(edges), "min"), rates=Q_(rates, "mg/min").to("mg/h"),
        bolus_times=Q_(np.array([d.time for d in boluses]), "min"),
        bolus_amounts=Q_(np.array([float(d.amount[0]) for d in boluses]), "mg"),
    )


class SteadyState:
    """The steady state of ``period`` (a dose, list of doses or Regimen) repeated ``every`` (None: constant infusion)."""

    __slots__ = ("period", "every", "_tau")

    def __init__(self, period: Any, every: Any = None) -> None:
        if isinstance(period, (Bolus, Infusion)):
            period = Regimen([period])
        elif isinstance(period, (list, tuple)):
            period = Regimen(period)
        if not isinstance(period, Regimen) or not len(period) or period.steady_state is not None:
            raise RegimenError(f"`period` must be a Bolus, Infusion or non-empty Regimen without a "
                               f"steady state of its own; got {period!r}.")
        if every is None:
            durations = {d._duration_min for d in period if isinstance(d, Infusion)}
            if any(not isinstance(d, Infusion) or d.start_minutes != 0 for d in period) \
                    or len(durations) != 1 or None in durations:
                raise RegimenError(
                    "a constant-infusion steady state (`every=None`) needs infusions starting at 0 "
                    "with one explicit `duration`; or give `every` for a repeated dose."
                )
            every = period.doses[0].duration
        self.every = as_quantity(every, "every")
        self._tau = float(to_canonical(self.every, "[time]", "every"))
        if not math.isfinite(self._tau) or self._tau <= 0:
            raise RegimenError(f"`every` must be a positive duration; got {every}.")
        late = [d for d in period if d.start_minutes >= self._tau]
        if late:
            raise RegimenError(f"`period` doses must start within one interval [0, {self.every}); "
                               f"got a dose at {late[0].start_minutes:g} min.")
        self.period = period

    @property
    def every_minutes(self) -> float:
        """The dosing interval in minutes."""
        return self._tau

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SteadyState) and (self.period, self._tau) == (other.period, other._tau)

    def __hash__(self) -> int:
        return hash((self.period, self._tau))

    def __repr__(self) -> str:
        return f"SteadyState(period={self.period!r}, every={self.every})"


def _end(doses: list[ResolvedDose]) -> float:
    return max(d.time + (d.duration[0] if d.duration is not None else 0.0) for d in doses)
