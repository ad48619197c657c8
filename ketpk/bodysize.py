"""Body-size descriptors from weight (kg), height (cm) and sex: BMI, ideal and lean body weight.

* Ideal body weight (Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm 1974;8:650-655):
  men 50 kg, women 45.5 kg, + 2.3 kg per inch (0.9055 kg/cm) above 5 ft (152.4 cm).
* Lean body weight (Janmahasatian S, Duffull SB, Ash S, Ward LC, Byrne NM, Green B.
  Quantification of lean bodyweight. Clin Pharmacokinet 2005;44(10):1051-1065.
  doi:10.2165/00003088-200544100-00004): men 9270·WT/(6680 + 216·BMI), women
  9270·WT/(8780 + 244·BMI), WT in kg, BMI in kg/m².

Research use: below 152.4 cm Devine's line is extrapolated (it may fall under 45 kg).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ParameterError

__all__ = ["SCALARS", "bmi", "ideal_body_weight", "lean_body_weight", "dosing_weight"]

#: Weight scalars for per-kg doses, with their source.
SCALARS = {
    "total": "total body weight (the subject's weight)",
    "ideal": "ideal body weight, Devine 1974 (Drug Intell Clin Pharm 8:650)",
    "lean": "lean body weight, Janmahasatian 2005 (Clin Pharmacokinet 44:1051, "
            "doi:10.2165/00003088-200544100-00004)",
}


def bmi(weight_kg: Any, height_cm: Any) -> np.ndarray:
    """Body-mass index (kg/m²)."""
    return np.asarray(weight_kg, dtype=float) / (np.asarray(height_cm, dtype=float) / 100.0) ** 2


def ideal_body_weight(height_cm: Any, female: Any) -> np.ndarray:
    """Devine ideal body weight (kg); ``female`` 1 or 0."""
    base = np.where(np.asarray(female, dtype=float) > 0.5, 45.5, 50.0)
    return base + 0.9055 * (np.asarray(height_cm, dtype=float) - 152.4)


def lean_body_weight(weight_kg: Any, height_cm: Any, female: Any) -> np.ndarray:
    """Janmahasatian lean body weight (kg); ``female`` 1 or 0."""
    weight = np.asarray(weight_kg, dtype=float)
    index = bmi(weight, height_cm)
    woman = np.asarray(female, dtype=float) > 0.5
    return 9270.0 * weight / np.where(woman, 8780.0 + 244.0 * index, 6680.0 + 216.0 * index)


def dosing_weight(scalar: str, weight_kg: Any, height_cm: Any = None, female: Any = None) -> np.ndarray:
    """The weight (kg) a per-kg dose uses: ``"total"``, ``"ideal"`` or ``"lean"``."""
    if not isinstance(scalar, str) or scalar not in SCALARS:
        raise ParameterError(f"`dose_weight` must be one of {', '.join(SCALARS)}; got {scalar!r}.")
    if scalar == "total":
        return np.asarray(weight_kg, dtype=float)
    if height_cm is None or female is None:
        raise ParameterError(f"a {scalar} body weight needs height and sex; give the subject "
                             "height='170 cm' and sex='female' or 'male'.")
    value = (ideal_body_weight(height_cm, female) if scalar == "ideal"
             else lean_body_weight(weight_kg, height_cm, female))
    if np.any(value <= 0):
        raise ParameterError(f"the {scalar} body weight is not positive ({np.min(value):.3g} kg) for "
                             "this height; use dose_weight='total'.")
    return value
