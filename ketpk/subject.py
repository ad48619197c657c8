"""Subjects (covariates) and the batch form the engine works on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .bodysize import dosing_weight
from .errors import ParameterError, RegimenError
from .units import COVARIATE_UNITS, as_quantity, scalar, to_covariate

__all__ = ["Subject", "SubjectBatch", "as_batch", "check_covariate", "subject_weights"]

_SEXES = ("female", "male")

#: Covariate -> (rule, test, example) for values in the units of ``COVARIATE_UNITS`` (kg, year, cm).
_COVARIATE_RULES = {
    "height": ("finite and positive", lambda v: np.isfinite(v) & (v > 0), "'170 cm'"),
    "weight": ("finite and positive", lambda v: np.isfinite(v) & (v > 0), "'70 kg'"),
    "age": ("finite and non-negative", lambda v: np.isfinite(v) & (v >= 0), "'45 year'"),
}


def check_covariate(name: str, values: Any) -> np.ndarray:
    """``values`` (kg or year; scalar or array) if every one is valid, else a ParameterError.

    The one check of user-given weights and ages (Subject, population tables and draws).
    """
    rule, valid, example = _COVARIATE_RULES[name]
    unit = COVARIATE_UNITS[name]
    values = np.asarray(values, dtype=float)
    bad = ~valid(values)
    if np.any(bad):
        where = "" if values.ndim == 0 else f" at subject(s) {np.flatnonzero(bad)[:5].tolist()}"
        shown = values if values.ndim == 0 else values[bad][:5]
        raise ParameterError(f"`{name}` must be {rule}; got {shown} {unit}{where}. "
                             f"Give a real {name}, e.g. {example}.")
    return values


@dataclass(frozen=True, slots=True)
class Subject:
    """One virtual subject, typical for the model except for the covariates given.

    Parameters
    ----------
    weight : Quantity or str [mass], optional
        Body weight, e.g. ``"70 kg"``. Needed for per-weight doses and weight-scaled models;
        when omitted, weight-scaled models use their reference weight (70 kg).
    age : Quantity or str [time], optional
        Age, e.g. ``"45 year"``.
    sex : {"female", "male"}, optional
    height : Quantity or str [length], optional
        Height, e.g. ``"170 cm"``; with sex it gives ideal and lean body weight
        (:mod:`ketpk.bodysize`).
    dose_weight : {"total", "ideal", "lean"}
        Which weight a per-kg dose is given by (default ``"total"``, the body weight); ideal
        and lean need height and sex. Models still scale by total body weight.
    """

    weight: Any = None
    age: Any = None
    sex: str | None = None
    height: Any = None
    dose_weight: str = "total"
    _covariates: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        covariates: dict[str, float] = {}
        if self.weight is not None:
            object.__setattr__(self, "weight", as_quantity(self.weight, "weight"))
            covariates["weight"] = float(check_covariate("weight", scalar(to_covariate(self.weight, "weight"), "weight")))
        if self.age is not None:
            object.__setattr__(self, "age", as_quantity(self.age, "age"))
            covariates["age"] = float(check_covariate("age", scalar(to_covariate(self.age, "age"), "age")))
        if self.sex is not None:
            if self.sex not in _SEXES:
                raise ParameterError(f"`sex` must be 'female' or 'male'; got {self.sex!r}. "
                                     "Spell it out in lower case, or leave it out.")
            covariates["female"] = 1.0 if self.sex == "female" else 0.0
        if self.height is not None:
            object.__setattr__(self, "height", as_quantity(self.height, "height"))
            covariates["height"] = float(check_covariate("height", scalar(to_covariate(self.height, "height"), "height")))
        if self.dose_weight != "total":
            if "weight" not in covariates:
                raise ParameterError("`dose_weight` needs the subject's weight; give weight='70 kg'.")
            covariates["dosing_weight"] = float(dosing_weight(
                self.dose_weight, covariates["weight"], covariates.get("height"), covariates.get("female")))
        object.__setattr__(self, "_covariates", covariates)

    def __str__(self) -> str:
        """``"subject 70 kg, 45 years, female"``: the covariates given (or ``"typical subject"``)."""
        c = self._covariates
        parts = [f"{c['weight']:g} kg" if "weight" in c else "", f"{c['age']:g} years" if "age" in c else "",
                 self.sex or ""]
        given = ", ".join(p for p in parts if p)
        return f"subject {given}" if given else "typical subject"

    @property
    def covariates(self) -> dict[str, float]:
        """Covariates in canonical units: weight (kg), age (year), female (0/1), height (cm),
        and dosing_weight (kg) when ``dose_weight`` is not total."""
        return dict(self._covariates)


@dataclass(frozen=True)
class SubjectBatch:
    """Subjects as arrays: covariates and etas (inter-individual random effects) per subject.

    ``weights_given`` is False when no weight was given by the user, so per-weight doses fail
    clearly instead of silently using a reference weight. ``drawn_for`` is the id of the model
    whose variability drew the etas (a population's), so they are not given to another model.
    """

    n: int
    covariates: Mapping[str, np.ndarray]
    etas: Mapping[str, np.ndarray] = field(default_factory=dict)
    single: bool = False
    weights_given: bool = True
    seed: Any = None
    drawn_for: str | None = None

    @property
    def weights(self) -> np.ndarray | None:
        """Weights (kg) that per-kg doses use when given for every subject, else None: the
        ``dosing_weight`` covariate (ideal or lean) where given, else body weight."""
        if not self.weights_given:
            return None
        return np.asarray(self.covariates.get("dosing_weight", self.covariates["weight"]))

    def describe(self) -> str:
        """Who was simulated, for titles and provenance: ``"70 kg"``, ``"500 subjects, 48-112 kg"``
        or ``"reference subject"`` (no weight given)."""
        weights = self.weights
        who = f"{self.n} subjects" if self.n > 1 else ""
        if weights is not None and weights.size:
            lo, hi = float(np.min(weights)), float(np.max(weights))
            span = f"{lo:.3g} kg" if lo == hi else f"{lo:.3g}-{hi:.3g} kg"
            return f"{who}, {span}" if who else span
        return who or "reference subject"

    def subset(self, start: int, stop: int) -> SubjectBatch:
        """Subjects ``start:stop`` as a batch of their own."""
        part = slice(start, stop)
        return SubjectBatch(stop - start, {k: np.asarray(v)[part] for k, v in self.covariates.items()},
                            {k: np.asarray(v)[part] for k, v in self.etas.items()}, single=False,
                            weights_given=self.weights_given, seed=self.seed)


def as_batch(subjects: Any) -> SubjectBatch:
    """Turn ``None``, a :class:`Subject`, a sequence of them, or a population into a batch."""
    if subjects is None:
        return SubjectBatch(1, {}, single=True, weights_given=False)
    if isinstance(subjects, SubjectBatch):
        return subjects
    if hasattr(subjects, "_as_batch"):  # a population (or a user's table of covariates)
        return subjects._as_batch()
    single = isinstance(subjects, Subject)
    group: Sequence[Any] = [subjects] if single else list(subjects) if isinstance(
        subjects, (list, tuple)) else [subjects]
    if not group:
        raise ParameterError("`subjects` is empty; give at least one ketpk.Subject.")
    for s in group:
        if not isinstance(s, Subject):
            raise ParameterError(
                f"`subjects` must be a ketpk.Subject, a list of them or a population; got "
                f"{s!r} of type {type(s).__name__}."
            )
    names = set().union(*(s.covariates for s in group))
    covariates: dict[str, np.ndarray] = {}
    if "dosing_weight" in names:  # subjects dosed by total weight: their own weight
        group_cov = [{"dosing_weight": s.covariates.get("weight"), **s.covariates} for s in group]
    else:
        group_cov = [s.covariates for s in group]
    for name in names:
        missing = [i for i, c in enumerate(group_cov) if c.get(name) is None]
        if missing:
            raise ParameterError(
                f"covariate {name!r} is given for some subjects but not for subjects {missing}; "
                "give it for all or none."
            )
        covariates[name] = np.array([c[name] for c in group_cov])
    return SubjectBatch(len(group), covariates, single=single, weights_given="weight" in names)


def subject_weights(subject: Any) -> np.ndarray | None:
    """Body weight (kg, shape (1,)) of one :class:`~ketpk.subject.Subject`, or None if unknown."""
    batch = as_batch(subject)
    if batch.n != 1:
        raise RegimenError(f"regimen summaries are per subject; got {batch.n} subjects. "
                           "Loop over them or pass one ketpk.Subject.")
    return batch.weights
