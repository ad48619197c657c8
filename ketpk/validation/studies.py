"""What a published observation is: a statistic with its spread, on one analyte of one study.

A :class:`Study` holds the regimen exactly as published, who was dosed, where blood was drawn
and the observed :class:`Observation` s. :meth:`Statistic.band` turns the published spread into
the pass band a model's typical-subject prediction must fall in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..citations import Citation
from ..errors import ParameterError

__all__ = ["Statistic", "Observation", "Study", "NO_SPREAD_FACTOR", "SITE_FACTOR"]

#: Band (×/÷) for a value published without spread: concentrations, AUC, Tmax (about ±2 SD of
#: ketamine's 35-45 % between-subject CV on the log scale) and, narrower, F and clearance.
NO_SPREAD_FACTOR = {"conc": 2.0, "cmax": 2.0, "auc": 2.0, "tmax": 2.0, "F": 1.5, "clearance": 1.5}
#: Extra band width (×/÷) when the study's sampling site differs from the site of a model that
#: simulates only one (a model with an arterio-venous link is simulated at the study's): arterial
#: volumes and MRT are about 40 % smaller than venous ones (Persson 2002 Eur J Clin Pharmacol
#: 57:869), so early concentrations differ by up to about 1.5×.
SITE_FACTOR = 1.5

KINDS = ("mean_sd", "geomean_gsd", "median_range", "point")
METRICS = ("cmax", "tmax", "auc", "conc", "F", "clearance")
UNITS = {"cmax": "ng/mL", "conc": "ng/mL", "auc": "ng·h/mL", "tmax": "h", "F": "fraction",
         "clearance": "mL/min/kg"}
ANALYTES = ("ketamine", "s_ketamine", "r_ketamine", "norketamine", "s_norketamine", "r_norketamine")


@dataclass(frozen=True, slots=True)
class Statistic:
    """A published value: ``kind`` is mean_sd (spread = SD), geomean_gsd (spread = GSD),
    median_range (low, high) or point (no spread published); ``n`` subjects if given."""

    kind: str
    value: float
    spread: tuple[float, ...] = ()
    n: int | None = None

    def __post_init__(self) -> None:
        sizes = {"mean_sd": 1, "geomean_gsd": 1, "median_range": 2, "point": 0}
        if self.kind not in sizes or len(self.spread) != sizes[self.kind] or self.value <= 0:
            raise ParameterError(f"bad statistic {self!r}: kinds {KINDS} with 1, 1, 2, 0 spread values.")

    def band(self, metric: str) -> tuple[float, float, str]:
        """(low, high, how): mean ± 2 SD (where mean - 2 SD <= 0 the low end is mean/(1 + 2 CV),
        the log mirror of the high end),
        geometric mean ×/÷ GSD² (± 2 log-SD), the range, or ×/÷ :data:`NO_SPREAD_FACTOR`."""
        v = self.value
        if self.kind == "mean_sd":
            hi = v + 2 * self.spread[0]
            low = v - 2 * self.spread[0]
            return (low if low > 0 else v * v / hi), hi, "mean ± 2 SD"
        if self.kind == "geomean_gsd":
            g = self.spread[0] ** 2
            return v / g, v * g, "GM ×/÷ GSD²"
        if self.kind == "median_range":
            return self.spread[0], self.spread[1], "range"
        f = NO_SPREAD_FACTOR[metric]
        return v / f, v * f, f"no spread published: ×/÷ {f:g}"

    def __str__(self) -> str:
        n = f", n={self.n}" if self.n else ""
        if self.kind == "mean_sd":
            return f"{self.value:g} ± {self.spread[0]:g} (mean ± SD{n})"
        if self.kind == "geomean_gsd":
            return f"{self.value:g} (GSD {self.spread[0]:g}{n})"
        if self.kind == "median_range":
            return f"{self.value:g} ({self.spread[0]:g}–{self.spread[1]:g}, median (range){n})"
        return f"{self.value:g}{n and ' (' + n[2:] + ')'}"


@dataclass(frozen=True, slots=True)
class Observation:
    """One observed statistic: ``metric`` (cmax, tmax, auc, conc, F, clearance) of ``analyte``.

    ``time_h``: the sampling time for ``conc``, the end of the AUC window (None = to infinity),
    or for cmax/tmax the end of sampling. ``first_h``: the first sampling time (a bolus Cmax is
    the concentration at or after it). ``origin_h``: times are counted from this time after the
    regimen start (e.g. Tmax after the last spray). ``exclude``: why the item is not compared.
    """

    metric: str
    analyte: str
    stat: Statistic
    time_h: float | None = None
    first_h: float = 0.0
    origin_h: float = 0.0
    exclude: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if self.metric not in METRICS or self.analyte not in ANALYTES:
            raise ParameterError(f"bad observation {self.metric}/{self.analyte}; metrics {METRICS}, "
                                 f"analytes {ANALYTES}.")
        if self.metric == "conc" and self.time_h is None:
            raise ParameterError("a `conc` observation needs its sampling time `time_h`.")

    @property
    def unit(self) -> str:
        """Unit of the statistic (ng/mL, ng·h/mL, h, fraction, mL/min/kg)."""
        return UNITS[self.metric]

    def label(self) -> str:
        """Short name, e.g. ``cmax s_ketamine`` or ``conc ketamine @ 2 h``."""
        at = f" @ {self.time_h:g} h" if self.metric == "conc" else ""
        window = f" 0-{self.time_h:g} h" if self.metric == "auc" and self.time_h else ""
        return f"{self.metric}{window} {self.analyte}{at}"


@dataclass(frozen=True, slots=True)
class Study:
    """A published study arm: regimen as given, subjects, sampling site, observations.

    ``drug`` is what was given (racemic or esketamine); ``weight_kg``/``age_y`` the subject the
    typical prediction is made for (the study mean, or 70 kg / 40 y where not reported, said in
    ``assumptions``). ``regimen_text`` quotes the regimen as published.
    """

    id: str
    citation: Citation
    drug: str
    population: str
    regimen: object
    regimen_text: str
    route: str
    sampling: str
    weight_kg: float
    observations: tuple[Observation, ...]
    age_y: float = 40.0
    child: bool = False
    source_note: str = ""
    assumptions: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.drug not in ("racemic", "esketamine") or self.sampling not in ("arterial", "venous"):
            raise ParameterError(f"study {self.id}: drug racemic|esketamine, sampling arterial|venous.")
        from ..regimen import Regimen

        if not isinstance(self.regimen, Regimen):
            object.__setattr__(self, "regimen", Regimen([self.regimen]))
