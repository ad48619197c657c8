"""Experimental S-ketamine infusions (Leiden volunteer studies) and a perioperative regimen.

Sources: /work/shared/research/regimens.md §C-D (abstracts).
"""

from __future__ import annotations

from typing import Any

from ..display import value_text
from ..regimen import Bolus, Infusion
from . import citations as cit
from ._base import Protocol, register, single_infusion


@register
def noppers2011(*, rate: Any = f"{20 / 70} mg/kg/h", duration: Any = "2 h") -> Protocol:
    """S-ketamine 20 (or 40) mg/70 kg/h IV for 2 h (Noppers 2011, *Anesthesiology* 114:1435).

    Pass ``rate=ketpk.Q_(40 / 70, "mg/kg/h")`` for the high-dose arm.
    """
    return single_infusion("noppers2011", "esketamine", cit.NOPPERS_2011, rate=rate, duration=duration)


@register
def olofsen2012(*, rate: Any = "20 mg/h", duration: Any = "2 h") -> Protocol:
    """S-ketamine 20 mg/h IV for 2 h in healthy men (Olofsen 2012, *Anesthesiology* 117:353)."""
    return single_infusion("olofsen2012", "esketamine", cit.OLOFSEN_2012, rate=rate, duration=duration)


@register
def perioperative(*, bolus: Any = "0.5 mg/kg", rate: Any = "2 ug/kg/min",
                  duration: Any = "2 h") -> Protocol:
    """Racemic ketamine IV bolus then infusion for surgery (range of Brinck 2018, Cochrane).

    Brinck 2018 (130 trials, as summarised by Bell & Kalso 2018): boluses 0.5-1 mg/kg in 21
    trials, infusions most commonly 2-5 µg/kg/min. The defaults take the lower end of both.
    """
    return Protocol(
        [Bolus("0 min", bolus), Infusion("0 min", rate=rate, duration=duration)],
        name="perioperative", drug="racemic", citation=cit.BRINCK_2018,
        steps=(f"IV racemic ketamine bolus {value_text(bolus)}, then {value_text(rate)} for "
               f"{value_text(duration)}",),
        assumptions=("lower end of the ranges (0.5 mg/kg; 2 µg/kg/min) and a 2-h infusion: the "
                     "review gives ranges, not one regimen",),
        options=dict(bolus=bolus, rate=rate, duration=duration),
    )
