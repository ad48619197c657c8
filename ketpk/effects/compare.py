"""Compare regimens by effect: peak effect, time above an effect threshold, time above C50."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import metrics
from ..compare import regimen_cases
from ..errors import ParameterError
from ..units import from_minutes
from .run import EffectCurve, EffectResult, simulate_effects

__all__ = ["time_above", "curve_metrics", "EffectComparison", "compare_regimens"]

DEFAULT_EFFECTS = ("olofsen2022", "simons2022.drug_high")


def time_above(times_min: np.ndarray, values: np.ndarray, level: float) -> np.ndarray:
    """Time (min) that ``values`` (..., T) spend at or above ``level``, linear between samples
    (effects and Ce/C50 are not log-linear in time): :func:`ketpk.metrics.time_above`."""
    return metrics.time_above(times_min, values, level, rule="linear")


def curve_metrics(curve: EffectCurve, threshold: float) -> dict[str, Any]:
    """Peak effect, its time (h), time above ``threshold`` and above C50 (h); medians over subjects."""
    values = np.atleast_2d(curve.values)
    drive = np.atleast_2d(curve.drive)
    peak = values.max(axis=1)
    return {
        "effect": curve.effect_id,
        "endpoint": curve.endpoint,
        "peak effect": float(np.median(peak)),
        "time of peak [h]": from_minutes(float(np.median(curve.times_min[values.argmax(axis=1)])), "h"),
        f"time effect >= {threshold:g} [h]": from_minutes(float(np.median(time_above(curve.times_min, values, threshold))), "h"),
        "time Ce >= C50 [h]": from_minutes(float(np.median(time_above(curve.times_min, drive, 1.0))), "h"),
        "n subjects": values.shape[0],
        "citation": str(curve.citation),
        "assumptions": curve.assumptions,
    }


@dataclass(frozen=True, eq=False)
class EffectComparison:
    """Effect results per regimen label, with a metrics table (:meth:`table`, :meth:`to_markdown`)."""

    results: dict[str, EffectResult]
    threshold: float

    def table(self) -> list[dict[str, Any]]:
        """One row per (regimen, effect): metrics plus citation and assumption labels."""
        return [{"regimen": label, **curve_metrics(curve, self.threshold)}
                for label, result in self.results.items() for curve in result.curves.values()]

    def to_markdown(self) -> str:
        """The table as Markdown, then each effect's citation and assumption labels."""
        rows = self.table()
        columns = [c for c in rows[0] if c not in ("citation", "assumptions", "endpoint")]
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for row in rows:
            cells = [f"{row[c]:.3g}" if isinstance(row[c], float) else str(row[c]) for c in columns]
            lines.append("| " + " | ".join(cells) + " |")
        seen: dict[str, dict[str, Any]] = {row["effect"]: row for row in rows}
        for effect_id, row in seen.items():
            lines.append(f"\n{effect_id}: {row['endpoint']}. {row['citation']}")
            lines.extend(f"- ASSUMPTION: {a}" for a in row["assumptions"])
        return "\n".join(lines)

    def to_frame(self) -> Any:
        """The :meth:`table` as a pandas DataFrame (``pip install "ketpk[pandas]"``); the
        ``assumptions`` column counts each row's assumption labels (listed in ``attrs``)."""
        from ..frames import records_frame

        rows = self.table()
        attrs = {"threshold": self.threshold,
                 "assumptions": {r["effect"]: list(r["assumptions"]) for r in rows}}
        return records_frame(rows, attrs)

    def plot(self, **kwargs: Any) -> Any:
        """Concentration panel over effect panel; see :func:`ketpk.effects.plot.plot_effects`."""
        from .plot import plot_effects

        return plot_effects(self, **kwargs)


def compare_regimens(regimens: Mapping[str, Any], times: Any,
                     effects: Sequence[Any] = DEFAULT_EFFECTS, *, model: Any = None,
                     threshold: float = 0.5, subjects: Any = None, solver: Any = "exact",
                     sampling: str | None = None) -> EffectComparison:
    """Simulate each labelled regimen with ``effects`` on ``times`` (a Quantity [time]) and
    compare them.

    ``regimens`` maps a label to a Regimen (simulated with ``model``) or to a ``(model, regimen)``
    pair, as for :func:`ketpk.compare_regimens` (:func:`ketpk.compare.regimen_cases`).
    ``threshold`` is an effect level (fraction of the maximal effect, as the curves) for "time
    above threshold"; "time Ce >= C50" is the time above each effect's C50, e.g. the drug-high
    C50 for ``"simons2022.drug_high"`` (independent of the assumed γ). ``sampling``
    (``"arterial"``/``"venous"``) as for :func:`ketpk.effects.simulate_effects`.
    """
    cases = regimen_cases(regimens, model)
    if not 0.0 < threshold < 1.0:
        raise ParameterError(f"`threshold` must be a fraction of the maximal effect in (0, 1); got {threshold}.")
    results = {label: simulate_effects(which, regimen, times, effects, subjects=subjects, solver=solver,
                                       sampling=sampling)
               for label, (which, regimen) in cases.items()}
    return EffectComparison(results, threshold)
