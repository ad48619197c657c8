"""Route builders shared by the model library.

A route says where a dose enters (:class:`~ketpk.model.Input`) and adds the absorption depot
it needs to the system. Route parameters (F, ka, lag, presystemic fraction) are ordinary model
parameters, so they carry units and sources, take inter-individual variability, and can be
overridden per call with ``model.with_parameters(...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

import numpy as np

from .errors import ParameterError
from .model import DrugModel, Input, Params, Route, SystemBuilder
from .regimen import Bolus
from .routecodes import ROLES, ROUTE_TABLE, check_route
from .subject import as_batch

__all__ = ["iv_route", "absorption_route", "table_route", "table_roles", "Pathway", "pathway_route",
           "route_bioavailability"]

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
        description=ROUTE_TABLE["iv"].description
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
    """One absorption pathway of a route (fields other than ``depot`` and ``losses`` name model
    parameters).

    A fraction ``share`` of the dose (all of it if None) takes this pathway into the depot
    ``<prefix>.depot_<depot>``, after ``lag`` (min) and over a zero-order phase ``duration``
    (min, None = at once). It is absorbed at ``ka`` (1/min; None = straight into its targets, no
    depot). Of the pathway's share, ``F`` reaches the parent central compartment(s) and
    ``presystemic`` the metabolite compartment(s) (gut-wall and hepatic first pass), both with
    the absorption time course. With ``losses="entry"`` only ``F + presystemic`` of the share
    enters the depot (NONMEM's F of the depot); with ``"absorption"`` all of it does and the
    absorption flow yields ``F`` as parent and ``presystemic`` as metabolite (the rest is lost
    there). ``F`` and ``share`` may be functions of ``(params, amount_mg)``; ``presystemic``
    needs ``F`` as a parameter name. ``targets``, if given, replaces the route's parent entry
    states for this pathway (a racemate's enantioselective first pass, a hepato-portal
    compartment, or a depot the model's own structure absorbs from).
    """

    depot: str
    F: Fraction
    ka: str | None = None
    lag: str | None = None
    duration: str | None = None
    presystemic: str | None = None
    share: Fraction | None = None
    targets: Targets | None = None
    losses: str = "entry"

    def inputs(self, p: Params, amount, prefix: str, central: Targets) -> list[Input]:
        """Inputs of a dose of ``amount`` mg (per-subject array) along this pathway."""
        central = self.targets or central
        share = _value(self.share, p, amount, 1.0)
        lag = _value(self.lag, p, amount)
        duration = None if self.duration is None else p[self.duration]
        if self.ka is not None and self.losses == "absorption":
            return [Input(f"{prefix}.depot_{self.depot}", share, lag, duration)]
        absorbed = _value(self.F, p, amount) + _value(self.presystemic, p, amount)
        if self.ka is None:
            return [Input(state, share * absorbed * frac, lag, duration) for state, frac in _targets(central)]
        return [Input(f"{prefix}.depot_{self.depot}", share * absorbed, lag, duration)]

    def build(self, builder: SystemBuilder, p: Params, prefix: str, species: str, central: Targets,
              metabolite: Targets | None, basis: str) -> None:
        """Add this pathway's depot and its first-order absorption flow."""
        central = self.targets or central
        if self.ka is None:
            if self.presystemic:
                raise ParameterError(f"pathway {self.depot!r}: `presystemic` needs a depot (`ka`).")
            return
        depot = f"{prefix}.depot_{self.depot}"
        builder.compartment(depot, species)
        parent = 1.0
        yields = {}
        if self.presystemic:
            if not (isinstance(self.F, str) and metabolite):
                raise ParameterError(
                    f"pathway {self.depot!r}: `presystemic` needs `F` as a parameter name and the "
                    "`metabolite` compartment."
                )
            if self.losses == "absorption":
                total, parent = 1.0, p[self.F]
            else:
                total = p[self.F] + p[self.presystemic]
                parent = p[self.F] / total
            yields = {state: frac * p[self.presystemic] / total for state, frac in _targets(metabolite)}
        elif self.losses == "absorption":
            parent = _value(self.F, p, None)
        yields.update({state: frac * parent for state, frac in _targets(central)})
        builder.transfer(depot, p[self.ka], yields, basis=basis)


def pathway_route(name: str, pathways: Sequence[Pathway], *, central: Targets,
                  metabolite: Targets | None = None, species: str = "ketamine", prefix: str | None = None,
                  basis: str = "molar", sources: Sequence[str] = (),
                  assumptions: Sequence[str] = (), description: str = "", **options: Any) -> Route:
    """A route made of parallel absorption pathways (e.g. mucosal + swallowed, fast + slow).

    The parent bioavailability is the sum over pathways of ``share × F``. Depots are
    ``<prefix>.depot_<pathway>`` of ``species`` (``prefix`` defaults to ``species``). ``basis``
    is how presystemic parent becomes metabolite ("molar", or "mass" for models that move
    parent mass into an apparent metabolite volume). Routes with a zero-order phase take
    boluses only. ``options`` are further :class:`~ketpk.model.Route` fields
    (``modelled_rate``, ``modelled_duration``, ``unphysical``, ``session``).
    """
    pathways = tuple(pathways)
    prefix = prefix or species

    def inputs(p: Params, amount):
        return [i for way in pathways for i in way.inputs(p, amount, prefix, central)]

    def build(builder: SystemBuilder, p: Params) -> None:
        for way in pathways:
            way.build(builder, p, prefix, species, central, metabolite, basis)

    return Route(name=name, inputs=inputs, description=description, sources=tuple(sources),
                 assumptions=tuple(assumptions), build=build,
                 infusion=all(way.duration is None for way in pathways), **options)


def table_roles(route: str, enteral: Targets | None = None) -> dict[str, Any]:
    """The route table's own parameterisation of ``route`` (the default models): the
    :func:`table_route` arguments ``roles`` (``<kind>_<route>``), ``swallowed`` (a mucosal
    route's swallowed share follows the oral route: ``<kind>_oral``), and the parent entry
    shares ``enteral`` after oral first pass for the oral route and the swallowed share."""
    spec = ROUTE_TABLE[route]
    roles: dict[str, Any] = {kind: f"{kind}_{route}" for kind in spec.kinds}
    out: dict[str, Any] = {"roles": roles}
    if spec.absorption == "mucosal":
        roles["F"] = _mucosal_fraction(route)
        out.update(swallowed={kind: f"{kind}_oral" for kind in ROUTE_TABLE["oral"].kinds},
                   swallowed_targets=enteral)
    elif route == "oral":
        out["targets"] = enteral
    return out


def _mucosal_fraction(route: str):
    """Parent fraction of the dose absorbed through the mucosa: F_route - fsw_route * F_oral."""
    F, fsw = f"F_{route}", f"fsw_{route}"

    def fraction(p: Params, amount) -> np.ndarray:
        mucosal = p[F] - p[fsw] * p["F_oral"]
        if np.any(mucosal < -1e-12) or np.any(mucosal > 1 - p[fsw] + 1e-12):
            raise ParameterError(
                f"`{F}` must lie between fsw_{route} × F_oral and fsw_{route} × F_oral + "
                f"(1 - fsw_{route}); got {F}={np.max(p[F]):g}, {fsw}={np.max(p[fsw]):g}, "
                f"F_oral={np.max(p['F_oral']):g}. Change {fsw} or {F} together."
            )
        return np.clip(mucosal, 0.0, None)

    return fraction


def _checked_roles(roles: Mapping[str, Any], absorption: str, where: str) -> dict[str, Any]:
    roles = {kind: name for kind, name in roles.items() if name is not None}
    unknown = set(roles) - set(ROLES[absorption])
    if unknown or "F" not in roles:
        raise ParameterError(f"route {where}: a {absorption} route takes the parameter kinds "
                             f"{', '.join(ROLES[absorption])} (F required); got {sorted(roles)}.")
    return roles


def table_route(route: str, roles: Mapping[str, Any], *, central: Targets, absorption: str | None = None,
                swallowed: Mapping[str, Any] | None = None, targets: Targets | None = None,
                swallowed_targets: Targets | None = None, losses: str = "entry", description: str | None = None,
                **options: Any) -> Route:
    """Route ``route`` of the route table, built by the pathways of its absorption kind.

    ``absorption`` defaults to the route's own (:data:`ketpk.routecodes.ROUTE_TABLE`); its
    pathways are described in :data:`~ketpk.routecodes.ABSORPTION`. ``roles`` maps the kind's
    parameter kinds (:data:`~ketpk.routecodes.ROLES`: ``F``, ``ka``, ``lag``, ``D``, ``fpre``,
    ``fsw``, ``ffast``) to the model's parameter names (or, for ``F`` and ``fsw``, functions
    ``(params, amount_mg) -> fraction``): the one place where a paper's names (``F_IM``,
    ``ka_po``) meet the table's kinds. A kind left out is absent (no lag, no zero-order phase);
    ``ka`` left out sends the pathway straight into its targets. Mucosal routes: ``F`` is the
    parent fraction of the whole dose through the mucosa, ``fsw`` the swallowed share (the whole
    dose if left out) and ``swallowed`` the swallowed share's first-order roles. ``targets`` /
    ``swallowed_targets`` replace ``central`` as the parent entry of the route's own / the
    swallowed pathway; ``losses`` is :class:`Pathway` ``losses``. ``description`` defaults to the
    table's; ``options`` go to :func:`pathway_route` (``metabolite``, ``species``, ``prefix``,
    ``basis``, ``sources``, ``assumptions``, ``modelled_rate``, ...).
    """
    spec = ROUTE_TABLE[check_route(route)]
    absorption = absorption or spec.absorption
    if absorption not in ROLES or absorption == "direct":
        raise ParameterError(f"route {route!r}: `absorption` must be one of "
                             f"{', '.join(k for k in ROLES if k != 'direct')} (IV: iv_route); got {absorption!r}.")
    r = _checked_roles(roles, absorption, repr(route))
    if absorption == "two-phase" and "ffast" not in r:
        raise ParameterError(f"route {route!r}: a two-phase route needs the kind ffast (share absorbed at once).")
    get = r.get
    if absorption == "first-order":
        ways = [Pathway(route, r["F"], get("ka"), lag=get("lag"), duration=get("D"), presystemic=get("fpre"),
                        targets=targets, losses=losses)]
    elif absorption == "mucosal":
        s = _checked_roles(swallowed or {}, "first-order", f"{route!r} (swallowed share)")
        ways = [Pathway(route, r["F"], get("ka"), lag=get("lag"), duration=get("D"), targets=targets),
                Pathway(f"{route}_swallowed", s["F"], s.get("ka"), lag=s.get("lag"), duration=s.get("D"),
                        presystemic=s.get("fpre"), share=get("fsw"), targets=swallowed_targets)]
    else:
        ffast = r["ffast"]
        ways = [Pathway(f"{route}_fast", r["F"], None, lag=get("lag"), share=ffast),
                Pathway(route, r["F"], get("ka"), lag=get("lag"),
                        share=lambda p, amount: 1.0 - _value(ffast, p, amount))]
    return pathway_route(route, ways, central=central,
                         description=spec.description if description is None else description, **options)


def absorption_route(name: str, *, central: Targets, F: str, ka: str, lag: str | None = None,
                     presystemic: str | None = None, metabolite: Targets | None = None,
                     duration: str | None = None, **options: Any) -> Route:
    """First-order absorption from one depot, with optional lag, zero-order phase and first pass
    (:func:`table_route` with ``absorption="first-order"``, whatever the route's own kind).

    A fraction ``F + presystemic`` of the dose enters the depot ``<species>.depot_<name>`` (after
    ``lag``, over ``duration`` if given); it is absorbed at ``ka`` (1/min); of what is absorbed,
    ``F/(F + presystemic)`` reaches ``central`` as parent and the rest reaches ``metabolite`` as
    metabolite formed in gut wall and liver. So the parent bioavailability is exactly ``F`` and
    metabolite formation shares the absorption time course. Arguments F, ka, lag, duration and
    presystemic are parameter names of the model; ``options`` are :func:`pathway_route`'s
    (``species``, ``basis``, ``sources``, ``assumptions``, ``description``, ``modelled_rate``,
    ``modelled_duration``: NONMEM's R and D of the depot, see :class:`~ketpk.model.Route`).
    """
    if presystemic and not metabolite:
        raise ParameterError(f"route {name!r}: `presystemic` needs the `metabolite` compartment.")
    options.setdefault("description", "")
    return table_route(name, {"F": F, "ka": ka, "lag": lag, "D": duration, "fpre": presystemic},
                       central=central, absorption="first-order", metabolite=metabolite, **options)


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
