"""Predictive validity: published observed studies and how a model compares with them.

>>> from ketpk import validation
>>> v = validation.validate("racemic")                       # doctest: +SKIP
>>> [(r.study.id, r.observation.label(), round(r.ratio, 2), r.passed) for r in v.rows]  # doctest: +SKIP

:data:`STUDIES` is the registry (:mod:`ketpk.validation.registry`); :func:`validate` simulates
every study a model can (same drug form, routes, weight range) and returns predicted/observed
ratios with each observation's pass band; :mod:`ketpk.validation.report` writes the table and
figure of ``docs/validation.md``.
"""

from __future__ import annotations

from .registry import STUDIES, study
from .run import Validation, ValidationRow, validate
from .studies import Observation, Statistic, Study

__all__ = ["STUDIES", "study", "validate", "Validation", "ValidationRow", "Observation", "Statistic", "Study"]
