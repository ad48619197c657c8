"""``ketpk app``: a local interactive page for teaching (Shiny for Python, the extra ``ketpk[app]``).

Pick the drug form and model, one or more routes, a dose (mg or mg/kg, as a bolus or over an
infusion time) and a weight, or a named protocol; see ketamine and norketamine curves (linear
or log), the Cmax/Tmax/AUC table, the routes compared and a population band; download the
curves as CSV. Every input goes through the same ketpk functions as the Python API
(:func:`compute`), so a bad input shows ketpk's own error message on the page, never a
traceback. The page binds to 127.0.0.1 unless told otherwise. shiny is imported in this module
only, when the app is built.

Research and teaching only: model predictions, not a dosing device.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any

import numpy as np

from .extras import require

__all__ = ["Settings", "Outcome", "compute", "build_app", "run", "DISCLAIMER"]

DISCLAIMER = ("Research and teaching only: these curves are predictions of published population "
              "models, not advice for any patient. ketpk is not a dosing device.")
_MAX_OUTPUTS = 2000  # output times per curve (the step is at least 1 min)
_MAX_SUBJECTS = 2000


@dataclass(frozen=True)
class Settings:
    """The page's inputs, as text, exactly as typed or picked."""

    model: str = "esketamine"
    routes: tuple[str, ...] = ("iv",)
    dose: str = "0.5 mg/kg"
    infusion: str = ""  # "" = a bolus; else an infusion duration such as "40 min"
    weight: str = "70 kg"
    protocol: str = ""  # a protocol name instead of the dose
    end: str = "12 h"
    subjects: int = 0  # > 0: a population band of that many virtual subjects (first route)


@dataclass(frozen=True)
class Outcome:
    """What the page shows: a comparison and optional population summary, or an error message."""

    comparison: Any = None
    summary: Any = None
    error: str = ""


def output_times(end: str) -> Any:
    """Output times from 0 to ``end`` (a string with a unit) every minute, or coarser so that a
    curve has at most 2000 points."""
    from .errors import ParameterError
    from .timegrid import TimeGrid
    from .units import to_canonical

    minutes = float(to_canonical(end, "[time]", "end"))
    if not (np.isfinite(minutes) and minutes > 0):
        raise ParameterError(f"`end` must be a finite positive time such as '12 h'; got {end!r}.")
    step = max(1.0, float(np.ceil(minutes / _MAX_OUTPUTS)))
    return TimeGrid(f"{minutes!r} min", step=f"{step!r} min")


def _regimen(settings: Settings, model: Any) -> tuple[Any, tuple[str, ...]]:
    """The dose shape and routes (or the protocol and its routes) the settings ask for."""
    from . import protocols
    from .errors import ParameterError
    from .regimen import Bolus, Infusion

    if settings.protocol:
        protocol = protocols.get(settings.protocol)
        if protocol.drug != model.drug:
            raise ParameterError(f"protocol {protocol.name!r} doses {protocol.drug}, but model "
                                 f"{model.id!r} is {model.drug}; pick a {protocol.drug} model.")
        return protocol, ()
    if not settings.routes:
        raise ParameterError("`routes`: tick at least one route.")
    if settings.infusion.strip():
        return Infusion("0 min", amount=settings.dose, duration=settings.infusion), settings.routes
    return Bolus("0 min", settings.dose), settings.routes


def compute(settings: Settings) -> Outcome:
    """Simulate what the page asks for with the public API; any error becomes its message."""
    from . import compare, models, population, summarize
    from .errors import KetpkError
    from .subject import Subject

    try:
        model = models.get(settings.model)
        subject = Subject(weight=settings.weight) if settings.weight.strip() else None
        times = output_times(settings.end)
        regimen, routes = _regimen(settings, model)
        if routes:
            comparison = compare.compare_routes(model, regimen, routes, subject=subject, times=times)
        else:
            comparison = compare.compare_regimens({settings.protocol: regimen}, model, subject=subject,
                                                  times=times)
        summary = None
        if settings.subjects:
            if not (isinstance(settings.subjects, int) and 0 < settings.subjects <= _MAX_SUBJECTS):
                raise KetpkError(f"`subjects` must be from 0 (no band) to {_MAX_SUBJECTS}; got "
                                 f"{settings.subjects!r}.")
            first = next(iter(comparison.results.values()))
            pop = population.sample(model, settings.subjects, seed=1,
                                    weight=settings.weight if settings.weight.strip() else None)
            summary = summarize(model, first.regimen, times, subjects=pop, progress=False,
                                analytes=list(comparison.main_analytes))
        return Outcome(comparison, summary)
    except (KetpkError, ValueError, TypeError, LookupError, ArithmeticError) as err:
        return Outcome(error=" ".join(str(err).split()))
    except Exception as err:  # noqa: BLE001 - the page shows a message, never a traceback
        return Outcome(error=f"unexpected error ({type(err).__name__}: {err}); please report it.")


def _model_choices(drug: str) -> dict[str, str]:
    from . import models

    return {m.id: m.id for m in models.available() if m.drug == drug}


def _protocol_choices(drug: str) -> dict[str, str]:
    from . import protocols

    return {"": "(none: use the dose)", **{p.name: p.name for p in protocols.available() if p.drug == drug}}


def build_app() -> Any:
    """The Shiny ``App`` object (``pip install "ketpk[app]"``)."""
    require("shiny", "app", "ketpk app")
    import matplotlib

    matplotlib.use("Agg")
    from shiny import App, reactive, render, ui

    from . import models
    from .display import html_table

    default = models.DEFAULTS["esketamine"]
    sidebar = ui.sidebar(
        ui.input_radio_buttons("drug", "Drug form", {"esketamine": "S(+)-ketamine", "racemic": "racemic"},
                               selected="esketamine", inline=True),
        ui.input_select("model", "Model", _model_choices("esketamine"), selected=default),
        ui.input_checkbox_group("routes", "Routes", list(models.get(default).routes), selected=["iv"],
                                inline=True),
        ui.input_text("dose", "Dose (mg or mg/kg)", "0.5 mg/kg"),
        ui.input_text("infusion", "Infusion time (empty: bolus)", ""),
        ui.input_text("weight", "Body weight", "70 kg"),
        ui.input_select("protocol", "Or a protocol", _protocol_choices("esketamine")),
        ui.input_text("end", "Simulate for", "12 h"),
        ui.input_radio_buttons("scale", "Concentration axis", {"linear": "linear", "log": "log"},
                               selected="linear", inline=True),
        ui.input_numeric("subjects", "Population band: subjects (0 = off)", 0, min=0, max=_MAX_SUBJECTS),
        ui.download_button("download", "Download CSV"),
        width=320,
    )
    page = ui.page_sidebar(
        sidebar,
        ui.div(ui.strong(DISCLAIMER), id="disclaimer", class_="alert alert-warning"),
        ui.output_ui("error"),
        ui.output_plot("curves", height="520px"),
        ui.h5("Metrics per route (over the simulated window)"),
        ui.output_ui("metrics"),
        ui.output_ui("citation"),
        ui.output_plot("band", height="360px"),
        title="ketpk: ketamine and norketamine pharmacokinetics",
    )

    def server(input: Any, output: Any, session: Any) -> None:  # noqa: A002 - shiny's name
        @reactive.effect
        @reactive.event(input.drug)
        def _drug() -> None:
            drug = input.drug()
            ui.update_select("model", choices=_model_choices(drug), selected=models.DEFAULTS[drug])
            ui.update_select("protocol", choices=_protocol_choices(drug), selected="")

        @reactive.effect
        @reactive.event(input.model)
        def _model() -> None:
            routes = list(models.get(input.model()).routes)
            keep = [r for r in input.routes() if r in routes] or routes[:1]
            ui.update_checkbox_group("routes", choices=routes, selected=keep, inline=True)

        @reactive.calc
        def outcome() -> Outcome:
            subjects = input.subjects()
            return compute(Settings(
                model=input.model(), routes=tuple(input.routes()), dose=input.dose(),
                infusion=input.infusion(), weight=input.weight(), protocol=input.protocol(),
                end=input.end(), subjects=int(subjects) if subjects is not None else 0))

        @render.ui
        def error() -> Any:
            message = outcome().error
            return ui.div(message, id="error-message", class_="alert alert-danger") if message else None

        @render.plot
        def curves() -> Any:
            result = outcome()
            if result.comparison is None:
                return None
            return result.comparison.plot(log=input.scale() == "log", schedule=False)

        @render.ui
        def metrics() -> Any:
            result = outcome()
            if result.comparison is None:
                return None
            rows = [{k: v for k, v in row.items() if k != "analyte"}  # the human name is enough
                    for row in result.comparison.table(analytes=result.comparison.main_analytes)]
            return ui.HTML(html_table(rows).replace("<table>", '<table id="metrics" class="table table-sm">'))

        @render.ui
        def citation() -> Any:
            result = outcome()
            if result.comparison is None:
                return None
            first = next(iter(result.comparison.results.values()))
            labels = result.comparison.assumptions
            return ui.div(ui.p(f"Model {first.model_id}: {first.citation}"),
                          ui.p(f"{len(labels)} assumption-labelled values (dashed curves marked *)"
                               + (": " + "; ".join(labels) if labels else "")), id="citation")

        @render.plot
        def band() -> Any:
            result = outcome()
            if result.summary is None:
                return None
            import matplotlib.pyplot as plt

            names = result.summary.analytes
            fig, axes = plt.subplots(1, len(names), figsize=(10, 3.4), layout="constrained", squeeze=False)
            for ax, analyte in zip(axes[0], names):
                result.summary.plot(analyte, ax=ax, log=input.scale() == "log",
                                    title=f"{analyte}: {result.summary.n_subjects} virtual subjects")
            return fig

        @render.download(filename="ketpk-curves.csv")
        def download() -> Any:
            result = outcome()
            if result.comparison is None:
                yield f"# error: {result.error}\n"
                return
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "curves.csv")
                result.comparison.to_csv(path)
                with open(path, encoding="utf-8") as handle:
                    yield handle.read()

    return App(page, server)


def run(host: str = "127.0.0.1", port: int = 8000, launch_browser: bool = False) -> None:
    """Serve the page on ``host:port`` (127.0.0.1 by default: this machine only) until stopped."""
    shiny = require("shiny", "app", "ketpk app")
    print(f"ketpk app on http://{host}:{port} (Ctrl+C stops it). {DISCLAIMER}", flush=True)
    shiny.run_app(build_app(), host=host, port=port, launch_browser=launch_browser, log_level="warning")
