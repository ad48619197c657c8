"""Depression regimens: IV racemic (Zarate, Lenze), esketamine nasal (Spravato), oral (Al Shirawi).

Sources: /work/shared/research/regimens.md §A6, §B5, §E; research_gaps.md §2.3.
"""

from __future__ import annotations

from typing import Any

from ..errors import RegimenError
from ..regimen import Bolus
from ..titration import amount_steps, escalate
from ..units import add_times, as_quantity, dose_in, to_canonical
from . import citations as cit
from ._base import Protocol, check_limit, register, single_infusion
from ._titrate import titration_protocol

#: Spravato session days in weeks 1-4 (twice weekly); Monday/Thursday is an assumption.
SPRAVATO_DAYS = (0, 3, 7, 10, 14, 17, 21, 24)
#: One Spravato device delivers 28 mg esketamine (label, section 2; MIMS SmPC text).
DEVICE = "28 mg"
#: Target rate 0.6 mg/kg/h, "titrated as tolerated" (Lenze 2016 abstract).
LENZE_TARGET = "0.6 mg/kg/h"


@register
def zarate2006(*, amount: Any = "0.5 mg/kg", duration: Any = "40 min") -> Protocol:
    """Racemic ketamine 0.5 mg/kg IV over 40 min (Zarate 2006, *Arch Gen Psychiatry* 63:856).

    The standard antidepressant infusion, as quoted in Zanos 2018 Table 1 and used as the
    comparator of Lenze 2016 and the Spravato abuse-potential study.
    """
    return single_infusion("zarate2006", "racemic", cit.ZARATE_2006, amount=amount, duration=duration)


@register
def lenze2016(*, start: Any = "0.15 mg/kg/h", step: Any = "0.15 mg/kg/h",
              target: Any = "0.6 mg/kg/h", interval: Any = "6 h", duration: Any = "96 h") -> Protocol:
    """Racemic ketamine IV for 96 h titrated to 0.6 mg/kg/h (Lenze 2016, *World J Biol Psychiatry* 17:230).

    Published: 96-h infusion "titrated as tolerated to a target rate of 0.6 mg/kg/h"
    [abstract]. Assumed: four equal steps of 0.15 mg/kg/h every 6 h, then held. A ``target``
    above the published 0.6 mg/kg/h warns (ProtocolLimitWarning).
    """
    check_limit("lenze2016", "target", target, (LENZE_TARGET,), "Lenze 2016 abstract")
    return titration_protocol(
        "lenze2016", "racemic", cit.LENZE_2016,
        "start, step and interval (0.15 mg/kg/h every 6 h) are not published; the trial titrated "
        "as tolerated", start=start, step=step, target=target, interval=interval, duration=duration)


@register
def spravato_induction(*, dose: Any = "56 mg", first_dose: Any = "56 mg",
                       device_gap: Any = "5 min") -> Protocol:
    """Esketamine nasal spray induction, weeks 1-4 (Spravato label; Popova 2019 TRANSFORM-2).

    Published [label/SmPC]: twice weekly for 4 weeks; day 1 56 mg, then 56 or 84 mg; each
    28-mg device in 2 sprays, 5 min rest between devices; at most 84 mg per session. Each
    device is a 28-mg intranasal bolus.
    """
    sessions = []
    to_canonical(device_gap, "[time]", "device_gap")
    for k, day in enumerate(SPRAVATO_DAYS):
        amount = first_dose if k == 0 else dose
        mg = dose_in(amount, "mg")
        devices = (as_quantity(amount, "dose").to("mg").magnitude if mg is None else mg) / dose_in(DEVICE, "mg")
        if abs(devices - round(devices)) > 1e-9 or not 1 <= round(devices) <= 3:
            raise RegimenError(f"Spravato session doses must be 28, 56 or 84 mg (1-3 devices); got {amount}.")
        sessions += [Bolus(add_times(f"{day} d", device_gap, j), DEVICE, "intranasal") for j in range(round(devices))]
    return Protocol(
        sessions, name="spravato_induction", drug="esketamine", citation=cit.POPOVA_2019,
        steps=(f"intranasal esketamine {first_dose} on day 1, then {dose} twice weekly to week 4; "
               f"28-mg devices {device_gap} apart",),
        assumptions=("sessions on days 1, 4, 8, 11, 15, 18, 22, 25 (twice weekly; the label fixes "
                     "no weekdays)",),
        options=dict(dose=dose, first_dose=first_dose, device_gap=device_gap),
    )


@register
def alshirawi2017(*, start: Any = "50 mg", step: Any = "25 mg", target: Any = "100 mg",
                  every: Any = "3 d", count: int = 10) -> Protocol:
    """Oral racemic ketamine maintenance, 50 mg every 3 days +25 mg per dose (Al Shirawi 2017).

    Published: "commenced at a dose of 50 mg every 3 days, titrated up by 25 mg every 3 days,
    according to response and tolerability" [abstract, *J Clin Psychopharmacol* 37:464].
    Assumed: a ceiling ``target`` (100 mg) and ``count`` doses (10, i.e. 30 days).
    """
    if not isinstance(count, int) or count < 1:
        raise RegimenError(f"`count` must be a whole number >= 1; got {count!r}.")
    to_canonical(every, "[time]", "every")
    times = [add_times(None, every, k) for k in range(count)]
    steps = escalate(start, step, target, times)
    steps += [(t, steps[-1][1]) for t in times[len(steps):]]
    return Protocol(
        amount_steps(steps, route="oral"), name="alshirawi2017", drug="racemic",
        citation=cit.AL_SHIRAWI_2017,
        steps=(f"oral racemic ketamine {start} every {every}, +{step} per dose up to {target}, "
               f"{count} doses",),
        assumptions=("ceiling of 100 mg and 10 doses are not published (titrated to response)",
                     "racemic ketamine (oral ketamine in the case series)"),
        options=dict(start=start, step=step, target=target, every=every, count=count),
    )
