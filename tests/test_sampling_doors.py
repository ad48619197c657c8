"""Every front door takes ``sampling=``: the same as passing ``model.at_site(site)``."""

from __future__ import annotations

import numpy as np
import pytest

import ketpk
from ketpk import Q_, Bolus, ParameterError
from ketpk.cli import main

T = Q_(np.arange(0.0, 121.0, 1.0), "min")
IV = Bolus("0 min", "20 mg", route="iv")
EARLY = slice(1, 4)  # 1-3 min after the bolus: arterial plasma is well above venous


def _model():
    return ketpk.models.get("racemic")


def _curves_of(comparison):
    return {label: r.concentration("ketamine", "ng/mL").magnitude for label, r in comparison.results.items()}


def _same_and_differs(by_arg, by_model, venous):
    for label in by_arg:
        np.testing.assert_array_equal(by_arg[label], by_model[label])
        assert np.all(by_arg[label][..., EARLY] > 1.2 * venous[label][..., EARLY])


def test_compare_routes_and_regimens_take_sampling():
    m = _model()
    kw = dict(subject=ketpk.Subject(weight="70 kg"), times=T)
    routes = {site: _curves_of(ketpk.compare_routes(m, "20 mg", ("iv",), sampling=site, **kw))
              for site in ("arterial", "venous")}
    _same_and_differs(routes["arterial"],
                      _curves_of(ketpk.compare_routes(m.at_site("arterial"), "20 mg", ("iv",), **kw)),
                      routes["venous"])
    regimens = {"A": IV, "B": ("esketamine", IV)}
    by_site = {site: _curves_of(ketpk.compare_regimens(regimens, m, sampling=site, **kw))
               for site in ("arterial", "venous")}
    by_model = _curves_of(ketpk.compare_regimens(
        {"A": IV, "B": (ketpk.models.get("esketamine").at_site("arterial"), IV)}, m.at_site("arterial"), **kw))
    _same_and_differs(by_site["arterial"], by_model, by_site["venous"])


def test_summarize_takes_sampling_and_records_it():
    m = _model()
    pop = ketpk.population.sample(m, 40, seed=3)

    def p50(s):
        return {"k": s.percentile("ketamine", 50).magnitude}

    art = ketpk.summarize(m, IV, T, subjects=pop, sampling="arterial")
    same = ketpk.summarize(m.at_site("arterial"), IV, T, subjects=pop)
    ven = pop.summarize(IV, T, sampling="venous")
    _same_and_differs(p50(art), p50(same), p50(ven))
    np.testing.assert_array_equal(pop.summarize(IV, T, sampling="arterial").cmax("ketamine").magnitude,
                                  art.cmax("ketamine").magnitude)
    assert art.metadata["sampling"] == "arterial" and ven.metadata["sampling"] == "venous"
    assert any(a.startswith("sampling: arterial plasma") for a in art.metadata["assumptions"])
    assert any(a.startswith("sampling: venous plasma = a first-order delay")
               for a in ven.metadata["assumptions"])
    assert art.to_frame().attrs["sampling"] == "arterial"


def test_single_site_model_refuses_the_other_site_through_summarize():
    pop = ketpk.population.sample("esketamine.otto2021", 5, seed=1)
    s = ketpk.summarize("esketamine.otto2021", IV, T, subjects=pop, sampling="venous")
    assert s.metadata["sampling"] == "venous"
    for call in (lambda: ketpk.summarize("esketamine.otto2021", IV, T, subjects=pop, sampling="arterial"),
                 lambda: pop.summarize(IV, T, sampling="arterial"),
                 lambda: ketpk.compare_routes("esketamine.otto2021", "20 mg", "iv", sampling="arterial")):
        with pytest.raises(ParameterError, match="venous plasma only.*sampling='venous'"):
            call()
    with pytest.raises(ParameterError, match="'arterial' or 'venous'"):
        ketpk.summarize("racemic", IV, T, subjects=pop, sampling="capillary")


def test_effects_take_sampling():
    m = _model()
    art = ketpk.effects.simulate_effects(m, IV, T, "olofsen2022", sampling="arterial")
    same = ketpk.effects.simulate_effects(m.at_site("arterial"), IV, T, "olofsen2022")
    ven = ketpk.effects.simulate_effects(m, IV, T, "olofsen2022", sampling="venous")
    conc = {r: {"k": x.concentration("ketamine", "ng/mL").magnitude} for r, x in
            (("art", art), ("same", same), ("ven", ven))}
    _same_and_differs(conc["art"], conc["same"], conc["ven"])
    # The effect site is fed by arterial plasma at either sampling site.
    np.testing.assert_allclose(art.effect().values, ven.effect().values, rtol=1e-9)
    comp = {site: ketpk.effects.compare_regimens({"A": IV}, T, ("olofsen2022",), model=m, sampling=site)
            for site in ("arterial", "venous")}
    same = ketpk.effects.compare_regimens({"A": IV}, T, ("olofsen2022",), model=m.at_site("arterial"))
    _same_and_differs({"A": comp["arterial"].results["A"].concentration("ketamine").magnitude},
                      {"A": same.results["A"].concentration("ketamine").magnitude},
                      {"A": comp["venous"].results["A"].concentration("ketamine").magnitude})


@pytest.mark.parametrize("command", [
    ["compare-routes", "--drug", "racemic", "--dose", "20 mg", "--routes", "iv", "--end", "1 h"],
    ["population", "--drug", "racemic", "--dose", "20 mg", "--n", "20", "--end", "1 h", "--no-progress"],
])
def test_cli_doors_take_sampling(capsys, command):
    assert main(command + ["--sampling", "arterial"]) == 0
    arterial = capsys.readouterr().out
    assert main(command + ["--sampling", "venous"]) == 0
    assert capsys.readouterr().out != arterial
    assert main(command[:1] + ["--model", "esketamine.otto2021"] + command[3:] + ["--sampling", "arterial"]) != 0
    assert "venous plasma only" in capsys.readouterr().err


def test_summary_frame_exports_the_percentile_intervals():
    pop = ketpk.population.sample("esketamine.ashraf2018", 6, seed=2, uncertainty=True, replicates=4)
    dose = Bolus("0 min", "10 mg", route="oral")
    s = ketpk.summarize("esketamine.ashraf2018", dose, Q_([60.0, 240.0], "min"), subjects=pop, ci=(5, 95))
    frame = s.to_frame(unit="ng/mL")
    for q in s.q:
        for j, c in enumerate(s.ci):
            rows = frame[(frame.statistic == f"P{q:g} CI{c:g}") & (frame.analyte == "ketamine")]
            np.testing.assert_array_equal(rows.value.to_numpy(),
                                          s.percentile_interval("ketamine", q).magnitude[j])
    assert set(frame.statistic) == {"P5", "P50", "P95", "mean"} | {f"P{q:g} CI{c:g}" for q in s.q for c in s.ci}
    plain = ketpk.summarize("esketamine.ashraf2018", dose, Q_([60.0, 240.0], "min"),
                            subjects=ketpk.population.sample("esketamine.ashraf2018", 6, seed=2))
    assert set(plain.to_frame().statistic) == {"P5", "P50", "P95", "mean"}
