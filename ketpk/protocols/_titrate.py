"""Shared clock for protocols titrated at regular checks, faster by day than by night."""

from __future__ import annotations

from typing import Any

from ..citations import Citation
from ..regimen import Regimen
from ..titration import escalate, rate_steps
from ..units import Q_, as_quantity, to_canonical
from ._base import Protocol

_FORM = {"esketamine": "S(+)-ketamine", "racemic": "racemic ketamine"}


def check_times(duration: Any, interval: Any, night_interval: Any, day: tuple[float, float],
                start_hour: float) -> list[Any]:
    """Times (Quantities) of titration checks from 0 until ``duration``.

    After a check at clock hour ``h`` the next comes ``interval`` later if ``day[0] <= h <
    day[1]``, else ``night_interval`` later; the infusion starts at clock hour ``start_hour``.
    """
    end = to_canonical(duration, "[time]", "duration")
    step_day = to_canonical(interval, "[time]", "interval")
    step_night = to_canonical(night_interval, "[time]", "night_interval")
    times, t = [], 0.0
    while t < end:
        times.append(Q_(t, "min"))
        hour = (start_hour + t / 60.0) % 24.0
        t += step_day if day[0] <= hour < day[1] else step_night
    return times


def titrated_line(*, start: Any, step: Any, target: Any, duration: Any, interval: Any,
                  night_interval: Any, day: tuple[float, float] = (8.0, 22.0),
                  start_hour: float = 8.0, route: str = "iv") -> Regimen:
    """One line raised by ``step`` at every check until ``target``, held until ``duration``."""
    times = check_times(duration, interval, night_interval, day, start_hour)
    return rate_steps(escalate(start, step, target, times), end=duration, route=route)


def titration_protocol(name: str, drug: str, citation: Citation, assumption: str, *, start: Any,
                       step: Any, target: Any, interval: Any, duration: Any) -> Protocol:
    """An IV protocol raised by ``step`` every ``interval`` (day and night) to ``target``, then held."""
    line = titrated_line(start=start, step=step, target=target, duration=duration,
                         interval=interval, night_interval=interval)
    q = [f"{as_quantity(v, 'rate'):.4g~P}" for v in (start, step, target)]
    return Protocol(
        line, name=name, drug=drug, citation=citation,
        steps=(f"IV {_FORM[drug]} {q[0]}, +{q[1]} every {interval} to {q[2]}, held until {duration}",),
        assumptions=(assumption,),
        options=dict(start=start, step=step, target=target, interval=interval, duration=duration),
    )
