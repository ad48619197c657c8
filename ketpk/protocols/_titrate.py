"""Shared clock for protocols titrated at regular checks, faster by day than by night."""

from __future__ import annotations

import math
from typing import Any

from ..citations import Citation
from ..display import value_text
from ..regimen import Regimen
from ..titration import escalate, rate_steps
from ..errors import RegimenError
from ..units import scalar, to_canonical
from ._base import Protocol

_FORM = {"esketamine": "S(+)-ketamine", "racemic": "racemic ketamine"}


def check_times(duration: Any, interval: Any, night_interval: Any, day: tuple[float, float],
                start_hour: float) -> list[Any]:
    """Times of titration checks from 0 until ``duration`` (strings in min such as ``"120.0 min"``).

    After a check at clock hour ``h`` the next comes ``interval`` later if ``day[0] <= h <
    day[1]``, else ``night_interval`` later; the infusion starts at clock hour ``start_hour``.
    """
    end = _positive_time(duration, "duration")
    step_day = _positive_time(interval, "interval")
    step_night = _positive_time(night_interval, "night_interval")
    if not (isinstance(start_hour, (int, float)) and math.isfinite(start_hour)):
        raise RegimenError(f"`start_hour` must be a clock hour (a number in 0-24); got {start_hour!r}.")
    checks = end / min(step_day, step_night)
    if checks > _MAX_CHECKS:
        raise RegimenError(
            f"titration checks every {interval} (night {night_interval}) over {duration} make "
            f"{checks:.3g} steps, more than {_MAX_CHECKS}; give a longer interval or a shorter duration.")
    times, t = [], 0.0
    while t < end:
        times.append(f"{t!r} min")
        hour = (start_hour + t / 60.0) % 24.0
        t += step_day if day[0] <= hour < day[1] else step_night
    return times


_MAX_CHECKS = 100_000  # titration steps per protocol: a bound on the loop and on memory


def _positive_time(value: Any, name: str) -> float:
    """A titration time (min) that is finite and positive, so the clock always advances."""
    minutes = scalar(to_canonical(value, "[time]", name), name)
    if not (math.isfinite(minutes) and minutes > 0):
        raise RegimenError(f"`{name}` must be a finite, positive time; got {value}. A titration "
                           f"clock needs to advance: give e.g. {name}='30 min'.")
    return minutes


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
    q = [value_text(v, 4) for v in (start, step, target)]
    return Protocol(
        line, name=name, drug=drug, citation=citation,
        steps=(f"IV {_FORM[drug]} {q[0]}, +{q[1]} every {interval} to {q[2]}, held until {duration}",),
        assumptions=(assumption,),
        options=dict(start=start, step=step, target=target, interval=interval, duration=duration),
    )
