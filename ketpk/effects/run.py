"""Simulate effects: PK with effect sites in one linear system, then the Emax models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..citations import Citation
from ..errors import ParameterError
from ..result import SimulationResult
from ..models import resolve
from ..simulate import simulate
from ..units import Q_
from .emax import EffectModel, driver_analyte
from .library import get

__all__ = ["EffectCurve", "EffectResult", "simulate_effects"]


@dataclass(frozen=True, eq=False)
class EffectCurve:
    """One effect over time with its provenance.

    ``values`` (fraction of maximal effect) and ``drive`` (X = Ce/C50 with metabolite terms;
    X >= 1 means at or above C50) have shape (n_times,) or (n_subjects, n_times); ``analyte`` is
    the PK analyte whose effect site drives it (e.g. ``"ketamine"``).
    """

    effect_id: str
    endpoint: str
    times_min: np.ndarray
    values: np.ndarray
    drive: np.ndarray
    citation: Citation
    assumptions: tuple[str, ...]
    validity: str
    analyte: str

    @property
    def times(self):
        """Output times as a Quantity (min)."""
        return Q_(self.times_min, "min")


@dataclass(frozen=True, eq=False)
class EffectResult:
    """PK result with effect sites, and the effect curves computed from it.

    ``concentration("ketamine@<site>")`` gives effect-site concentrations like plasma ones;
    ``effect(id)`` an :class:`EffectCurve`; ``assumptions`` the PK model's and every effect's.
    """

    pk: SimulationResult
    curves: dict[str, EffectCurve]

    @property
    def times(self):
        """Output times as a Quantity (min)."""
        return self.pk.times

    @property
    def effect_ids(self) -> tuple[str, ...]:
        """Ids of the effect models simulated."""
        return tuple(self.curves)

    def effect(self, effect_id: str | None = None) -> EffectCurve:
        """The :class:`EffectCurve` of ``effect_id`` (optional when only one was simulated)."""
        if effect_id is None and len(self.curves) == 1:
            return next(iter(self.curves.values()))
        if effect_id not in self.curves:
            raise ParameterError(f"`effect_id` must be one of {', '.join(self.curves)}; got {effect_id!r}.")
        return self.curves[effect_id]

    def concentration(self, analyte: str, unit: str = "ng/mL"):
        """Plasma (``"ketamine"``) or effect-site (``"ketamine@olofsen2022"``) concentration."""
        return self.pk.concentration(analyte, unit)

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Assumption labels of the PK model and of every effect (prefixed by effect id)."""
        return self.pk.assumptions + tuple(
            f"{c.effect_id}: {a}" for c in self.curves.values() for a in c.assumptions)


    def to_frame(self, *, unit: str = "ng/mL", time_unit: str = "h", wide: bool = False) -> Any:
        """A pandas DataFrame (``pip install "ketpk[pandas]"``) of concentrations and effects.

        As :meth:`ketpk.SimulationResult.to_frame`, plus one ``analyte`` per effect (its id,
        ``unit`` ``"fraction of Emax"``). Provenance and the effects' citations in ``attrs``.
        """
        from ..frames import curves_frame
        from ..units import to_unit

        pk = self.pk
        times = to_unit(pk.times, time_unit, "time_unit").magnitude
        series = [(a, unit, np.atleast_2d(pk.concentration(a, unit).magnitude).ravel()) for a in pk.analytes]
        series += [(c.effect_id, "fraction of Emax", np.atleast_2d(c.values).ravel())
                   for c in self.curves.values()]
        keys = {"ID": np.repeat(np.arange(1, pk.n_subjects + 1), times.size),
                "time": np.tile(times, pk.n_subjects)}
        attrs = {**pk.frame_attrs(time_unit), "assumptions": list(self.assumptions),
                 "effect_citations": {c.effect_id: str(c.citation) for c in self.curves.values()}}
        return curves_frame(keys, series, attrs, wide)


def simulate_effects(model: Any, regimen: Any, times: Any, effects: Sequence[Any] | Any, *,
                     subjects: Any = None, solver: Any = "exact",
                     sampling: str | None = None) -> EffectResult:
    """Simulate ``effects`` (effect-model ids or :class:`EffectModel` objects) of ``regimen``.

    The PK ``model`` (object or id) must resolve each effect's driver: S-ketamine (an S-ketamine
    model, or a racemic model with an ``"s_ketamine"`` analyte), or total ketamine of a racemic
    model for effects estimated on racemic concentrations (``EffectModel.driver``). Effect sites are extra linear states of the same
    system, solved by ``solver`` with the plasma curves, fed by arterial plasma whatever
    ``sampling`` (``"arterial"``/``"venous"``: the plasma curves reported). Other arguments as
    :func:`ketpk.simulate`.
    """
    pk_model = resolve(model)
    chosen = [get(e) for e in ((effects,) if isinstance(effects, (str, EffectModel)) else effects)]
    if not chosen:
        raise ParameterError("`effects` must name at least one effect model, e.g. 'olofsen2022'.")
    ids = [e.id for e in chosen]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ParameterError(f"`effects` names {', '.join(map(repr, twice))} more than once; give each "
                             "effect model once.")
    wrapped = pk_model
    for effect_model in chosen:
        wrapped = effect_model.attach(wrapped)
    pk = simulate(wrapped, regimen, times, subjects=subjects, solver=solver, record="plasma",
                  sampling=sampling)
    curves = {}
    for effect_model in chosen:
        ce = {s: pk.concentrations_umol_per_l[f"{driver_analyte(pk_model, s)}@{effect_model.site}"]
              for s in effect_model.species}
        curves[effect_model.id] = EffectCurve(
            effect_id=effect_model.id, endpoint=effect_model.endpoint, times_min=pk.times_min,
            values=pk._squeeze(effect_model.effect(ce)),
            drive=pk._squeeze(effect_model.drive(ce)),
            citation=effect_model.citation, assumptions=effect_model.assumptions,
            validity=effect_model.validity, analyte=driver_analyte(pk_model, effect_model.driver))
    return EffectResult(pk=pk, curves=curves)
