"""NONMEM event semantics for one subject's records: doses, resets, steady states, lags.

The engine walks a subject's records in time order and keeps the state (µmol per compartment)
and the inputs still to come (boluses not yet arrived, infusions still running). Between two
records the system matrix is that of one record (NOCB: the later record, as NONMEM; LOCF: the
earlier one), so parameters are piecewise constant and the solver integrates each piece exactly.
Every integration goes through a solver's public ``solve`` (so both solvers can be compared).

Rules (NONMEM 7):
- EVID 0 observation, 2 other (output only), 1 dose, 3 reset, 4 reset and dose.
- A dose of AMT by a route with input fractions f_k (NONMEM's F) and lags: bolus f_k·AMT after
  the lag (a route with its own zero-order phase delivers it over that phase, for RATE 0 or -2); RATE > 0 keeps the rate and lasts F·AMT/RATE (F = sum of f_k); RATE -1 takes the
  route's modelled rate R, RATE -2 its modelled duration D (rate F·AMT/D).
- ADDL/II: ADDL more copies every II, with the dose record's F, lag, R and D.
- SS=1: reset, then the state at a steady state of the dose repeated every II (the sum over all
  earlier copies, including infusions and lagged doses still under way) and the dose itself.
  SS=2: the same steady state added to the current state. AMT 0, RATE > 0, II 0 with SS: the
  state at steady state of a constant infusion at RATE (F scales it); as in NONMEM 7.5's
  output, the infusion does not go on after the record.
- A reset (EVID 3, 4, SS=1) empties every compartment and cancels every input still to come
  (running infusions, lagged doses, additional doses of earlier records); TIME may restart
  (go back) on an EVID 3 or 4 record.
- Inputs arriving at a record's time are given before that record; a record's output is the
  state after its own event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import RegimenError
from .model import DrugModel, Params, System
from .schedule import Schedule
from .species import molar_mass
from .steady_state import history

__all__ = ["Records", "Pulse", "subject_states"]

_TO_UMOL = 1000.0 / molar_mass("ketamine")  # mg of ketamine base -> µmol, as doses everywhere


@dataclass(frozen=True)
class Records:
    """One subject's records in file order; times in min, amounts in mg, rates in mg/min."""

    time: np.ndarray
    evid: np.ndarray
    amt: np.ndarray
    rate: np.ndarray
    cmt: np.ndarray
    ss: np.ndarray
    ii: np.ndarray
    addl: np.ndarray
    dur: np.ndarray
    lines: np.ndarray

    def __len__(self) -> int:
        return len(self.time)


@dataclass(frozen=True)
class Pulse:
    """One input: ``value`` µmol at ``start`` (``end`` None) or µmol/min on [start, end) (min)."""

    state: int
    start: float
    end: float | None
    value: float

    def shifted(self, dt: float) -> Pulse:
        return Pulse(self.state, self.start + dt, None if self.end is None else self.end + dt, self.value)


def _schedule(pulses: list[Pulse], n: int, last: float, x0: np.ndarray) -> Schedule:
    """The pulses as a one-subject Schedule from time 0 to ``last`` (relative min): boluses at
    ``start`` in [0, last], rates on their interval."""
    bps = {0.0}
    for p in pulses:
        for t in (p.start, p.end):
            if t is not None and 0.0 < t <= last:
                bps.add(float(t))
    bps = np.array(sorted(bps))
    jumps = np.zeros((len(bps), 1, n))
    rates = np.zeros((len(bps), 1, n))
    for p in pulses:
        if p.end is None:
            if 0.0 <= p.start <= last:
                jumps[np.searchsorted(bps, p.start), 0, p.state] += p.value
        else:
            k0 = np.searchsorted(bps, max(p.start, 0.0))
            k1 = len(bps) if p.end > last else np.searchsorted(bps, p.end)
            rates[k0:k1, 0, p.state] += p.value
    return Schedule(bps, jumps, rates, x0[None, :].astype(float))


def _solve(solver, A: np.ndarray, x0: np.ndarray, pulses: list[Pulse], times: np.ndarray) -> np.ndarray:
    """States (len(times), n) from ``x0`` at time 0 under ``pulses`` (relative times, sorted)."""
    n = A.shape[0]
    unique, where = np.unique(times, return_inverse=True)
    schedule = _schedule(pulses, n, float(times[-1]), x0)
    out = solver.solve(A[None], schedule, unique, np.eye(n)[None])
    return out[0].T[where]


def _pulses(bps: np.ndarray, jumps: np.ndarray, rates: np.ndarray) -> list[Pulse]:
    """Pulses of a one-subject piecewise schedule (jumps, rates (B, 1, n)); the last rate runs on."""
    out = []
    for k, t in enumerate(bps):
        end = float(bps[k + 1]) if k + 1 < len(bps) else math.inf
        for state in np.flatnonzero(jumps[k, 0]):
            out.append(Pulse(int(state), float(t), None, float(jumps[k, 0, state])))
        for state in np.flatnonzero(rates[k, 0]):
            out.append(Pulse(int(state), float(t), end, float(rates[k, 0, state])))
    return out


class _Dosing:
    """Turns dose records into pulses with the parameters of one record."""

    def __init__(self, model: DrugModel, params: Params, system: System, routes: dict[int, str],
                 amounts: np.ndarray):
        self.model, self.params, self.system, self.routes = model, params, system, routes
        self.amounts = amounts
        self._inputs: dict[str, list] = {}

    def _route_inputs(self, route: str, r: int, line: int):
        """(state, F, lag, own duration or None) of each input of ``route`` at record ``r``."""
        if route not in self._inputs:
            n = self.params.n
            self._inputs[route] = [
                (self.system.index(i.state), np.broadcast_to(np.asarray(i.fraction, float), (n,)),
                 np.broadcast_to(np.asarray(i.lag, float), (n,)),
                 None if i.duration is None else np.broadcast_to(np.asarray(i.duration, float), (n,)))
                for i in self.model.route(route).inputs(self.params, self.amounts)]
        out = [(state, float(f[r]), float(lag[r]), None if d is None else float(d[r]))
               for state, f, lag, d in self._inputs[route]]
        for _, f, lag, _ in out:
            if not (f >= 0 and lag >= 0 and math.isfinite(f) and math.isfinite(lag)):
                raise RegimenError(f"row {line}: route {route!r} has F = {f:g} and lag = {lag:g} min at "
                                   "this record; both must be finite and >= 0 (check the columns "
                                   "that give them).")
        return out

    def route(self, rec: Records, i: int) -> str:
        number = int(rec.cmt[i])
        if number not in self.routes:
            raise RegimenError(f"row {rec.lines[i]}: CMT {number} is not a dosing compartment of model "
                               f"{self.model.id!r}; its CMT codes are {self._codes()}. Use one of them, or "
                               "pass `cmt=` (route -> CMT) matching the dataset.")
        return self.routes[number]

    def _codes(self) -> str:
        return ", ".join(f"{c} ({r})" for c, r in sorted(self.routes.items()))

    def pulses(self, rec: Records, i: int) -> list[Pulse]:
        """The pulses of the dose on record ``i`` with its own parameters, times (min) from the
        record's time."""
        line, r, time = rec.lines[i], i, 0.0
        route = self.route(rec, i)
        amt, code = float(rec.amt[i]), float(rec.rate[i])
        inputs = self._route_inputs(route, r, line)
        total = sum(f for _, f, _, _ in inputs)
        if total == 0 or amt == 0:
            return []
        zero_order = any(d is not None for *_, d in inputs)
        if zero_order and not (code == 0 or (code == -2 and not rec.dur[i] > 0)):
            raise RegimenError(f"row {line}: route {route!r} of model {self.model.id!r} has its own "
                               "zero-order absorption (its D); give RATE 0 or -2 without DUR.")
        if code == 0 or zero_order:
            out = []
            for state, f, lag, dur in inputs:
                if dur is None:
                    out.append(Pulse(state, time + lag, None, f * amt * _TO_UMOL))
                else:
                    out.append(Pulse(state, time + lag, time + lag + dur, f * amt * _TO_UMOL / dur))
            return out
        if code == -2 and rec.dur[i] > 0:
            duration = float(rec.dur[i])
            rate = total * amt / duration
        elif code == -2:
            duration = self._modelled(route, "modelled_duration", "D", r, line)
            rate = total * amt / duration
        else:
            rate = self._modelled(route, "modelled_rate", "R", r, line) if code == -1 else code
            duration = total * amt / rate
        return [Pulse(state, time + lag, time + lag + duration, rate * f / total * _TO_UMOL)
                for state, f, lag, _ in inputs]

    def constant(self, rec: Records, i: int, period: float) -> list[Pulse]:
        """One ``period`` (min) of a constant infusion at RATE scaled by F (record ``i``)."""
        inputs = self._route_inputs(self.route(rec, i), i, rec.lines[i])
        return [Pulse(state, 0.0, period, float(rec.rate[i]) * f * _TO_UMOL) for state, f, _, _ in inputs]

    def _modelled(self, route: str, attribute: str, letter: str, r: int, line: int) -> float:
        name = getattr(self.model.route(route), attribute)
        code = "-1" if letter == "R" else "-2"
        if name is None:
            raise RegimenError(f"row {line}: RATE {code} needs the modelled {letter} of route {route!r}, "
                               f"which model {self.model.id!r} does not define; set `{letter}` on the route "
                               "in the model card" + (" or give a DUR column" if letter == "D" else "") + ".")
        value = float(self.params[name][r])
        if not value > 0:
            raise RegimenError(f"row {line}: RATE {code} takes {letter} = {name} = {value:g}; it must be > 0.")
        return value


def _steady_state(solver, A: np.ndarray, pulses: list[Pulse], tau: float, line: int):
    """State at a dose time of the periodic steady state of ``pulses`` (relative to the dose time,
    repeated every ``tau`` min) from the copies given before it, and those copies' pulses still to
    come after it (relative times > 0); by :func:`ketpk.steady_state.history`."""
    period = _schedule(pulses, A.shape[0], math.inf, np.zeros(A.shape[0]))
    try:
        past, tails = history(A[None], period, tau, solver)
    except RegimenError as err:
        raise RegimenError(f"row {line}: {err} Remove SS from the record.") from None
    return past[0], [p for tail in tails for p in _pulses(*tail)]


def subject_states(model: DrugModel, params: Params, system: System, rec: Records,
                   routes: dict[int, str], solver, carry: str = "nocb") -> np.ndarray:
    """States (µmol) after each record's event, shape (len(rec), n_states).

    ``params``/``system`` hold one entry per record (its covariates); ``routes`` maps CMT -> route;
    ``carry`` says which record's system holds between two records ("nocb": the later one).
    """
    R, n = len(rec), len(system.states)
    A = system.A
    dosing = _Dosing(model, params, system, routes, rec.amt)
    out = np.zeros((R, n))
    x, now, pulses = np.zeros(n), float(rec.time[0]), []

    def held(j: int) -> np.ndarray:
        """The system on the interval that ends at record j."""
        return A[j] if carry == "nocb" else A[max(j - 1, 0)]

    j = 0
    while j < R:
        m = j + 1
        if rec.time[j] > now:
            # Reach records j..m-1 in one solver call: no event before the last, one system.
            while (m < R and rec.evid[m - 1] in (0, 2)
                   and (rec.time[m] == rec.time[m - 1] or np.array_equal(held(m), held(j)))):
                m += 1
            states = _solve(solver, held(j), x, [p.shifted(-now) for p in pulses], rec.time[j:m] - now)
            out[j:m] = states
            x, now = states[-1].copy(), float(rec.time[m - 1])
            pulses = [p for p in pulses if (p.start > now if p.end is None else p.end > now)]
        else:
            out[j] = x
        if rec.evid[m - 1] in (3, 4):  # a reset may restart the clock (TIME going back)
            now = float(rec.time[m - 1])
        if rec.evid[m - 1] not in (0, 2):
            x, pulses = _event(rec, m - 1, now, x, pulses, dosing, solver, A[m - 1])
            out[m - 1] = x
        j = m
    return out


def _event(rec: Records, i: int, now: float, x: np.ndarray, pulses: list[Pulse], dosing: _Dosing,
           solver, A: np.ndarray):
    """State and pending pulses after the event of record ``i`` at time ``now``."""
    evid, ss = int(rec.evid[i]), int(rec.ss[i])
    if evid in (3, 4) or ss == 1:
        x, pulses = np.zeros_like(x), []
    if evid == 3:
        return x, pulses
    tau = float(rec.ii[i])
    if ss and rec.amt[i] == 0 and rec.rate[i] > 0 and tau == 0:
        # The steady state of a constant rate is that of any period of it.
        past, _ = _steady_state(solver, A, dosing.constant(rec, i, 60.0), 60.0, rec.lines[i])
        return x + past, pulses
    dose = dosing.pulses(rec, i)
    if ss:
        past, pending = _steady_state(solver, A, dose, tau, rec.lines[i])
        x = x + past
        pulses = pulses + [p.shifted(now) for p in pending]
    copies = [dose] + [[p.shifted(k * tau) for p in dose] for k in range(1, int(rec.addl[i]) + 1)]
    for copy in copies:
        for p in copy:
            if p.end is None and p.start == 0.0:
                x = x.copy()
                x[p.state] += p.value
            else:
                pulses.append(p.shifted(now))
    return x, pulses
