"""The result of :func:`ketpk.simulate`: times, concentrations and amounts with units."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .display import Card, CardData, regimen_text, time_span
from .errors import ParameterError
from .fileio import write_csv
from .metrics import check_levels, percentiles
from .species import analyte_label
from .units import Q_, convert, convert_values

__all__ = ["SimulationResult", "provenance"]

_CONCENTRATION = "a concentration unit, mass or molar (e.g. 'ng/mL', 'nmol/mL')"


def provenance(model: Any, solver: str, seed: Any) -> dict[str, Any]:
    """What produced a result: ketpk version, model id, solver and population seed (or None).

    Stored first in every result's ``metadata`` and written as ``#`` comment lines by ``to_csv``.
    """
    from . import __version__

    return {"ketpk_version": __version__, "model_id": model.id, "solver": solver, "seed": seed}


@dataclass(frozen=True, eq=False, repr=False)
class SimulationResult(Card):
    """Concentrations (µmol/L inside; any unit through :meth:`concentration`) and amounts (µmol)
    over time (min) for one subject or a batch.

    Arrays have shape ``(n_subjects, n_times)``; with a single :class:`~ketpk.Subject` (or no
    subjects) the subject axis is dropped. ``assumptions`` lists every assumption-labelled value
    the simulation used (a curve that rests on assumptions says so).
    """

    times_min: np.ndarray
    concentrations_umol_per_l: Mapping[str, np.ndarray]
    states: tuple[str, ...]
    species: tuple[str, ...]
    amounts_umol: np.ndarray | None
    model: Any
    regimen: Any
    solver: str
    single: bool
    assumptions: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def times(self):
        """Output times as a Quantity (min)."""
        return Q_(self.times_min, "min")

    @property
    def analytes(self) -> tuple[str, ...]:
        """Analyte names available to :meth:`concentration`."""
        return tuple(self.concentrations_umol_per_l)

    @property
    def model_id(self) -> str:
        """Id of the model simulated."""
        return self.model.id

    @property
    def citation(self):
        """Citation of the model simulated."""
        return self.model.citation

    @property
    def n_subjects(self) -> int:
        """Number of subjects simulated."""
        return next(iter(self.concentrations_umol_per_l.values())).shape[0]

    def _squeeze(self, values: np.ndarray) -> np.ndarray:
        return values[0] if self.single else values

    def concentration(self, analyte: str, unit: str = "ng/mL"):
        """Plasma concentration of ``analyte`` (e.g. ``"ketamine"``, ``"norketamine"``).

        ``unit`` may be a mass concentration (``"ng/mL"``, ``"mg/L"``) or a molar one
        (``"nmol/mL"``, ``"umol/L"``). Returns a Quantity, shape (n_times,) or (n_subjects, n_times).
        """
        return convert(self._stored(analyte), "umol/L", analyte, unit, expected=_CONCENTRATION)

    def concentration_values(self, analyte: str, unit: str = "ng/mL") -> np.ndarray:
        """``concentration(analyte, unit).magnitude`` as a plain float array (same floats), shape
        (n_times,) or (n_subjects, n_times); for the units of
        :data:`~ketpk.units.KNOWN_CONCENTRATIONS` (ng/mL, mg/L, nmol/mL, ...) pint is not imported."""
        return convert_values(self._stored(analyte), "umol/L", analyte, unit, expected=_CONCENTRATION)

    def _stored(self, analyte: str) -> np.ndarray:
        """The stored µmol/L of ``analyte`` (subject axis squeezed for a single subject)."""
        if analyte not in self.concentrations_umol_per_l:
            raise ParameterError(
                f"`analyte` must be one of {', '.join(self.analytes)} for model {self.model_id!r}; "
                f"got {analyte!r}."
            )
        return self._squeeze(self.concentrations_umol_per_l[analyte])

    def percentiles(self, analyte: str = "ketamine", q: Sequence[float] = (5, 50, 95),
                    unit: str = "ng/mL"):
        """Percentiles over subjects at each time: Quantity of shape (len(q), n_times).

        The same computation as the chunked :func:`ketpk.summarize` (numpy's linear method).
        """
        values = np.atleast_2d(self._stored(analyte))
        return convert(percentiles(values, check_levels(q)), "umol/L", analyte, unit,
                       expected=_CONCENTRATION)

    def amount(self, state: str, unit: str = "umol"):
        """Amount in compartment ``state`` (e.g. ``"ketamine.central"``); needs ``record="all"``."""
        if self.amounts_umol is None:
            raise ParameterError("amounts were not recorded (simulate keeps concentrations only by "
                                 "default); pass record='all' to ketpk.simulate to keep every "
                                 "compartment's amount.")
        if state not in self.states:
            raise ParameterError(f"`state` must be one of {self.states}; got {state!r}.")
        index = self.states.index(state)
        return convert(self._squeeze(self.amounts_umol[:, index]), "umol", self.species[index], unit,
                       expected="an amount unit, molar or mass (e.g. 'umol', 'mg')")

    def to_csv(self, path: str | os.PathLike, *, unit: str = "ng/mL", time_unit: str = "h",
               analytes: Sequence[str] | None = None) -> None:
        """Write a long-format CSV: subject, time [time_unit], one column per analyte in ``unit``.

        Time is in hours by default, as in tables, plots and frames. The provenance
        (``metadata``: ketpk version, model id, solver, seed, ..., and the citation) comes first
        as ``# key: value`` comment lines; read with ``pandas.read_csv(path, comment="#")``.
        Written to a temporary file then renamed, so a failure leaves no partial file.
        """
        names = list(analytes or self.analytes)
        columns = [np.atleast_2d(self.concentration(a, unit).magnitude) for a in names]
        times = convert(self.times_min, "min", None, time_unit, name="time_unit").magnitude
        rows = ([s, f"{time:.12g}", *(f"{c[s, t]:.10g}" for c in columns)]
                for s in range(columns[0].shape[0]) for t, time in enumerate(times))
        write_csv(path, ["subject", f"time [{time_unit}]", *(f"{self.label(a)} [{unit}]" for a in names)], rows,
                  provenance={**self.metadata, "citation": self.citation})

    def label(self, analyte: str) -> str:
        """The readable name of ``analyte`` for this model's drug form (``"S-ketamine"``,
        ``"ketamine (R+S)"``), for plots, tables and CSV headers."""
        return analyte_label(self.model.drug, analyte)

    def frame_attrs(self, time_unit: str) -> dict[str, Any]:
        """Provenance for ``DataFrame.attrs``: metadata, citation, time unit and assumptions."""
        return {**self.metadata, "citation": str(self.citation), "time_unit": time_unit,
                "assumptions": list(self.assumptions)}

    def to_frame(self, *, unit: str = "ng/mL", time_unit: str = "h",
                 analytes: Sequence[str] | None = None, wide: bool = False) -> Any:
        """A pandas DataFrame (``pip install "ketpk[pandas]"``) of the concentrations.

        Long (default): columns ``ID`` (subject 1..n), ``time`` (in ``time_unit``), ``analyte``,
        ``value`` (in ``unit``), ``unit``. ``wide=True``: ``ID``, ``time`` and one
        ``"<analyte> [<unit>]"`` column per analyte. Provenance is in ``frame.attrs``.
        """
        from .frames import curves_frame

        names = list(analytes or self.analytes)
        times = convert(self.times_min, "min", None, time_unit, name="time_unit").magnitude
        series = [(a, unit, np.atleast_2d(self.concentration(a, unit).magnitude).ravel()) for a in names]
        keys = {"ID": np.repeat(np.arange(1, self.n_subjects + 1), times.size),
                "time": np.tile(times, self.n_subjects)}
        return curves_frame(keys, series, self.frame_attrs(time_unit), wide)

    def card(self) -> CardData:
        """Model, subjects, times, citation, assumption count and a Cmax/Tmax/AUC table (the
        median over subjects for a population) for ``repr`` and notebooks."""
        from . import nca

        rows = []
        for analyte in self.analytes:
            c = nca.curve(self, analyte, unit="ng/mL", time_unit="h")
            rows.append({"analyte": analyte, "Cmax": nca.cmax(c), "Tmax": nca.tmax(c), "AUC": nca.auc(c)})
        return CardData(
            title=f"SimulationResult: model {self.model_id} ({self.model.drug})",
            facts=[("subjects", str(self.n_subjects)), ("times", time_span(self.times_min)),
                   ("regimen", regimen_text(self.regimen)),
                   ("citation", str(self.citation)),
                   ("assumptions", f"{len(self.assumptions)} (see .assumptions)")],
            rows=rows, figure=self.plot,
            hint=("median over subjects; " if self.n_subjects > 1 else "")
            + "to_frame() for a DataFrame, plot() for curves")

    def plot(self, analytes: Sequence[str] | None = None, **kwargs: Any) -> Any:
        """Plot concentrations; see :func:`ketpk.plotting.plot_concentration`."""
        from .plotting import plot_concentration

        return plot_concentration(self, analytes, **kwargs)
