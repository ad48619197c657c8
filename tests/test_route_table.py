"""The route table holds every route's CMT code, parameter schema and defaults (issue 11)."""

from __future__ import annotations

import pytest

from ketpk import ParameterError, Q_, models
from ketpk.routecodes import PARAMETER_KINDS, ROUTE_CMT, ROUTE_TABLE, ROUTES, RouteSpec


def test_codes_and_names_are_views_of_the_table():
    assert ROUTES == tuple(ROUTE_TABLE) and ROUTE_CMT == {r: s.cmt for r, s in ROUTE_TABLE.items()}
    assert sorted(ROUTE_CMT.values()) == list(range(1, len(ROUTES) + 1))


@pytest.mark.parametrize("form", ["esketamine", "racemic"])
def test_default_models_take_their_route_parameters_from_the_table(form):
    model = models.get(form)
    for route, spec in ROUTE_TABLE.items():
        assert route in model.routes
        for kind, name in zip(spec.kinds, spec.parameters):
            unit = PARAMETER_KINDS[kind][0]
            assert model.parameter(name).value.dimensionality == Q_(1.0, unit).dimensionality, name
        for name, default in spec.defaults.items():
            shown = model.parameter(name)
            if shown.source.removeprefix("ASSUMPTION: ") == default.source:  # the model kept the default
                assert shown.value == Q_(default.value)


def test_a_table_row_with_an_unknown_kind_is_refused():
    with pytest.raises(ParameterError, match="unknown"):
        RouteSpec("im", 2, "first-order", ("F", "kappa"), "typo")


def test_the_kinds_of_every_absorption_are_known_parameter_kinds():
    from ketpk.routecodes import ABSORPTION, ROLES
    assert set(ROLES) == set(ABSORPTION)
    assert all(set(kinds) <= set(PARAMETER_KINDS) for kinds in ROLES.values())
    for spec in ROUTE_TABLE.values():
        assert set(spec.kinds) <= set(ROLES[spec.absorption]), spec.name


def test_a_model_names_only_kinds_its_absorption_has():
    from ketpk.routes import table_route
    with pytest.raises(ParameterError, match="ffast"):
        table_route("im", {"F": "F", "ffast": "X"}, central="ketamine.central")
    with pytest.raises(ParameterError, match="F required"):
        table_route("oral", {"ka": "KA"}, central="ketamine.central")
    with pytest.raises(ParameterError, match="ffast"):
        table_route("inhaled", {"F": "F", "ka": "KA"}, central="ketamine.central")
    with pytest.raises(ParameterError, match="absorption"):
        table_route("oral", {"F": "F"}, central="ketamine.central", absorption="zero-order")


def test_losses_at_absorption_give_the_same_plasma_curve_as_losses_at_entry():
    """Ashraf 2018's form (the whole dose in the depot, F and fpre as the absorption flow's
    yields) and the default form (only F + fpre enter the depot) are the same linear system for
    plasma; only the depot amount differs, by the factor F + fpre."""
    import dataclasses

    import numpy as np

    from ketpk import Bolus, Regimen, simulate
    from ketpk.model import Parameter
    from ketpk.routes import table_route

    from .conftest import one_compartment

    base = one_compartment(metabolite=True)
    base = dataclasses.replace(base, parameters=base.parameters + (
        Parameter("FP", "0.3", "presystemic fraction", "toy"),))
    times = Q_(np.arange(0.0, 600.0, 10.0), "min")
    results = {}
    for losses in ("entry", "absorption"):
        oral = table_route("oral", {"F": "F", "fpre": "FP", "ka": "KA"}, central="ketamine.central",
                           metabolite="norketamine.central", losses=losses)
        model = dataclasses.replace(base, routes={**base.routes, "oral": oral})
        results[losses] = simulate(model, Regimen([Bolus("0 min", "50 mg", "oral")]), times, record="all")
    entry, absorption = results["entry"], results["absorption"]
    for analyte in ("ketamine", "norketamine"):
        np.testing.assert_allclose(absorption.concentrations_umol_per_l[analyte],
                                   entry.concentrations_umol_per_l[analyte], rtol=1e-10, atol=1e-14)
    depot = list(entry.states).index("ketamine.depot_oral")
    np.testing.assert_allclose(absorption.amounts_umol[:, depot] * (0.2 + 0.3),
                               entry.amounts_umol[:, depot], rtol=1e-10, atol=1e-14)
