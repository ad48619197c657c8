"""Route builders shared by the model library.

A route says where a dose enters (:class:`~ketpk.model.Input`) and adds the absorption depot
it needs to the system. Route parameters (F, ka, lag, presystemic fraction) are ordinary model
parameters, so they carry units and sources, take inter-individual variability, and can be
overridden per call with ``model.with_parameters(...)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import ParameterError
from .model import Input, Params, Route, SystemBuilder

__all__ = ["iv_route", "absorption_route"]


def iv_route(central: str = "ketamine.central", *, split: Sequence[tuple[str, float]] | None = None,
             source: str = "") -> Route:
    """IV bolus or infusion straight into ``central`` (or split over several centrals).

    ``split`` = ``[("s_ketamine.central", 0.5), ("r_ketamine.central", 0.5)]`` doses a racemate
    into two enantiomer systems.
    """
    targets = tuple(split) if split else ((central, 1.0),)
    return Route(
        name="iv",
        inputs=lambda p, amount: [Input(state, fraction) for state, fraction in targets],
        description="IV bolus or infusion into the central compartment (F = 1)",
        sources=(source,) if source else (),
    )


def absorption_route(name: str, *, central: str, F: str, ka: str, lag: str | None = None,
                     presystemic: str | None = None, metabolite: str | None = None,
                     species: str = "ketamine", sources: Sequence[str] = (),
                     assumptions: Sequence[str] = (), description: str = "",
                     infusion: bool = True) -> Route:
    """First-order absorption from a depot, with optional lag and first-pass metabolite.

    A fraction ``F + presystemic`` of the dose enters the depot (after ``lag``); it is absorbed
    at ``ka`` (1/min); of what is absorbed, ``F/(F + presystemic)`` reaches ``central`` as parent
    and the rest reaches ``metabolite`` (molar) as metabolite formed in gut wall and liver. So the
    parent bioavailability is exactly ``F`` and metabolite formation shares the absorption time
    course. Arguments F, ka, lag and presystemic are parameter names of the model.
    """
    depot = f"{species}.depot_{name}"
    if presystemic and not metabolite:
        raise ParameterError(f"route {name!r}: `presystemic` needs the `metabolite` compartment.")

    def absorbed(p: Params):
        return p[F] + (p[presystemic] if presystemic else 0.0)

    def inputs(p: Params, amount):
        return [Input(depot, absorbed(p), p[lag] if lag else 0.0)]

    def build(builder: SystemBuilder, p: Params) -> None:
        builder.compartment(depot, species)
        total = absorbed(p)
        targets = {central: p[F] / total}
        if presystemic:
            targets[metabolite] = p[presystemic] / total
        builder.transfer(depot, p[ka], targets)

    return Route(name=name, inputs=inputs, description=description, sources=tuple(sources),
                 assumptions=tuple(assumptions), infusion=infusion, build=build)
