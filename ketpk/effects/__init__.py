"""Effect-site concentrations and published ketamine concentration–effect models.

A research and teaching tool, never a dosing device: effects are model predictions, several
resting on labelled assumptions (``EffectModel.assumptions``, ``EffectResult.assumptions``).

>>> import ketpk
>>> from ketpk import effects
>>> res = effects.simulate_effects("esketamine", ketpk.Infusion("0 min", rate="20 mg/h",
...     duration="2 h"), ketpk.Q_([60, 120], "min"), "olofsen2022")
>>> res.concentration("ketamine@olofsen2022", "nmol/mL").units
<Unit('nanomole / milliliter')>
>>> res.effect("olofsen2022").citation.doi
'10.1097/ALN.0000000000004176'

* :func:`with_effect_site` adds an effect compartment (ke0 or t½ke0) to any DrugModel.
* :data:`EFFECT_MODELS` / :func:`get`: Olofsen 2022, Simons 2022 (antinociception, drug high),
  Herd 2008 (sedation of children, racemic),
  Dahan 2011 CRPS relief (assumed form).
* :func:`simulate_effects`, :func:`compare_regimens` (metrics table), ``comparison.plot()``.
"""

from __future__ import annotations

from .compare import EffectComparison, compare_regimens, curve_metrics, time_above
from .emax import EffectModel, MetaboliteTerm, s_analyte, sigmoid_emax
from .library import EFFECT_MODELS, available, get
from .run import EffectCurve, EffectResult, simulate_effects
from .site import with_effect_site

__all__ = [
    "with_effect_site", "EffectModel", "MetaboliteTerm", "sigmoid_emax", "s_analyte",
    "EFFECT_MODELS", "get", "available", "EffectCurve", "EffectResult", "simulate_effects",
    "EffectComparison", "compare_regimens", "curve_metrics", "time_above",
]
