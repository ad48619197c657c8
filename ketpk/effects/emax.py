"""Concentration–effect models on effect-site concentrations: :class:`EffectModel`.

The effect is a sigmoid Emax function of a normalised drive X (dimensionless):

    E = Emax · X^γ / (1 + X^γ)

with, for the driving effect-site concentration Ce,K (S-ketamine, or total R+S ketamine for a
model estimated on racemic concentrations, ``EffectModel.driver``) and metabolite terms (Simons 2022 Part 2,
thesis p. 45: metabolites tested as agonists or as antagonists),

    agonist terms:     X = Ce,K/C50,K + Σ Ce,m/C50,m
    antagonist terms:  X = Ce,K / (C50,K · [1 + Σ Ce,m/C100,m])

(both kinds together: the agonist sum divided by the antagonist bracket). Without metabolite
terms this is E = Emax·Ce^γ/(C50^γ + Ce^γ), so E = 0 at Ce = 0 and Emax/2 at Ce = C50.
Effects are reported as a fraction of the maximal effect (Emax = 1) unless a model says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..citations import Citation
from ..errors import ParameterError
from ..model import DrugModel, Parameter
from ..units import Q_, as_quantity, convert
from .site import with_effect_site

__all__ = ["EffectModel", "MetaboliteTerm", "sigmoid_emax", "s_analyte", "driver_analyte"]

#: For an S(+)-ketamine model the plain analyte names are the S enantiomers.
_ESKETAMINE_ANALYTE = {"s_ketamine": "ketamine", "s_norketamine": "norketamine",
                       "s_hydroxynorketamine": "hydroxynorketamine"}


def sigmoid_emax(x: Any, gamma: float = 1.0, emax: float = 1.0) -> np.ndarray:
    """``emax · x^γ / (1 + x^γ)`` for a normalised drive ``x = Ce/C50`` (x >= 0)."""
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        raise ParameterError("the effect drive `x` must be >= 0 (a concentration over a C50).")
    power = x ** gamma
    return emax * power / (1.0 + power)


def s_analyte(model: DrugModel, species: str) -> str:
    """The analyte of ``model`` that is the S enantiomer ``species`` (e.g. ``"s_ketamine"``)."""
    analytes = model.analytes
    name = _ESKETAMINE_ANALYTE.get(species) if model.drug == "esketamine" else species
    if name not in analytes:
        raise ParameterError(
            f"model {model.id!r} ({model.drug}) has no analyte for {species} (it has "
            f"{', '.join(analytes)}); these effect models are driven by S enantiomers only. Use an "
            "S-ketamine model, or a racemic model that resolves the enantiomers ('s_ketamine')."
        )
    return name


def driver_analyte(model: DrugModel, species: str) -> str:
    """The analyte of ``model`` for an effect driver: an S enantiomer (:func:`s_analyte`) or
    ``"ketamine"``, total (R+S) ketamine of a racemic model."""
    if species != "ketamine":
        return s_analyte(model, species)
    if model.drug != "racemic" or "ketamine" not in model.analytes:
        raise ParameterError(
            f"this effect model was estimated on total (R+S) racemic ketamine concentrations; model "
            f"{model.id!r} ({model.drug}) has none. Use a racemic model, e.g. 'racemic.herd2007'."
        )
    return "ketamine"


def _molar(parameter: Parameter, species: str) -> float:
    """A concentration parameter in µmol/L (= nmol/mL) of ``species``."""
    value = parameter.value
    return float(convert(value.magnitude, str(value.units), species, "umol/L").magnitude)


@dataclass(frozen=True, slots=True)
class MetaboliteTerm:
    """A metabolite's contribution: ``species`` (e.g. ``"s_norketamine"``), ``role`` ``"agonist"``
    (``potency`` = its C50) or ``"antagonist"`` (``potency`` = its C100)."""

    species: str
    role: str
    potency: Parameter

    def __post_init__(self) -> None:
        if self.role not in ("agonist", "antagonist"):
            raise ParameterError(f"`role` must be 'agonist' or 'antagonist'; got {self.role!r}.")


@dataclass(frozen=True)
class EffectModel:
    """A published concentration–effect model driven by an effect-site concentration.

    ``driver`` is the driving species: ``"s_ketamine"`` (default) or ``"ketamine"`` (total R+S
    ketamine of a racemic model, for models estimated on racemic concentrations).
    ``t_half_ke0``, ``c50`` (of the driver), ``gamma`` and ``emax`` are :class:`~ketpk.Parameter`
    objects with sources; unpublished ones carry ``assumption``. ``validity`` says where the
    model was estimated and may be used; ``r_ketamine`` which paper the R-enantiomer handling
    follows; ``notes`` are further assumption labels (e.g. an assumed equation form).
    """

    id: str
    endpoint: str
    citation: Citation
    t_half_ke0: Parameter
    c50: Parameter
    gamma: Parameter
    emax: Parameter
    validity: str
    r_ketamine: str
    metabolites: tuple[MetaboliteTerm, ...] = ()
    notes: tuple[str, ...] = ()
    evidence: str = "published"
    driver: str = "s_ketamine"

    def __post_init__(self) -> None:
        if self.driver not in ("s_ketamine", "ketamine"):
            raise ParameterError(f"`driver` must be 's_ketamine' or 'ketamine'; got {self.driver!r}.")

    @property
    def site(self) -> str:
        """Effect-site name used in analyte names, e.g. ``"ketamine@olofsen2022"``."""
        return self.id.replace(".", "_")

    @property
    def species(self) -> tuple[str, ...]:
        """The driver, then each metabolite term's species."""
        return (self.driver, *(m.species for m in self.metabolites))

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """All parameters, metabolite potencies included."""
        return (self.t_half_ke0, self.c50, self.gamma, self.emax, *(m.potency for m in self.metabolites))

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Every assumption label: assumed parameters, then model-level notes."""
        return tuple(f"{p.name}: {p.assumption}" for p in self.parameters if p.assumption) + self.notes

    def with_parameters(self, **values: Any) -> EffectModel:
        """A copy with ``t_half_ke0``, ``c50``, ``gamma`` or ``emax`` replaced, labelled as user choices."""
        fields = {"t_half_ke0", "c50", "gamma", "emax"}
        changed = {}
        for name, value in values.items():
            if name not in fields:
                raise ParameterError(f"`{name}` is not an effect-model parameter; choose from {sorted(fields)}.")
            old = getattr(self, name)
            new = Q_(float(value)) if isinstance(value, (int, float)) and old.value.dimensionless \
                else as_quantity(value, name)
            if new.dimensionality != old.value.dimensionality:
                raise ParameterError(f"`{name}` has dimension {old.value.dimensionality}; got {new}.")
            changed[name] = replace(old, value=new, source="user override",
                                    assumption=f"set by the user to {new:~P}")
        return replace(self, **changed)

    def attach(self, model: DrugModel) -> DrugModel:
        """``model`` with this effect's site on the driver (and on each metabolite term)."""
        return with_effect_site(model, site=self.site, of=[driver_analyte(model, s) for s in self.species],
                                t_half=self.t_half_ke0.value, source=f"{self.id}: {self.t_half_ke0.source}",
                                assumption=self.t_half_ke0.assumption)

    def drive(self, ce: Mapping[str, np.ndarray]) -> np.ndarray:
        """Normalised drive X from effect-site concentrations (µmol/L) keyed by species."""
        agonist = ce[self.driver] / _molar(self.c50, self.driver)
        antagonist = 1.0
        for term in self.metabolites:
            ratio = ce[term.species] / _molar(term.potency, term.species)
            if term.role == "agonist":
                agonist = agonist + ratio
            else:
                antagonist = antagonist + ratio
        return np.maximum(agonist / antagonist, 0.0)

    def effect(self, ce: Mapping[str, np.ndarray]) -> np.ndarray:
        """Effect (fraction of the maximal effect unless ``emax`` says otherwise)."""
        return sigmoid_emax(self.drive(ce), self.gamma.canonical, self.emax.canonical)

    def describe(self) -> str:
        """A readable card: endpoint, citation, form, parameters with sources and assumptions."""
        lines = [f"{self.id}: {self.endpoint}", f"  citation: {self.citation}",
                 f"  evidence: {self.evidence}", f"  driven by: {self.driver}", f"  valid for: {self.validity}",
                 f"  R-ketamine: {self.r_ketamine}"]
        for p in self.parameters:
            flag = f"  [ASSUMPTION: {p.assumption}]" if p.assumption else ""
            lines.append(f"    {p.name:<12} {p.value:~P}  {p.description} ({p.source}){flag}")
        lines.extend(f"  ASSUMPTION: {note}" for note in self.notes)
        return "\n".join(lines)
