"""Chronic and cancer pain regimens (CRPS, spinal cord injury, limb ischaemia, cancer, central pain).

Sources: /work/shared/research/regimens.md §A-B, pk_gaps.md §4 and research_gaps.md §2
(abstract-level [P-abs] unless said otherwise). Every part not in the cited abstract is listed
in the protocol's ``assumptions``.
"""

from __future__ import annotations

from typing import Any

from ..display import value_text
from ..errors import RegimenError
from ..regimen import Bolus, Infusion
from ..titration import rate_steps
from ..units import KNOWN_UNITS, Q_, as_quantity, split_known
from . import citations as cit
from ._base import Protocol, check_limit, register, single_infusion
from ._titrate import titrated_line, titration_protocol

#: 22.2 mg/h/70 kg, the published mean end-of-infusion rate (Sigtermans 2009 abstract).
SIGTERMANS_END_RATE = f"{22.2 / 70} mg/kg/h"
#: 7.2 µg/kg/min, the maximum (Bell & Kalso 2018 Table 6, doi:10.1097/PR9.0000000000000674).
SIGTERMANS_MAX = "7.2 ug/kg/min"
#: Maximum 0.35 mg/kg/h, not to exceed 25 mg/h (Schwartzman 2009 abstract; NCT00579085).
SCHWARTZMAN_MAX = ("0.35 mg/kg/h", "25 mg/h")


def _check_days(days: Any) -> None:
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise RegimenError(f"`days` must be a whole number >= 1; got {days!r}. E.g. days=10.")


@register
def sigtermans2009(*, start: Any = "1.2 ug/kg/min", step: Any = "1.2 ug/kg/min",
                   target: Any = SIGTERMANS_END_RATE, interval: Any = "2 h",
                   night_interval: Any = "8 h", duration: Any = "100 h") -> Protocol:
    """S(+)-ketamine IV for 100 h in CRPS-1, titrated stepwise (Sigtermans 2009, *Pain* 145:304).

    Published: 4.2-day (100-h) infusion, individualised stepwise titration on effect and side
    effects, mean end rate 22.2 ± 2.0 mg/h/70 kg [abstract]; start 1.2 µg/kg/min, maximum
    7.2 µg/kg/min [Bell & Kalso 2018, Table 6].

    Assumptions (not in the abstracts): one step of ``step`` (1.2 µg/kg/min, the start rate) at
    every check; checks every ``interval`` (2 h) from 08:00 to 22:00 and every
    ``night_interval`` (8 h) at night, the infusion starting at 08:00 (interval from a secondary
    review, CASA Bull Anesthesiol 2021;8(6):42); the titration stops at ``target``, by default
    the published mean end rate 22.2 mg/h/70 kg (5.29 µg/kg/min), so the last step is smaller.
    A target above 7.2 µg/kg/min warns (ProtocolLimitWarning).
    """
    check_limit("sigtermans2009", "target", target, (SIGTERMANS_MAX,), "Bell & Kalso 2018 Table 6")
    line = titrated_line(start=start, step=step, target=target, duration=duration,
                         interval=interval, night_interval=night_interval)
    return Protocol(
        line, name="sigtermans2009", drug="esketamine", citation=cit.SIGTERMANS_2009,
        steps=(f"IV S(+)-ketamine from {value_text(start)}, +{value_text(step)} every {interval} by "
               f"day (08-22 h) and every {night_interval} at night, up to "
               f"{value_text(target, unit='ug/kg/min')}, held until {duration}",),
        assumptions=(
            "step size = start rate (1.2 µg/kg/min); not stated in the abstracts",
            "checks every 2 h by day (08-22 h) and 8 h at night from a secondary review "
            "(CASA Bull Anesthesiol 2021); the infusion is taken to start at 08:00",
            "every check raises the rate (no holds or reductions); real patients were titrated "
            "individually",
            "default target = the published mean end rate 22.2 mg/h/70 kg (abstract)",
        ),
        options=dict(start=start, step=step, target=target, interval=interval,
                     night_interval=night_interval, duration=duration),
    )


@register
def dahan2011(*, start: Any = f"{5 / 70} mg/kg/h", step: Any = f"{5 / 70} mg/kg/h",
              target: Any = f"{20 / 70} mg/kg/h", interval: Any = "8 h",
              duration: Any = "100 h") -> Protocol:
    """The Sigtermans trial as modelled by Dahan 2011 (*Eur J Pain* 15:258): 5 → 20 mg/h/70 kg.

    Published: 100-h S(+)-ketamine infusion "slowly increased from 5 mg/h (per 70 kg) to
    20 mg/h" [abstract]. Assumed: steps of 5 mg/h/70 kg every ``interval`` (8 h), target held.
    """
    return titration_protocol(
        "dahan2011", "esketamine", cit.DAHAN_2011,
        "steps of 5 mg/h/70 kg every 8 h ('slowly increased'; the schedule is not published)",
        start=start, step=step, target=target, interval=interval, duration=duration)


@register
def schwartzman2009(*, rate: Any = "0.35 mg/kg/h", cap: Any = "25 mg/h", days: int = 10,
                    first_day_rate: Any = None) -> Protocol:
    """Racemic ketamine IV 4 h daily for 10 days, outpatient CRPS (Schwartzman 2009, *Pain* 147:107).

    Published: 4-h infusion daily for 10 days, maximum 0.35 mg/kg/h, not to exceed 25 mg/h
    (100 mg per 4 h) [abstract; NCT00579085]. The 25 mg/h cap binds above 71.4 kg: the doses
    carry it as a rate cap resolved per subject, and ``capped_doses(subject)`` /
    ``describe(subject)`` report where it binds.

    Assumption: every day at the maximum rate. A review table gives 0.175-0.35 mg/kg/h, which
    suggests day 1 at half rate (inference): pass ``first_day_rate="0.175 mg/kg/h"``.
    """
    _check_days(days)
    for option, value in (("rate", rate), ("first_day_rate", first_day_rate)):
        if value is not None:
            check_limit("schwartzman2009", option, value, SCHWARTZMAN_MAX, "Schwartzman 2009 abstract")
    for value in (cap if isinstance(cap, (list, tuple)) else [cap]):
        check_limit("schwartzman2009", "cap", value, SCHWARTZMAN_MAX, "Schwartzman 2009 abstract")
    rates = [first_day_rate or rate] + [rate] * (days - 1)
    doses = [Infusion(f"{24 * k} h", rate=r, duration="4 h", cap=cap) for k, r in enumerate(rates)]
    assumptions = ["every day at the maximum rate (the within-course escalation is not retrievable)"]
    if first_day_rate is not None:
        assumptions.append(f"day 1 at {first_day_rate}: inferred from a review's 0.175-0.35 mg/kg/h "
                           "range (PMC10688501 Table 1), not stated in the trial")
    return Protocol(
        doses, name="schwartzman2009", drug="racemic", citation=cit.SCHWARTZMAN_2009,
        steps=(f"IV racemic ketamine {rate} for 4 h daily x {days} days (day 1: "
               f"{first_day_rate or rate}), never above {cap}",),
        assumptions=tuple(assumptions),
        options=dict(rate=rate, cap=cap, days=days, first_day_rate=first_day_rate),
    )


@register
def goldberg2010(*, start: Any = "10 mg/h", step: Any = "10 mg/h", target: Any = "40 mg/h",
                 interval: Any = "1 h", duration: Any = "120 h") -> Protocol:
    """Racemic ketamine IV for 5 days inpatient, 10 → 40 mg/h (Goldberg 2010, *Pain Physician* 13:379).

    Published: "titrated from 10-40 mg/hr ... and maintained for 5 days"; infusion rates
    stabilised 5 h after the start [abstract]. Assumed: +10 mg/h every hour, then held.
    """
    return titration_protocol(
        "goldberg2010", "racemic", cit.GOLDBERG_2010,
        "+10 mg/h every hour (step and interval not published; the abstract says the rates "
        "stabilised within 5 h)",
        start=start, step=step, target=target, interval=interval, duration=duration)


@register
def amr2010(*, amount: Any = "80 mg", duration: Any = "5 h", days: int = 7) -> Protocol:
    """Racemic ketamine 80 mg IV over 5 h daily for 7 days (Amr 2010, *Pain Physician* 13:245)."""
    doses = Infusion("0 h", amount=amount, duration=duration).repeat(every="24 h", count=days)
    return Protocol(
        doses, name="amr2010", drug="racemic", citation=cit.AMR_2010,
        steps=(f"IV racemic ketamine {amount} over {duration}, daily x {days} days",),
        assumptions=("racemic ketamine assumed (the abstract says 'ketamine')",),
        options=dict(amount=amount, duration=duration, days=days),
    )


@register
def mitchell2002(*, amount: Any = "0.6 mg/kg", duration: Any = "4 h") -> Protocol:
    """A single IV infusion of 0.6 mg/kg racemic ketamine (Mitchell & Fallon 2002, *Pain* 97:275)."""
    return single_infusion(
        "mitchell2002", "racemic", cit.MITCHELL_2002, amount=amount, duration=duration,
        assumptions=("infusion duration 4 h (as summarised by Bell & Kalso 2018; not in the abstract)",))


def _per_hour(daily: Any) -> Any:
    """An amount per 24 h as a rate: a string for a known amount string (as pint's quotient
    holds it, without pint), else the Quantity ``daily / 24 h``."""
    known = split_known(daily) if isinstance(daily, str) else None
    if known is not None and KNOWN_UNITS[known.base][0] == "[mass]":
        return f"{known.number / 24!r} {known.unit}/h"
    return as_quantity(daily, "daily") / Q_(24, "h")


@register
def hardy2012(*, daily: tuple = ("100 mg", "300 mg", "500 mg"), days: int = 3) -> Protocol:
    """Continuous SC racemic ketamine 100 → 300 → 500 mg/24 h (Hardy 2012, *J Clin Oncol* 30:3611).

    Published: SC over 3-5 days, dose escalation 100, 300, 500 mg per 24 h [abstract and ONS
    evidence summary]. Assumed: escalation every 24 h without holds; days beyond the escalation
    stay at the last dose.
    """
    _check_days(days)
    levels = [daily[min(k, len(daily) - 1)] for k in range(days)]
    steps = [(f"{24 * k} h", _per_hour(d)) for k, d in enumerate(levels)]
    return Protocol(
        rate_steps(steps, end=f"{24 * days} h", route="sc"), name="hardy2012", drug="racemic",
        citation=cit.HARDY_2012,
        steps=(f"SC racemic ketamine {' -> '.join(map(str, levels))} per 24 h, one level per day",),
        assumptions=("escalated every 24 h with no hold or reduction (the trial escalated only "
                     "when the response criteria were unmet)",),
        options=dict(daily=daily, days=days),
    )


@register
def vranken2005(*, daily: Any = "50 mg", days: int = 7) -> Protocol:
    """Iontophoretic transdermal S(+)-ketamine 50 or 75 mg/day (Vranken 2005, *Pain* 118:224).

    Published: 50 or 75 mg S(+)-ketamine daily by an iontophoretic transdermal system,
    evaluated at 1 week [abstract]. Everything about delivery is assumed (see ``assumptions``).
    """
    # One daily application; the transdermal route releases it zero-order over its own period
    # (D_transdermal, 24 h by default in the default models).
    doses = Bolus("0 h", daily, route="transdermal").repeat(every="24 h", count=days)
    return Protocol(
        doses, name="vranken2005", drug="esketamine", citation=cit.VRANKEN_2005,
        steps=(f"transdermal (iontophoretic) S(+)-ketamine {daily} per day x {days} days",),
        assumptions=(
            "the daily dose is the amount delivered into the skin depot (not the amount applied)",
            "delivery is continuous and constant over each 24 h, as the model's transdermal "
            "route releases it (application pattern and current are not published)",
            "7 days (the abstract reports evaluation at 1 week)",
        ),
        options=dict(daily=daily, days=days),
    )
