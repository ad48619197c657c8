"""Route builders shared by the model library.

A route says where a dose enters (:class:`~ketpk.model.Input`) and adds the absorption depot
it needs to the system. Route parameters (F, ka, lag, presystemic fraction) are ordinary model
parameters, so they carry units and sources, take inter-individual variability, and can be
overridden per call with ``model.with_parameters(...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Union

import numpy as np

from .errors import ParameterError
from .model import DrugModel, Input, Params, Route, SystemBuilder
from .regimen import Bolus
from .subject import as_batch

__all__ = ["iv_route", "absorption_route", "Pathway", "pathway_route", "route_bioavailability"]

#: A fraction: a parameter name, or a function ``(params, amount_mg) -> array``.
Fraction = Union[str, Callable[[Params, np.ndarray], Any]]
#: Where absorbed drug goes: one state, or ``[(state, share), ...]`` (a racemate's S and R).
Targets = Union[str, Sequence[tuple[str, float]]]


def iv_route(central: str = "ketamine.central", *, split: Sequence[tuple[str, float]] | None = None,
             source: str = "", F: str | None = None, lag: str | None = None,
             modelled_rate: str | None = None, modelled_duration: str | None = None) -> Route:
    """IV bolus or infusion straight into ``central`` (or split over several centrals).

    ``split`` = ``[("s_ketamine.central", 0.5), ("r_ketamine.central", 0.5)]`` doses a racemate
    into two enantiomer systems. ``F`` and ``lag`` (parameter names; default F = 1, no lag) give
    the central compartment a bioavailability and a lag time (min), as NONMEM's F and ALAG of a
    dosed compartment; ``modelled_rate``/``modelled_duration`` are its R and D (see
    :class:`~ketpk.model.Route`).
    """
    targets = tuple(split) if split else ((central, 1.0),)

    def inputs(p: Params, amount) -> list[Input]:
        fraction, delay = _value(F, p, amount, 1.0), _value(lag, p, amount)
        return [Input(state, fraction * share, delay) for state, share in targets]

    return Route(
        name="iv",
        inputs=inputs,
        description="IV bolus or infusion into the central compartment"
                    + (" (F and lag from parameters)" if F or lag else " (F = 1)"),
        sources=(source,) if source else (),
        modelled_rate=modelled_rate,
        modelled_duration=modelled_duration,
    )


def _targets(targets: Targets) -> tuple[tuple[str, float], ...]:
    return ((targets, 1.0),) if isinstance(targets, str) else tuple(targets)


def _value(fraction: Fraction | None, p: Params, amount, default: float = 0.0):
    if fraction is None:
        return default
    return p[fraction] if isinstance(fraction, str) else fraction(p, amount)


@dataclass(frozen=True, slots=True)
class Pathway:
    """One absorption pathway of a route (fields other than ``depot`` name model parameters).

    A fraction ``share`` of the dose (all of it if None) takes this pathway into the depot
    ``<species>.depot_<depot>``, after ``lag`` (min) and over a zero-order phase ``duration``
    (min, None = at once). It is absorbed at ``ka`` (1/min; None = straight into the central
    compartments, no depot). Of the pathway's share, ``F`` reaches the parent central
    compartment(s) and ``presystemic`` the metabolite compartment(s) (gut-wall and hepatic
    first pass), both with the absorption time course. ``F`` and ``share`` may be functions of
    ``(params, amount_mg)``; ``presystemic`` needs ``F`` as a parameter name. ``targets``, if
    given, replaces the route's parent entry states for this pathway (a racemate's
    enantioselective first pass: other S/R shares after the gut and liver).
    """

    depot: str
    F: Fraction
    ka: str | None = None
    lag: str | None = None
    duration: str | None = None
    presystemic: str | None = None
    share: Fraction | None = None
    targets: Targets | None = None

    def inputs(self, p: Params, amount, species: str, central: Targets) -> list[Input]:
        """Inputs of a dose of ``amount`` mg (per-subject array) along this pathway."""
        central = self.targets or central
        share = _value(self.share, p, amount, 1.0)
        absorbed = _value(self.F, p, amount) + _value(self.presystemic, p, amount)
        lag = _value(self.lag, p, amount)
        duration = None if self.duration is None else p[self.duration]
        if self.ka is None:
            return [Input(state, share * absorbed * frac, lag, duration) for state, frac in _targets(central)]
        return [Input(f"{species}.depot_{self.depot}", share * absorbed, lag, duration)]

    def build(self, builder: SystemBuilder, p: Params, species: str, central: Targets,
              metabolite: Targets | None, basis: str) -> None:
        """Add this pathway's depot and its first-order absorption flow."""
        central = self.targets or central
        if self.ka is None:
            if self.presystemic:
                raise ParameterError(f"pathway {self.depot!r}: `presystemic` needs a depot (`ka`).")
            return
        depot = f"{species}.depot_{self.depot}"
        builder.compartment(depot, species)
        parent = 1.0
        yields = {}
        if self.presystemic:
            if not (isinstance(self.F, str) and metabolite):
                raise ParameterError(
                    f"pathway {self.depot!r}: `presystemic` needs `F` as a parameter name and the "
                    "`metabolite` compartment."
                )
            total = p[self.F] + p[self.presystemic]
            parent = p[self.F] / total
            yields = {state: frac * p[self.presystemic] / total for state, frac in _targets(metabolite)}
        yields.update({state: frac * parent for state, frac in _targets(central)})
        builder.transfer(depot, p[self.ka], yields, basis=basis)


def pathway_route(name: str, pathways: Sequence[Pathway], *, central: Targets,
                  metabolite: Targets | None = None, species: str = "ketamine",
                  basis: str = "molar", sources: Sequence[str] = (),
                  assumptions: Sequence[str] = (), description: str = "",
                  modelled_rate: str | None = None, modelled_duration: str | None = None) -> Route:
    """A route made of parallel absorption pathways (e.g. mucosal + swallowed, fast + slow).

    The parent bioavailability is the sum over pathways of ``share × F``. ``basis`` is how
    presystemic parent becomes metabolite ("molar", or "mass" for models that move parent mass
    into an apparent metabolite volume). Routes with a zero-order phase take boluses only.
    """
    pathways = tuple(pathways)

    def inputs(p: Params, amount):
        return [i for way in pathways for i in way.inputs(p, amount, species, central)]

    def build(builder: SystemBuilder, p: Params) -> None:
        for way in pathways:
            way.build(builder, p, species, central, metabolite, basis)

    return Route(name=name, inputs=inputs, description=description, sources=tuple(sources),
                 assumptions=tuple(assumptions), build=build,
                 infusion=all(way.duration is None for way in pathways),
                 modelled_rate=modelled_rate, modelled_duration=modelled_duration)


def absorption_route(name: str, *, central: Targets, F: str, ka: str, lag: str | None = None,
                     presystemic: str | None = None, metabolite: Targets | None = None,
                     species: str = "ketamine", duration: str | None = None,
                     basis: str = "molar", sources: Sequence[str] = (),
                     assumptions: Sequence[str] = (), description: str = "",
                     modelled_rate: str | None = None, modelled_duration: str | None = None) -> Route:
    """First-order absorption from one depot, with optional lag, zero-order phase and first pass.

    A fraction ``F + presystemic`` of the dose enters the depot ``<species>.depot_<name>`` (after
    ``lag``, over ``duration`` if given); it is absorbed at ``ka`` (1/min); of what is absorbed,
    ``F/(F + presystemic)`` reaches ``central`` as parent and the rest reaches ``metabolite`` as
    metabolite formed in gut wall and liver. So the parent bioavailability is exactly ``F`` and
    metabolite formation shares the absorption time course. Arguments F, ka, lag, duration and
    presystemic are parameter names of the model; ``modelled_rate``/``modelled_duration`` are
    NONMEM's R and D of the depot (see :class:`~ketpk.model.Route`).
    """
    if presystemic and not metabolite:
        raise ParameterError(f"route {name!r}: `presystemic` needs the `metabolite` compartment.")
    way = Pathway(name, F, ka, lag=lag, duration=duration, presystemic=presystemic)
    return pathway_route(name, [way], central=central, metabolite=metabolite, species=species,
                         basis=basis, sources=sources, assumptions=assumptions,
                         description=description, modelled_rate=modelled_rate,
                         modelled_duration=modelled_duration)


def route_bioavailability(model: DrugModel, route: str, amount: Any = "25 mg", *,
                          analyte: str = "ketamine", subject: Any = None) -> float:
    """AUC(route)/AUC(IV) of ``analyte`` for one dose of ``amount``, from the system matrix.

    The AUC to infinity of a linear system dosed with input vector ``b`` is ``c (-A)^-1 b``;
    lag and zero-order phases do not change it. For the parent this is the route's F; for a
    metabolite it is the metabolite exposure relative to the same IV dose.
    """
    batch = as_batch(subject)
    params = model.individual(batch.covariates, batch.etas, 1)
    system = model.system(params)
    A, c = system.A[0], system.observe[analyte][0]

    def auc(route_name: str) -> float:
        dose = Bolus("0 min", amount, route_name).resolve(batch.weights, 1)
        b = np.zeros(len(system.states))
        for inp in model.route(route_name).inputs(params, dose.amount):
            b[system.index(inp.state)] += float(np.broadcast_to(inp.fraction, (1,))[0])
        return float(c @ np.linalg.solve(-A, b))

    return auc(route) / auc("iv")
