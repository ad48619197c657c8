"""The result of :func:`ketpk.simulate`: times, concentrations and amounts with units."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import ParameterError
from .species import molar_mass
from .units import Q_, as_quantity

__all__ = ["SimulationResult", "convert"]


def convert(values: Any, unit_from: str, analyte: str, unit: str):
    """``values`` in ``unit_from`` (molar, e.g. µmol/L or µmol/L·min) as a Quantity in ``unit``;
    a mass-based ``unit`` (ng/mL, ng/mL·h) uses the molar mass of ``analyte``."""
    values = Q_(values, unit_from)
    target = as_quantity(f"1 {unit}", "unit")
    if "[mass]" in target.dimensionality and "[substance]" in values.dimensionality:
        species = analyte.partition("@")[0]  # "ketamine@site": an effect-site concentration
        values = values * Q_(molar_mass(species), "g/mol")
    return values.to(unit)


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Concentrations (and amounts) over time for one subject or a batch.

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
        if analyte not in self.concentrations_umol_per_l:
            raise ParameterError(
                f"`analyte` must be one of {', '.join(self.analytes)} for model {self.model_id!r}; "
                f"got {analyte!r}."
            )
        return convert(self._squeeze(self.concentrations_umol_per_l[analyte]), "umol/L", analyte, unit)

    def percentiles(self, analyte: str = "ketamine", q: Sequence[float] = (5, 50, 95),
                    unit: str = "ng/mL"):
        """Percentiles over subjects at each time: Quantity of shape (len(q), n_times).

        The same computation as the chunked :func:`ketpk.summarize` (numpy's linear method).
        """
        from .summary import percentiles

        self.concentration(analyte)  # validates the analyte name
        values = np.atleast_2d(self.concentrations_umol_per_l[analyte])
        return convert(percentiles(values, q), "umol/L", analyte, unit)

    def amount(self, state: str, unit: str = "umol"):
        """Amount in compartment ``state`` (e.g. ``"ketamine.central"``); needs ``record="all"``."""
        if self.amounts_umol is None:
            raise ParameterError("amounts were not recorded (simulate keeps concentrations only by "
                                 "default); pass record='all' to ketpk.simulate to keep every "
                                 "compartment's amount.")
        if state not in self.states:
            raise ParameterError(f"`state` must be one of {self.states}; got {state!r}.")
        index = self.states.index(state)
        values = Q_(self._squeeze(self.amounts_umol[:, index]), "umol")
        if as_quantity(f"1 {unit}", "unit").dimensionality == {"[mass]": 1}:
            values = values * Q_(molar_mass(self.species[index]), "g/mol")
        return values.to(unit)

    def to_csv(self, path: str | os.PathLike, *, unit: str = "ng/mL",
               analytes: Sequence[str] | None = None) -> None:
        """Write a long-format CSV: subject, time [min], one column per analyte in ``unit``.

        Written to a temporary file then renamed, so a failure leaves no partial file.
        """
        names = list(analytes or self.analytes)
        columns = [np.atleast_2d(self.concentration(a, unit).magnitude) for a in names]
        path = os.fspath(path)
        directory = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["subject", "time [min]", *(f"{a} [{unit}]" for a in names)])
                for s in range(columns[0].shape[0]):
                    for t, time in enumerate(self.times_min):
                        writer.writerow([s, f"{time:.10g}", *(f"{c[s, t]:.10g}" for c in columns)])
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    def plot(self, analytes: Sequence[str] | None = None, **kwargs: Any) -> Any:
        """Plot concentrations; see :func:`ketpk.plotting.plot_concentration`."""
        from .plotting import plot_concentration

        return plot_concentration(self, analytes, **kwargs)
