"""Drug models: cited parameters with units, covariate effects, routes and the linear system.

A :class:`DrugModel` never holds doses. It turns a batch of subjects into individual parameter
arrays (:class:`Params`, canonical units, one value per subject) and those into a linear
compartment system ``dx/dt = A x + u(t)`` (:class:`SystemBuilder`), with amounts in µmol.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np

from .citations import Citation
from .display import Card, CardData
from .errors import ParameterError, RegimenError
from .physical import check_balance, check_flow, check_inputs, check_volume
from .residual import ResidualError
from .species import SPECIES, molar_mass
from .units import CANONICAL, Q_, as_quantity, lazy_quantity, read_known

__all__ = [
    "Parameter", "Allometric", "FromColumn", "CovariateEffect", "OmegaBlock", "ParameterUncertainty",
    "UNCERTAINTY_PREFIX", "OCCASION_PREFIX", "ResidualError", "Input",
    "Route", "Params", "SystemBuilder", "System", "DrugModel",
]


class CovariateEffect:
    """How a covariate changes a typical value. Subclasses implement :meth:`apply`."""

    covariate: str
    #: Whether a subject must have the covariate (False: the typical value stands without it).
    required: ClassVar[bool] = True

    def apply(self, value: np.ndarray, covariates: Mapping[str, np.ndarray]) -> np.ndarray:
        """Return the individual value (canonical units) from the typical one."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short formula, e.g. ``× (weight/70 kg)^0.75``."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Allometric(CovariateEffect):
    """Power scaling: ``value × (covariate / reference)^exponent`` (weight in kg by default)."""

    exponent: float
    reference: float = 70.0
    covariate: str = "weight"

    def __post_init__(self) -> None:
        for name, value in (("exponent", self.exponent), ("reference", self.reference)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ParameterError(f"Allometric `{name}` must be a finite number; got {value!r}. "
                                     "E.g. Allometric(0.75) for clearances, Allometric(1.0) for volumes.")
        if self.reference <= 0:
            raise ParameterError(f"Allometric `reference` must be > 0 (kg); got {self.reference!r}.")

    def apply(self, value: np.ndarray, covariates: Mapping[str, np.ndarray]) -> np.ndarray:
        return value * (covariates[self.covariate] / self.reference) ** self.exponent

    def describe(self) -> str:
        return f"× ({self.covariate}/{self.reference:g})^{self.exponent:g}"


#: Dimensions whose parameters must be strictly positive: volumes and clearances.
_POSITIVE = {"[length] ** 3": "a volume", "[length] ** 3 / [time]": "a clearance"}


@dataclass(frozen=True, slots=True)
class FromColumn(CovariateEffect):
    """The value is read from a covariate (a dataset column), in ``unit``; the typical value
    stands where the subject has none (no such covariate, or a missing value).

    ``unit`` is the unit the column is written in (e.g. ``"h"`` for a lag, ``""`` for a
    fraction); values are converted to canonical units.
    """

    covariate: str
    unit: str = ""
    required: ClassVar[bool] = False

    def apply(self, value: np.ndarray, covariates: Mapping[str, np.ndarray]) -> np.ndarray:
        given = covariates.get(self.covariate)
        if given is None:
            return value
        given = np.asarray(given, dtype=float)
        factor = _canonical(Q_(1.0, self.unit), f"column {self.covariate}") if self.unit else 1.0
        return np.where(np.isnan(given), value, given * factor)

    def describe(self) -> str:
        return f"= column {self.covariate}" + (f" [{self.unit}]" if self.unit else "")


def _canonical(quantity: Any, what: str) -> float:
    """Magnitude of ``quantity`` in ketpk's canonical unit for its dimension."""
    dims = quantity.dimensionality
    key = "dimensionless" if not dims else str(dims)
    if key not in CANONICAL:
        raise ParameterError(f"`{what}` has unsupported dimension {key}; got {quantity}.")
    return float(quantity.to(CANONICAL[key]).magnitude)


@dataclass(frozen=True)
class Parameter:
    """A model parameter named and united as in its paper's table (``value`` a Quantity, e.g.
    ``"1.2 L/min"``; used inside in canonical units: L, L/min, 1/min, min).

    ``value`` is the typical value (at the reference covariates), ``source`` the table or
    equation, ``assumption`` the reason when the value is not published (it then travels into
    every result that uses it). A string in a unit of :data:`~ketpk.units.KNOWN_UNITS` (the
    built-in library's) is converted without pint and read as a Quantity on first access.
    """

    name: str
    value: Any
    description: str
    source: str
    covariates: tuple[CovariateEffect, ...] = ()
    assumption: str | None = None
    _canonical: float | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        raw = self.__dict__["value"]
        known = read_known(raw) if isinstance(raw, str) else None
        if known is not None and not (known[0] == 0 and known[1] in _POSITIVE):
            object.__setattr__(self, "_canonical", known[0])  # the Quantity waits for `value`
            return
        quantity = as_quantity(raw, f"Parameter {self.name!r} value")
        object.__setattr__(self, "value", quantity)
        magnitude = quantity.magnitude
        if not (isinstance(magnitude, (int, float)) and math.isfinite(magnitude)):
            raise ParameterError(f"`{self.name}` must be a finite number; got {quantity}.")
        if magnitude < 0:
            raise ParameterError(f"`{self.name}` must be non-negative; got {quantity}.")
        dims = quantity.dimensionality
        key = "dimensionless" if not dims else str(dims)
        if magnitude == 0 and key in _POSITIVE:
            raise ParameterError(f"`{self.name}` is {_POSITIVE[key]} and must be > 0; got {quantity}. "
                                 "A zero would divide by zero or remove the compartment's meaning.")
        if key in CANONICAL:  # converted once: simulations read it for every batch
            object.__setattr__(self, "_canonical", float(quantity.to(CANONICAL[key]).magnitude))

    @property
    def canonical(self) -> float:
        """The typical value in ketpk's canonical unit for its dimension."""
        if self._canonical is None:
            dims = self.value.dimensionality
            raise ParameterError(f"`{self.name}` has unsupported dimension "
                                 f"{'dimensionless' if not dims else str(dims)}; got {self.value}.")
        return self._canonical


lazy_quantity(Parameter, "value", lambda p: f"Parameter {p.name!r} value")

#: Key prefix of a subject's log-factor on a typical value (a replicate's draw from the
#: estimates' uncertainty), carried with the etas: ``etas["theta:CL"]``.
UNCERTAINTY_PREFIX = "theta:"

#: Key prefix of a subject's inter-occasion random effect (kappa) for the occasion being
#: solved, carried with the etas: ``etas["occ:KA1"]`` (:mod:`ketpk.occasions`).
OCCASION_PREFIX = "occ:"


@dataclass(frozen=True, slots=True)
class ParameterUncertainty:
    """Published uncertainty of typical values: relative standard errors (RSE, fractions).

    A replicate draws each typical value log-normally with the CV equal to its RSE
    (log-SD ``sqrt(ln(1 + RSE²))``), independently (no covariance matrix is published).
    """

    rse: Mapping[str, float]
    source: str

    def __post_init__(self) -> None:
        bad = {k: v for k, v in self.rse.items() if not (isinstance(v, (int, float)) and 0 <= v < 10)}
        if bad:
            raise ParameterError(f"`rse` must be fractions in [0, 10) (0.16 for 16 %); got {bad}.")

    def sd_log(self) -> dict[str, float]:
        """Log-scale SD per parameter."""
        return {k: math.sqrt(math.log1p(v * v)) for k, v in self.rse.items()}


@dataclass(frozen=True, slots=True)
class OmegaBlock:
    """Inter-individual variability of some parameters: a covariance matrix of etas.

    ``transform`` per parameter: ``"log"`` (value × exp(eta)) or ``"logit"`` (for fractions).
    """

    names: tuple[str, ...]
    omega: tuple[tuple[float, ...], ...]
    transforms: tuple[str, ...] | None = None
    source: str = ""

    def __post_init__(self) -> None:
        matrix = np.asarray(self.omega, dtype=float)
        if matrix.shape != (len(self.names), len(self.names)):
            raise ParameterError(
                f"`omega` must be {len(self.names)}×{len(self.names)} for {self.names}; "
                f"got shape {matrix.shape}."
            )
        if not np.allclose(matrix, matrix.T) or np.any(np.linalg.eigvalsh(matrix) < -1e-12):
            raise ParameterError(f"`omega` for {self.names} must be symmetric positive semi-definite.")
        transforms = self.transforms or ("log",) * len(self.names)
        if len(transforms) != len(self.names) or set(transforms) - {"log", "logit"}:
            raise ParameterError(f"`transforms` must be 'log' or 'logit' per name; got {transforms}.")
        object.__setattr__(self, "transforms", tuple(transforms))

    @classmethod
    def diagonal(cls, variances: Mapping[str, float], transforms: tuple[str, ...] | None = None,
                 source: str = "") -> OmegaBlock:
        """Independent etas: ``{name: omega^2}`` in the order given."""
        names = tuple(variances)
        omega = tuple(tuple(variances[a] if a == b else 0.0 for b in names) for a in names)
        return cls(names, omega, transforms, source)


@dataclass(frozen=True, slots=True)
class Input:
    """Where part of a dose enters: a state, the fraction of the dose, lag and zero-order time.

    ``fraction``, ``lag`` (min) and ``duration`` (min, None for first-order/instant input) are
    scalars or per-subject arrays.
    """

    state: str
    fraction: Any = 1.0
    lag: Any = 0.0
    duration: Any = None


@dataclass(frozen=True, slots=True)
class Route:
    """A route of administration of one model: how a dose becomes inputs.

    ``inputs(params, amount)`` returns the :class:`Input` list for a dose of ``amount`` mg
    (per-subject array; most routes ignore it). ``build(builder, params)``, if given, adds the
    route's own depot compartments and flows. ``assumptions`` lists every part of the route that
    is not published (they travel into results). ``infusion`` is False for routes whose inputs
    have their own zero-order phase (they take boluses only). ``modelled_rate`` and
    ``modelled_duration`` name the parameters (mg/min, min) that NONMEM dataset records with
    RATE = -1 and RATE = -2 use (NONMEM's R and D of the dosed compartment). ``unphysical``
    gives the reason when a published input fraction breaks a physical rule (> 1): it then
    warns, not fails (:mod:`ketpk.physical`); say so in ``assumptions`` too. ``session`` (min):
    boluses by this route within ``session`` min of the first bolus of a dosing session are one
    dose for the route's dose-dependent fractions (:mod:`ketpk.schedule`), e.g. nasal devices.
    """

    name: str
    inputs: Callable[[Params, np.ndarray], Sequence[Input]]
    description: str
    sources: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    infusion: bool = True
    build: Callable[[SystemBuilder, Params], None] | None = None
    modelled_rate: str | None = None
    modelled_duration: str | None = None
    unphysical: tuple[str, ...] = ()
    session: float | None = None


class Params:
    """Individual parameter values (canonical units, arrays over subjects), by attribute."""

    def __init__(self, values: Mapping[str, np.ndarray], covariates: Mapping[str, np.ndarray], n: int):
        self._values = dict(values)
        self.covariates = dict(covariates)
        self.n = n

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> np.ndarray:
        return self._values[name]

    def as_dict(self) -> dict[str, np.ndarray]:
        """A copy of all values."""
        return dict(self._values)


@dataclass
class System:
    """A built linear system for a batch of subjects (private to the engine).

    ``A`` has shape (n_subjects, n_states, n_states); ``observe[analyte]`` is the output row
    (n_subjects, n_states) giving that analyte's plasma concentration in µmol/L.
    """

    states: tuple[str, ...]
    species: tuple[str, ...]
    A: np.ndarray
    observe: dict[str, np.ndarray]

    def index(self, state: str) -> int:
        """Position of ``state``; RegimenError if the model has no such state."""
        try:
            return self.states.index(state)
        except ValueError:
            raise RegimenError(f"state {state!r} is not in this model; it has {self.states}.") from None


class SystemBuilder:
    """Assemble compartments and first-order flows into a :class:`System`.

    Amounts are µmol of each compartment's own species. A flow converting one species into
    another gives, per µmol of source removed, ``yield_`` µmol (``basis="molar"``) or the same
    *mass* (``basis="mass"``, as in papers that move parent mass into a metabolite volume).
    """

    def __init__(self, n: int):
        self.n = n
        self._states: list[str] = []
        self._species: list[str] = []
        self._volumes: dict[str, np.ndarray] = {}
        self._analytes: dict[str, list[str]] = {}
        self._flows: list[tuple[str, str | None, np.ndarray]] = []
        self._balance: list[tuple[str, str, np.ndarray]] = []  # flows in their own basis
        self._virtual: set[str] = set()  # effect-site states: no mass of their own

    def compartment(self, name: str, species: str, *, volume: Any = None,
                    analytes: Sequence[str] = ()) -> None:
        """Add a compartment; give ``volume`` (L) and the ``analytes`` it is sampled as."""
        if species not in SPECIES:
            raise ParameterError(f"species {species!r} unknown; known: {sorted(SPECIES)}.")
        self._states.append(name)
        self._species.append(species)
        if name in self._states[:-1]:
            raise ParameterError(f"compartment {name!r} is defined twice; give each its own name.")
        if volume is not None:
            self._volumes[name] = np.broadcast_to(np.asarray(volume, dtype=float), (self.n,))
            check_volume(name, self._volumes[name])
        for analyte in analytes:
            if volume is None:
                raise ParameterError(f"compartment {name!r} is observed but has no volume.")
            self._analytes.setdefault(analyte, []).append(name)

    def transfer(self, source: str, rate: Any, to: Mapping[str, float] | str | None = None, *,
                 basis: str = "molar") -> None:
        """First-order loss from ``source`` at ``rate`` (1/min) into ``to`` with yields."""
        rate = np.broadcast_to(np.asarray(rate, dtype=float), (self.n,))
        targets = {to: 1.0} if isinstance(to, str) else dict(to or {})
        if basis not in ("molar", "mass"):
            raise ParameterError(f"`basis` must be 'molar' or 'mass'; got {basis!r}.")
        for state in (source, *targets):
            if state not in self._states:
                raise ParameterError(f"a flow names compartment {state!r}, which is not defined; "
                                     f"the model has {self._states}. Add it first with compartment().")
        check_flow(source, rate, targets, basis)
        self._flows.append((source, None, -rate))
        self._balance.append((source, source, -rate))
        for target, yield_ in targets.items():
            factor = np.asarray(yield_, dtype=float)
            self._balance.append((target, source, rate * factor))
            if basis == "mass":
                factor = factor * self._mw(source) / self._mw(target)
            self._flows.append((target, source, rate * factor))

    def clearance(self, source: str, clearance: Any, to: Mapping[str, float] | str | None = None,
                  *, basis: str = "molar") -> None:
        """Elimination by ``clearance`` (L/min) from ``source`` (rate = CL / V)."""
        self.transfer(source, np.asarray(clearance) / self._volumes[source], to, basis=basis)

    def exchange(self, a: str, b: str, flow: Any) -> None:
        """Inter-compartmental clearance ``flow`` (L/min) between ``a`` and ``b``."""
        self.transfer(a, np.asarray(flow) / self._volumes[a], b)
        self.transfer(b, np.asarray(flow) / self._volumes[b], a)

    def effect_site(self, analyte: str, site: str, ke0: Any) -> str:
        """Effect compartment of ``analyte`` that does not deplete plasma: dCe/dt = ke0·(Cp − Ce).

        One state ``"<compartment>@<site>"`` per compartment sampled as ``analyte``, holding the
        virtual amount Ce·V of that compartment, fed at ``ke0`` (1/min) from it without loss and
        emptied at ``ke0``. Returns the new analyte name ``"<analyte>@<site>"`` (µmol/L).
        """
        if analyte not in self._analytes:
            raise ParameterError(
                f"`analyte` must be one of {sorted(self._analytes)} for an effect site; got {analyte!r}."
            )
        name = f"{analyte}@{site}"
        if name in self._analytes:
            raise ParameterError(f"effect site {name!r} is defined twice; give each site its own name.")
        rate = np.broadcast_to(np.asarray(ke0, dtype=float), (self.n,))
        for comp in tuple(self._analytes[analyte]):
            self._analytes.setdefault(name, []).append(self._follower(comp, site, rate))
        return name

    def sample_delayed(self, site: str, rate: Any) -> None:
        """Sample every plasma analyte at ``site`` instead: a first-order delay of its compartments,
        dCs/dt = rate·(C − Cs) (``rate`` 1/min), without loss from them (e.g. arm venous plasma
        following arterial plasma). Effect-site analytes stay fed from their compartments.
        """
        rate = np.broadcast_to(np.asarray(rate, dtype=float), (self.n,))
        for analyte, comps in list(self._analytes.items()):
            if not any(comp in self._virtual for comp in comps):
                self._analytes[analyte] = [self._follower(comp, site, rate) for comp in comps]

    def _follower(self, comp: str, site: str, rate: np.ndarray) -> str:
        """The virtual state ``"<comp>@<site>"`` (amount Cs·V of ``comp``) following ``comp`` at
        ``rate`` (1/min) without depleting it; created once."""
        state = f"{comp}@{site}"
        if state not in self._states:
            self.compartment(state, self._species[self._states.index(comp)], volume=self._volumes[comp])
            self._virtual.add(state)
            self._flows.append((state, comp, rate))
            self.transfer(state, rate)
        return state

    def _mw(self, state: str) -> float:
        return molar_mass(self._species[self._states.index(state)])

    def build(self) -> System:
        """The assembled :class:`System`."""
        states = tuple(self._states)
        where = {s: i for i, s in enumerate(states)}
        A = np.zeros((self.n, len(states), len(states)))
        for target, source, rate in self._flows:
            col = where[source if source is not None else target]
            A[:, where[target], col] += rate
        check_balance([s for s in states if s not in self._virtual], self._balance)
        observe = {}
        for analyte, comps in self._analytes.items():
            row = np.zeros((self.n, len(states)))
            for comp in comps:
                row[:, where[comp]] = 1.0 / self._volumes[comp]
            observe[analyte] = row
        return System(states, tuple(self._species), A, observe)


def _fill_covariates(model: DrugModel, covariates: Mapping[str, np.ndarray], n: int) -> dict:
    filled = dict(covariates)
    for name, value in model.reference_covariates.items():
        if name not in filled or filled[name] is None:
            filled[name] = np.full(n, value)
    return filled


@dataclass(frozen=True, repr=False)
class DrugModel(Card):
    """A published (or user-defined) compartment model of ketamine and its metabolites.

    Attributes
    ----------
    id : str
        Registry id, e.g. ``"esketamine.otto2021"``.
    drug : str
        ``"esketamine"`` (S(+)-ketamine) or ``"racemic"``.
    citation : Citation
        The paper the parameters come from (required).
    parameters : tuple of Parameter
        Typical values with units, sources and covariate effects.
    structure : callable
        ``structure(params) -> SystemBuilder`` with the compartments and flows.
    routes : mapping of str to Route
        The routes this model supports.
    population, sampling : str
        Who was studied; ``"arterial"`` or ``"venous"`` plasma (the site simulated).
    venous_link : str, optional
        Name of the rate-constant parameter (1/min) of an arterio-venous link: the model's
        compartments are arterial plasma and venous plasma follows them with a first-order delay
        (:meth:`SystemBuilder.sample_delayed`). Only such a model simulates both sites
        (:meth:`at_site`).
    covariate_range : mapping
        Validated range per covariate, canonical units (kg, year), ``None`` = open.
    reference_covariates : mapping
        Covariate values that give the typical values (e.g. ``{"weight": 70.0}``).
    variability : tuple of OmegaBlock
        Published IIV (omega blocks).
    residual_error : tuple of ResidualError
        Residual error per measured analyte (:mod:`ketpk.residual`): published, or labelled
        assumptions; :meth:`error` looks one up.
    notes : tuple of str
        Modelling assumptions and caveats, shown by :meth:`describe`.
    scenarios : tuple of str
        Labels (with evidence) of the clinical what-ifs applied (:meth:`with_scenario`).
    uncertainty : ParameterUncertainty, optional
        Published standard errors of the typical values (``population.sample(uncertainty=True)``).
    occasion_variability : tuple of OmegaBlock
        Published inter-occasion variability (IOV); a kappa per occasion (:mod:`ketpk.occasions`).
    """

    id: str
    name: str
    drug: str
    citation: Citation
    parameters: tuple[Parameter, ...]
    structure: Callable[[Params], SystemBuilder]
    routes: Mapping[str, Route]
    population: str
    sampling: str
    covariate_range: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)
    reference_covariates: Mapping[str, float] = field(default_factory=lambda: {"weight": 70.0})
    variability: tuple[OmegaBlock, ...] = ()
    residual_error: tuple[ResidualError, ...] = ()
    derive: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]] | None = None
    notes: tuple[str, ...] = ()
    evidence: str = "published"
    scenarios: tuple[str, ...] = ()
    uncertainty: ParameterUncertainty | None = None
    occasion_variability: tuple[OmegaBlock, ...] = ()
    venous_link: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.citation, Citation):
            raise ParameterError(f"model {self.id!r} needs a `Citation`; got {self.citation!r}.")
        if self.drug not in ("esketamine", "racemic"):
            raise ParameterError(f"`drug` must be 'esketamine' or 'racemic'; got {self.drug!r}.")
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ParameterError(f"model {self.id!r} has duplicate parameter names: {names}.")
        if self.sampling not in ("arterial", "venous"):
            raise ParameterError(f"`sampling` must be 'arterial' or 'venous'; got {self.sampling!r}.")
        if self.venous_link is not None and self.venous_link not in names:
            raise ParameterError(f"model {self.id!r}: `venous_link` names {self.venous_link!r}, which "
                                 f"is not one of its parameters {names}.")
        object.__setattr__(self, "_cache", {})  # derived values, computed once (see _typical)

    # -- parameters ------------------------------------------------------------------------
    def parameter(self, name: str) -> Parameter:
        """The :class:`Parameter` called ``name``."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(
            f"model {self.id!r} has no parameter {name!r}; it has {[p.name for p in self.parameters]}."
        )

    def with_parameters(self, **values: Any) -> DrugModel:
        """A copy with some typical values replaced (Quantities or strings), marked as overrides.

        E.g. ``model.with_parameters(F_oral="0.2")`` or ``ka_oral="1.5 1/h"``.
        """
        replaced = {}
        for name, value in values.items():
            old = self.parameter(name)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and old.value.dimensionless:
                new = Q_(float(value))  # a fraction such as F needs no unit
            else:
                new = as_quantity(value, name)
            if new.dimensionality != old.value.dimensionality:
                raise ParameterError(
                    f"`{name}` of model {self.id!r} has dimension {old.value.dimensionality}; "
                    f"got {new}."
                )
            replaced[name] = replace(old, value=new, source="user override",
                                     assumption=f"{name} set by the user to {new}")
        params = tuple(replaced.get(p.name, p) for p in self.parameters)
        model = replace(self, parameters=params)
        model.check()
        return model

    def check(self) -> None:
        """Raise :class:`ParameterError` if the typical subject's system or a route's inputs break
        a physical rule (:mod:`ketpk.physical`): e.g. F > 1, F + presystemic > 1, a zero volume,
        yields above 1 or a cycle that creates drug. Simulations check every subject too.

        Covariates without a reference value are taken at the middle of their validated range
        (dataset columns: missing); a model needing one with neither is checked when simulated.
        """
        covariates: dict[str, np.ndarray] = {}
        for effect in (e for p in self.parameters for e in p.covariates):
            name = effect.covariate
            if name in self.reference_covariates or name in covariates:
                continue
            low, high = self.covariate_range.get(name, (None, None))
            if low is not None and high is not None:
                covariates[name] = np.array([(low + high) / 2.0])
            elif isinstance(effect, FromColumn):
                covariates[name] = np.array([np.nan])  # the typical value stands
            else:
                return
        params = self.individual(covariates, {}, 1)
        self.system(params)
        for route in self.routes.values():
            check_inputs(self.id, route, [inp.fraction for inp in route.inputs(params, np.ones(1))])

    def with_scenario(self, *scenarios: Any) -> DrugModel:
        """A copy with clinical what-ifs applied, in order (objects of :mod:`ketpk.scenarios`).

        E.g. ``model.with_scenario(ketpk.scenarios.interaction("clarithromycin"))``; each label
        and its evidence go into every result's ``assumptions``.
        """
        model = self
        for scenario in scenarios:
            if not callable(getattr(scenario, "apply", None)):
                raise ParameterError(
                    f"`scenario` must be a ketpk.scenarios object (e.g. "
                    f"ketpk.scenarios.interaction('clarithromycin')); got {scenario!r}."
                )
            model = scenario.apply(model)
        return model

    def individual(self, covariates: Mapping[str, np.ndarray], etas: Mapping[str, np.ndarray],
                   n: int) -> Params:
        """Individual parameters for ``n`` subjects (canonical units)."""
        cov = _fill_covariates(self, covariates, n)
        values: dict[str, np.ndarray] = {}
        for p in self.parameters:
            value = np.full(n, p.canonical)
            for effect in p.covariates:
                if effect.required and (effect.covariate not in cov or cov[effect.covariate] is None):
                    raise ParameterError(
                        f"model {self.id!r} scales `{p.name}` by {effect.covariate}; give the "
                        f"subject a {effect.covariate}."
                    )
                value = effect.apply(value, cov)
            factor = etas.get(UNCERTAINTY_PREFIX + p.name)
            values[p.name] = value if factor is None else value * np.exp(factor)
        random = [(block, "") for block in self.variability]
        random += [(block, OCCASION_PREFIX) for block in self.occasion_variability]
        for block, prefix in random:
            for name, transform in zip(block.names, block.transforms or ()):
                if prefix + name in etas:
                    eta = etas[prefix + name]
                    if transform == "log":
                        values[name] = values[name] * np.exp(eta)
                    else:
                        logit = np.log(values[name] / (1 - values[name]))
                        values[name] = 1 / (1 + np.exp(-(logit + eta)))
        if self.derive is not None:
            values.update(self.derive(values))
        return Params(values, cov, n)

    def error(self, analyte: str) -> ResidualError:
        """The :class:`ResidualError` of ``analyte``; ParameterError naming the fix if none."""
        for error in self.residual_error:
            if error.analyte == analyte:
                return error
        raise ParameterError(
            f"model {self.id!r} has no residual error for {analyte!r} (it has "
            f"{[e.analyte for e in self.residual_error]}); add one, e.g. dataclasses.replace(model, "
            f"residual_error=model.residual_error + (ketpk.model.ResidualError({analyte!r}, "
            "proportional=0.2),)).")

    # -- structure ---------------------------------------------------------------------------
    def system(self, params: Params) -> System:
        """Build the linear system for individual ``params`` (with every route's depots)."""
        builder = self.structure(params)
        for route in self.routes.values():
            if route.build is not None:
                route.build(builder, params)
        if self.venous_link is not None and self.sampling == "venous":
            builder.sample_delayed("venous", params[self.venous_link])
        return builder.build()

    @property
    def sites(self) -> tuple[str, ...]:
        """The sampling sites this model simulates: both with an arterio-venous link, else its own."""
        return ("arterial", "venous") if self.venous_link is not None else (self.sampling,)

    def at_site(self, site: str) -> DrugModel:
        """This model sampled at ``site`` (``"arterial"`` or ``"venous"`` plasma); ParameterError
        naming the fix when the model has no arterio-venous link for that site."""
        if not isinstance(site, str) or site not in ("arterial", "venous"):
            raise ParameterError(f"`sampling` must be 'arterial' or 'venous'; got {site!r}.")
        if site == self.sampling:
            return self
        if self.venous_link is None:
            raise ParameterError(
                f"model {self.id!r} predicts {self.sampling} plasma only (its parameters come from "
                f"{self.sampling} samples; it has no arterio-venous link). Use sampling="
                f"{self.sampling!r}, or a default model ('racemic', 'esketamine') that simulates both "
                "sites.")
        return replace(self, sampling=site)

    @property
    def _typical(self) -> System:
        # One system of the typical subject, built on first use and kept in the model's cache:
        # the layout (states, species, analytes) does not depend on parameter values.
        if "typical" not in self._cache:
            self._cache["typical"] = self.system(self.individual({}, {}, 1))
        return self._cache["typical"]

    @property
    def states(self) -> tuple[str, ...]:
        """Names of the model's compartments (amounts in µmol), in system order."""
        return self._typical.states

    @property
    def species(self) -> tuple[str, ...]:
        """The species held by each state, in the order of :attr:`states`."""
        return self._typical.species

    @property
    def analytes(self) -> tuple[str, ...]:
        """Names of the plasma (and effect-site) concentrations the model reports (µmol/L)."""
        return tuple(self._typical.observe)

    def route(self, name: str) -> Route:
        """The :class:`Route` called ``name``; RegimenError listing routes the model has."""
        try:
            return self.routes[name]
        except KeyError:
            raise RegimenError(
                f"model {self.id!r} has no route {name!r}; it has {', '.join(self.routes)}. "
                "Choose one of those or a model that has this route (ketpk.models.available())."
            ) from None

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Every assumption-labelled parameter and model note that is an assumption."""
        return tuple(f"{p.name}: {p.assumption}" for p in self.parameters if p.assumption) + tuple(
            f"scenario: {label}" for label in self.scenarios)

    def card(self) -> CardData:
        """Id, drug, routes, population, citation, assumption count; parameters in notebooks."""
        return CardData(
            title=f"DrugModel {self.id}: {self.name}",
            facts=[("drug", self.drug), ("routes", ", ".join(self.routes)),
                   ("population", self.population), ("sampling", self.sampling),
                   ("citation", str(self.citation)), ("parameters", str(len(self.parameters))),
                   ("assumptions", f"{len(self.assumptions)} (see .assumptions)")],
            detail=[{"parameter": p.name, "value": f"{p.value:.4g~P}", "source": p.source,
                     "assumption": p.assumption or ""} for p in self.parameters],
            hint="describe() lists every parameter with its unit and source")

    def describe(self) -> str:
        """A readable card: citation, population, structure, parameters with units and sources."""
        lines = [
            f"{self.id}: {self.name}",
            f"  drug: {self.drug}; sampling: {self.sampling}"
            + (f" (simulates {' and '.join(self.sites)}: link {self.venous_link})" if self.venous_link else "")
            + f"; evidence: {self.evidence}",
            f"  population: {self.population}",
            f"  citation: {self.citation}",
            f"  routes: {', '.join(self.routes)}",
            "  parameters:",
        ]
        for p in self.parameters:
            cov = " ".join(e.describe() for e in p.covariates)
            flag = f"  [ASSUMPTION: {p.assumption}]" if p.assumption else ""
            lines.append(f"    {p.name:<10} {p.value:~P} {cov}  {p.description} ({p.source}){flag}")
        for block in self.variability:
            lines.append(f"  IIV {block.names}: omega {block.omega} ({block.source})")
        lines.extend(f"  residual {error.describe()}" for error in self.residual_error)
        for route in self.routes.values():
            lines.append(f"  route {route.name}: {route.description}")
            lines.extend(f"    ASSUMPTION: {a}" for a in route.assumptions)
        lines.extend(f"  note: {note}" for note in self.notes)
        lines.extend(f"  SCENARIO: {label}" for label in self.scenarios)
        return "\n".join(lines)
