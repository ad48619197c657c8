"""Plots: returned objects, axis labels with units, assumption marking, no eager matplotlib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ketpk import Bolus, Infusion, ParameterError, Q_, Subject, population, simulate, summarize  # noqa: E402
from ketpk.compare import compare_regimens, compare_routes  # noqa: E402
from ketpk.plotting import plot_comparison, plot_schedule, save_figure  # noqa: E402

from .conftest import one_compartment  # noqa: E402
from .test_compare import assumed_toy  # noqa: E402

TIMES = Q_(np.arange(0, 721.0, 5), "min")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_importing_ketpk_does_not_import_matplotlib():
    code = "import sys, ketpk, ketpk.cli, ketpk.compare, ketpk.nca; print('matplotlib' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root,
                         env={"PYTHONPATH": str(root), "PATH": ""}, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_concentration_plot_labels_units_and_marks_assumptions():
    result = simulate(assumed_toy(), Bolus("0 min", "25 mg", route="oral"), TIMES)
    fig = result.plot(unit="nmol/mL", time_unit="min")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "time [min]" and "[nmol/mL]" in ax.get_ylabel()
    assert all(line.get_linestyle() == "--" for line in ax.get_lines())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ketamine (R+S) *", "norketamine (R+S) *"]  # the form is named
    assert "assumption" in ax.get_legend().get_title().get_text()


def test_route_overlay_has_one_panel_per_analyte_and_dashes_only_assumed_routes():
    comp = compare_routes(assumed_toy().with_parameters(KA="0.05 1/min"), "25 mg", times=TIMES)
    plain = compare_routes(one_compartment(metabolite=True), "25 mg", times=TIMES)
    fig = plot_comparison(plain, log=True)
    assert [ax.get_ylabel() for ax in fig.axes] == ["ketamine (R+S) [ng/mL]", "norketamine (R+S) [ng/mL]"]
    assert fig.axes[0].get_yscale() == "log" and fig.axes[-1].get_xlabel() == "time [h]"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["iv", "oral"]
    assert not fig.axes[0].get_legend().get_title().get_text()
    fig = comp.plot()
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["iv *", "oral *"]
    assert "assumption" in fig.axes[0].get_legend().get_title().get_text()


def test_regimen_plot_draws_the_rate_schedule_under_the_curves():
    daily = Infusion("0 min", rate="0.35 mg/kg/h", duration="4 h").repeat(every="6 h", count=2)
    comp = compare_regimens({"daily": daily, "bolus": Bolus("1 h", "10 mg")}, model="esketamine",
                            subject=Subject(weight="60 kg"), times=TIMES)
    fig = comp.plot(time_unit="min")
    schedule = fig.axes[-1]
    assert len(fig.axes) == 3 and schedule.get_ylabel() == "infusion rate [mg/h]"
    steps = schedule.get_lines()[0]
    assert max(steps.get_ydata()) == pytest.approx(21.0)  # 0.35 mg/kg/h × 60 kg
    assert steps.get_xdata()[-1] == pytest.approx(720.0)


def test_plot_schedule_alone_and_save_figure(tmp_path):
    ax = plot_schedule(Infusion("0 min", rate="20 mg/h", duration="2 h"), end="5 h")
    assert ax.get_xlabel() == "time [h]" and ax.get_lines()[0].get_xdata()[-1] == pytest.approx(5.0)
    save_figure(ax.figure, tmp_path / "s.svg")
    assert (tmp_path / "s.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(ParameterError, match="suffix"):
        save_figure(plt.figure(), tmp_path / "s.docx")
    assert [p.name for p in tmp_path.iterdir()] == ["s.svg"]


def test_population_result_plots_as_bands_one_colour_per_analyte():
    pop = simulate("esketamine", Infusion("0 min", rate="20 mg/h", duration="1 h"), TIMES,
                   subjects=population.sample("esketamine", 200, seed=1))
    fig = pop.plot()
    ax = fig.axes[0]
    median = ax.get_lines()[0]
    assert median.get_label() == "S-ketamine * P50"  # "*": its venous link is a labelled assumption
    expected = pop.percentiles("ketamine", (50,)).magnitude[0]
    assert np.allclose(median.get_ydata(), expected)
    colours = {line.get_label(): line.get_color() for line in ax.get_lines()}
    assert colours["S-ketamine * P50"] != colours["S-norketamine * P50"] and len(ax.get_lines()) == 2
    assert len(ax.collections) == 2  # one 5-95 % band per analyte, not 400 lines
    assert "200 subjects" in ax.get_title() and "20 mg/h iv over 1 h" in ax.get_title()
    every = pop.plot(bands=False).axes[0]
    assert len(every.collections) == 2 and len(every.collections[0].get_segments()) == 200


def test_summary_plot_draws_every_computed_band_with_title_and_grid():
    summary = summarize("esketamine", Infusion("0 min", rate="20 mg/h", duration="1 h"), TIMES,
                        subjects=population.sample("esketamine", 100, seed=2), q=(5, 25, 50, 75, 95))
    ax = summary.plot("norketamine").axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["S-norketamine P50", "S-norketamine P5-P95", "S-norketamine P25-P75"]
    assert "100 subjects" in ax.get_title() and "esketamine.multiroute" in ax.get_title()
    assert ax.xaxis.get_gridlines()[0].get_visible()


def test_observations_are_overlaid_in_the_analyte_colour():
    result = simulate("esketamine", Bolus("0 min", "20 mg"), TIMES, subjects=Subject(weight="70 kg"))
    measured = (Q_([0.5, 1, 2], "h"), Q_([0.2, 0.1, 0.05], "umol/L"))
    ax = result.plot(observations={"ketamine": measured}).axes[0]
    dots = [line for line in ax.get_lines() if line.get_marker() == "o" and len(line.get_xdata())]
    assert len(dots) == 1 and np.allclose(dots[0].get_xdata(), [0.5, 1, 2])
    assert np.allclose(dots[0].get_ydata(), Q_([0.2, 0.1, 0.05], "umol/L").to("nmol/mL").magnitude * 237.73,
                       rtol=1e-3)  # ng/mL with ketamine's molar mass
    assert dots[0].get_markeredgecolor() == ax.get_lines()[0].get_color()
    assert "Bolus" not in ax.get_title() and "20 mg iv" in ax.get_title() and "70 kg" in ax.get_title()
    comparison = compare_routes("esketamine", "20 mg", ["iv", "oral"], times=TIMES)
    fig = comparison.plot(observations={"norketamine": measured})
    assert any(line.get_marker() == "o" for line in fig.axes[1].get_lines())
    assert "20 mg by route" in fig._suptitle.get_text()
    with pytest.raises(ParameterError, match="not plotted"):
        result.plot(analytes=["ketamine"], observations={"norketamine": measured})


def test_every_plot_method_returns_a_figure():
    from matplotlib.figure import Figure

    result = simulate("esketamine", Bolus("0 min", "20 mg"), TIMES)
    comparison = compare_routes("esketamine", "20 mg", ["iv", "oral"], times=TIMES)
    assert isinstance(result.plot(), Figure) and isinstance(comparison.plot(), Figure)
