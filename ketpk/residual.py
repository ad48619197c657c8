"""Residual (unexplained) error of a measured concentration: one definition for simulation and fit.

Four published forms, per analyte, with ``f`` the model prediction and ``y`` the measurement
(both µmol/L):

* ``additive``: ``y = f + ε``, SD ``a`` (µmol/L);
* ``proportional``: ``y = f·(1 + ε)``, SD ``p`` (fraction);
* ``combined``: ``y = f + f·ε₁ + ε₂``, variance ``a² + p²·f²`` (NONMEM's two independent EPS);
* ``exponential``: ``log y = log f + ε``, SD ``e`` of the log ("log-transformed both sides").

:meth:`ResidualError.draw` simulates measurements. A linear-scale form (additive, proportional,
combined) can give a negative "measurement", which no assay reports; ketpk draws such forms
from the published normal truncated at zero (inverse-CDF sampling, no redraw loop), which
changes the published distribution only in its impossible negative tail (for a proportional SD
of 0.24 that tail holds 1.6e-5 of the draws; for 0.42, 0.9 %). The exponential form is positive
by construction. :meth:`ResidualError.objective` is the matching -2·log-likelihood used by
:func:`ketpk.individualize`, with measurements below the limit of quantification entering by
Beal's M3 method (the probability of a value below the LLOQ; Beal SL. Ways to fit a PK model
with some data below the quantification limit. J Pharmacokinet Pharmacodyn 2001;28(5):481-504,
doi:10.1023/A:1012299115260).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ParameterError

__all__ = ["ResidualError", "KINDS", "assumed"]

KINDS = ("additive", "proportional", "combined", "exponential")
_LOG_2PI = math.log(2 * math.pi)

#: The labelled default for an analyte whose paper gives no residual error (or none retrieved).
ASSUMED_PROPORTIONAL = 0.2


@dataclass(frozen=True, slots=True)
class ResidualError:
    """Residual error of one analyte.

    ``proportional`` SD (fraction), ``additive`` SD (µmol/L) and ``exponential`` SD of the
    natural log; the form (:attr:`kind`) follows from which are non-zero (exponential stands
    alone). ``source`` cites the table; ``assumption`` says why when the values are not published.
    """

    analyte: str
    proportional: float = 0.0
    additive: float = 0.0
    source: str = ""
    exponential: float = 0.0
    assumption: str | None = None

    def __post_init__(self) -> None:
        for name in ("proportional", "additive", "exponential"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                    math.isfinite(value) and value >= 0):
                raise ParameterError(f"ResidualError `{name}` of {self.analyte!r} must be a finite "
                                     f"SD >= 0; got {value!r}.")
        if self.exponential and (self.proportional or self.additive):
            raise ParameterError(
                f"ResidualError of {self.analyte!r}: an exponential error stands alone; got "
                f"exponential={self.exponential} with proportional/additive parts. Give one form.")
        if not (self.exponential or self.proportional or self.additive):
            raise ParameterError(
                f"ResidualError of {self.analyte!r} has every SD zero; give e.g. proportional=0.2.")

    @property
    def kind(self) -> str:
        """``"additive"``, ``"proportional"``, ``"combined"`` or ``"exponential"``."""
        if self.exponential:
            return "exponential"
        if self.proportional and self.additive:
            return "combined"
        return "proportional" if self.proportional else "additive"

    def describe(self) -> str:
        """E.g. ``ketamine: proportional SD 0.236 (Table 3)``."""
        parts = {"proportional": f"SD {self.proportional:g}", "additive": f"SD {self.additive:g} µmol/L",
                 "exponential": f"SD {self.exponential:g} (log scale)",
                 "combined": f"proportional SD {self.proportional:g} + additive SD {self.additive:g} µmol/L"}
        flag = f" [ASSUMPTION: {self.assumption}]" if self.assumption else ""
        return f"{self.analyte}: {self.kind} {parts[self.kind]} ({self.source}){flag}"

    def sd(self, prediction: np.ndarray) -> np.ndarray:
        """SD of a measurement at ``prediction`` (µmol/L; log scale for the exponential form)."""
        f = np.asarray(prediction, dtype=float)
        if self.exponential:
            return np.full_like(f, self.exponential)
        return np.sqrt(self.additive ** 2 + (self.proportional * f) ** 2)

    def draw(self, prediction: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Simulated measurements (µmol/L, never negative) at ``prediction`` (µmol/L)."""
        from scipy import special  # loaded on first use: `import ketpk` stays fast

        f = np.asarray(prediction, dtype=float)
        if self.exponential:
            return f * np.exp(self.exponential * rng.standard_normal(f.shape))
        sd = self.sd(f)
        safe = np.where(sd > 0, sd, 1.0)
        low = special.ndtr(-f / safe)  # probability mass below zero, removed by truncation
        u = low + (1.0 - low) * rng.random(f.shape)
        z = special.ndtri(np.clip(u, 1e-300, 1.0 - 1e-16))
        return np.where(sd > 0, np.maximum(f + sd * z, 0.0), f)

    def objective(self, observed: np.ndarray, prediction: np.ndarray,
                  blq: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-measurement -2·log-likelihood, its derivative by the prediction (per µmol/L) and a
        non-negative curvature (per (µmol/L)²: the expected information, Gauss-Newton style).

        ``observed`` (µmol/L) holds the value, or the LLOQ where ``blq`` is True (M3: the term is
        -2·log P(y < LLOQ)). Exponential form: the likelihood is that of log y (no Jacobian term,
        a constant in the parameters). Predictions must be > 0 for the exponential form.
        """
        from scipy import special

        y = np.asarray(observed, dtype=float)
        f = np.asarray(prediction, dtype=float)
        if self.exponential:
            tiny = np.maximum(f, 1e-300)
            s = self.exponential
            z = (np.log(np.maximum(y, 1e-300)) - np.log(tiny)) / s
            dz = -1.0 / (s * tiny)
            quantified = z * z + 2 * math.log(s) + _LOG_2PI
            dquantified = 2 * z * dz
            information = 2 * dz * dz
        else:
            s2 = self.additive ** 2 + (self.proportional * f) ** 2
            s = np.sqrt(s2)
            ds = self.proportional ** 2 * f / s
            z = (y - f) / s
            dz = -1.0 / s - z * ds / s
            quantified = z * z + np.log(s2) + _LOG_2PI
            dquantified = 2 * z * dz + 2 * ds / s
            information = 2 / s2 + 4 * (ds / s) ** 2  # 2 × Fisher information of N(f, s(f)²)
        log_cdf = special.log_ndtr(z)
        mills = np.exp(-0.5 * z * z - 0.5 * _LOG_2PI - log_cdf)  # φ(z)/Φ(z)
        value = np.where(blq, -2 * log_cdf, quantified)
        slope = np.where(blq, -2 * mills * dz, dquantified)
        curvature = np.where(blq, 2 * mills * (z + mills) * dz * dz, information)
        return value, slope, curvature


def assumed(analyte: str, why: str) -> ResidualError:
    """The labelled default for ``analyte``: proportional SD 0.2, with ``why`` as the reason."""
    return ResidualError(
        analyte, proportional=ASSUMED_PROPORTIONAL, source="ketpk assumption",
        assumption=(f"{why}; proportional SD {ASSUMED_PROPORTIONAL} assumed (a typical size for "
                    "ketamine popPK: published values 0.11-0.48)"),
    )
