"""Plain reprs fit one screen; notebook HTML cards show the metrics table, citation, assumptions."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import ketpk  # noqa: E402
from ketpk import Infusion, Q_, Subject, nca, population, protocols, summarize  # noqa: E402
from ketpk.display import quantity_text, unit_text  # noqa: E402

TIMES = Q_(np.arange(0, 721, 10.0), "min")
DOSE = Infusion("0 min", amount="0.5 mg/kg", duration="40 min")


def _objects():
    result = ketpk.simulate("esketamine", DOSE, TIMES, subjects=Subject(weight="70 kg"))
    summary = summarize("esketamine", DOSE, TIMES, subjects=population.sample("esketamine", 1000, seed=1))
    comparison = ketpk.compare_routes("racemic", "25 mg", ["iv", "oral"], times=TIMES)
    return {"result": result, "summary": summary, "comparison": comparison,
            "model": ketpk.models.get("racemic"), "protocol": protocols.get("schwartzman2009")}


@pytest.fixture(scope="module")
def objects():
    return _objects()


@pytest.mark.parametrize("name", ["result", "summary", "comparison", "model", "protocol"])
def test_plain_repr_fits_one_screen_and_names_citation_and_assumptions(objects, name):
    text = repr(objects[name])
    lines = text.splitlines()
    assert len(lines) <= 24 and max(map(len, lines)) <= 110, text
    assert "assumptions" in text
    year = str(objects[name].citation.year if name in ("model", "protocol", "result")
               else objects[name].model.citation.year if name == "summary"
               else objects[name].results["iv"].citation.year)
    assert year in text


def test_result_repr_shows_the_nca_numbers(objects):
    result = objects["result"]
    text = repr(result)
    assert f"{nca.cmax(result, 'ketamine').magnitude:.4g}" in text
    assert f"{nca.auc(result, 'norketamine').magnitude:.4g}" in text
    assert "ng/mL" in text and "ng·h/mL" in text


def test_summary_repr_is_small_for_a_thousand_subjects(objects):
    summary = objects["summary"]
    text = repr(summary)
    assert len(text) < 3000
    median = np.percentile(summary.cmax("ketamine").magnitude, 50)
    assert f"{median:.4g}" in text and "1000 subjects" in text


@pytest.mark.parametrize("name,figure", [("result", True), ("summary", True), ("comparison", True),
                                         ("model", False), ("protocol", False)])
def test_notebook_html_has_table_citation_assumptions_and_figure(objects, name, figure):
    before = plt.get_fignums()
    page = objects[name]._repr_html_()
    assert "<table>" in page and "assumptions" in page
    assert ("data:image/png;base64," in page) == figure
    assert plt.get_fignums() == before  # the inline figure is closed


def test_model_html_lists_every_parameter(objects):
    model = objects["model"]
    page = model._repr_html_()
    assert all(f"<td>{p.name}</td>" in page for p in model.parameters)


@pytest.mark.parametrize("unit,text", [("mg/h/kg", "mg/kg/h"), ("h*ng/mL", "ng·h/mL"),
                                       ("ug/kg/min", "µg/kg/min"), ("umol/L", "µmol/L")])
def test_units_are_written_one_way(unit, text):
    assert unit_text(unit) == text


def test_quantities_are_rounded_with_units():
    assert quantity_text(Q_(0.3171428571428571, "mg/h/kg")) == "0.317 mg/kg/h"
