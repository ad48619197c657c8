"""Target-controlled infusion (TCI) of ketamine: plasma and effect-site targets, pump limits.

A research and teaching tool, never a dosing device.

>>> import ketpk
>>> tci = ketpk.tci.target_infusion("racemic.domino1982", {"0 min": "0.5 ug/mL"},
...                                 subject=ketpk.Subject(weight="70 kg"), until="30 min")
>>> round(float(tci.predicted("plasma", "ug/mL").magnitude[-1]), 3)
0.5

* :func:`target_infusion` computes the schedule (exact for linear models, see
  :mod:`ketpk.tci.algorithm`); ``result.regimen`` is a plain Regimen.
* :func:`performance` gives a typical-subject schedule to a population (Varvel 1992 measures).
"""

from .performance import TCIPerformance, performance
from .result import TCIResult
from .run import target_infusion

__all__ = ["target_infusion", "TCIResult", "performance", "TCIPerformance"]
