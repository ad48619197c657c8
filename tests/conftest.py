"""Shared fixtures: small cited toy models whose solutions are known in closed form."""

from __future__ import annotations

import pytest

from ketpk import Citation, DrugModel, Parameter
from ketpk.model import Params, SystemBuilder
from ketpk.routes import absorption_route, iv_route

TOY_CITATION = Citation(authors="Test A", year=2024, title="Toy model for closed-form tests",
                        journal="ketpk tests", doi="10.0000/ketpk.test")


def one_compartment(cl="5 L/min", v="100 L", ka="0.05 1/min", f="0.2", lag="0 min",
                    metabolite=False, fm="0.8", cl_m="2 L/min", v_m="50 L") -> DrugModel:
    """1-compartment ketamine (IV and oral with F, ka, lag), optionally forming a metabolite."""
    params = [
        Parameter("CL", cl, "clearance", "toy"),
        Parameter("V", v, "volume", "toy"),
        Parameter("KA", ka, "oral absorption rate", "toy"),
        Parameter("F", f, "oral bioavailability", "toy"),
        Parameter("TLAG", lag, "oral lag", "toy"),
    ]
    if metabolite:
        params += [Parameter("FM", fm, "fraction forming metabolite", "toy"),
                   Parameter("CLM", cl_m, "metabolite clearance", "toy"),
                   Parameter("VM", v_m, "metabolite volume", "toy")]

    def structure(p: Params) -> SystemBuilder:
        s = SystemBuilder(p.n)
        s.compartment("ketamine.central", "ketamine", volume=p.V, analytes=("ketamine",))
        if metabolite:
            s.compartment("norketamine.central", "norketamine", volume=p.VM, analytes=("norketamine",))
            s.clearance("ketamine.central", p.CL, {"norketamine.central": p.FM})
            s.clearance("norketamine.central", p.CLM)
        else:
            s.clearance("ketamine.central", p.CL)
        return s

    return DrugModel(
        id="racemic.toy", name="toy", drug="racemic", citation=TOY_CITATION,
        parameters=tuple(params), structure=structure,
        routes={"iv": iv_route(), "oral": absorption_route(
            "oral", central="ketamine.central", F="F", ka="KA", lag="TLAG", description="toy oral")},
        population="none", sampling="venous",
    )


@pytest.fixture
def toy():
    return one_compartment()
