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
