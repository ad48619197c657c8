"""Compare curves: one dose by several routes, several regimens, and equivalent doses.

Research and teaching only: an "equivalent dose" here is the dose that makes a *model* predict
the same exposure, not a recommendation for anyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import models, nca
from .display import Card, CardData
from .errors import ParameterError
from .fileio import write_csv
from .named import NamedRegimen
from .regimen import Bolus, DoseSchedule, Infusion, Regimen, as_regimen, dose_schedule
from .result import SimulationResult
from .simulate import simulate
from .species import analyte_label
from .timegrid import TimeGrid
from .units import as_quantity

__all__ = ["Comparison", "DoseSchedule", "EquivalentDose", "compare_routes", "compare_regimens", "regimen_cases",
           "dose_schedule", "equivalent_dose"]

_DEFAULT_END = "24 h"  # default output: 24 h at 1-min steps
_METRICS = ("auc", "auc_inf", "cmax")


def _times(times: Any) -> Any:
    return TimeGrid(_DEFAULT_END) if times is None else times


def _merge(*groups: Sequence[str]) -> tuple[str, ...]:
    """Union of assumption labels, first-seen order."""
    return tuple(dict.fromkeys(label for group in groups for label in group))


@dataclass(frozen=True, repr=False)
class Comparison(Card):
    """Labelled simulations on one time axis (route names or regimen labels), for one subject.

    ``results`` maps each label to its :class:`~ketpk.SimulationResult`; ``subject`` is the
    subject simulated (used to draw per-weight infusion schedules).
    """

    results: Mapping[str, SimulationResult]
    subject: Any = None
    kind: str = "routes"

    @property
    def analytes(self) -> tuple[str, ...]:
        """Analytes present in any of the results, in first-seen order."""
        return _merge(*(r.analytes for r in self.results.values()))

    @property
    def main_analytes(self) -> tuple[str, ...]:
        """Ketamine and norketamine (those present), else the first analyte: the default panels."""
        present = self.analytes
        return tuple(a for a in ("ketamine", "norketamine") if a in present) or present[:1]

    @property
    def drugs(self) -> tuple[str, ...]:
        """The drug forms of the compared models, in first-seen order."""
        return tuple(dict.fromkeys(r.model.drug for r in self.results.values()))

    def label(self, analyte: str) -> str:
        """The readable name of ``analyte`` for the axis or column that holds every curve:
        ``"S-ketamine"`` or ``"ketamine (R+S)"`` when all models share a form, else one that says
        the form differs between curves (each curve's legend and table row names its own)."""
        names = tuple(dict.fromkeys(analyte_label(d, analyte) for d in self.drugs))
        return names[0] if len(names) == 1 else f"{analyte} ({' or '.join(names)}, by curve)"

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Every assumption label any curve rests on."""
        return _merge(*(r.assumptions for r in self.results.values()))

    def table(self, *, unit: str = "ng/mL", time_unit: str = "h",
              analytes: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """One row per label and analyte (default: all): Cmax, Tmax and AUC over the simulated window.

        ``assumptions`` in each row counts the assumption labels that curve rests on.
        """
        unknown = sorted(set(analytes or ()) - set(self.analytes))
        if isinstance(analytes, str) or unknown:
            raise ParameterError(f"`analytes` must be a sequence of {', '.join(self.analytes)}; got "
                                 f"{analytes!r}. E.g. analytes=('ketamine', 'norketamine').")
        rows = []
        for label, result in self.results.items():
            for analyte in (a for a in result.analytes if analytes is None or a in analytes):
                c = nca.curve(result, analyte, unit=unit, time_unit=time_unit)
                rows.append({"label": label, "analyte": analyte, "name": result.label(analyte),
                             "Cmax": nca.cmax(c),
                             "Tmax": nca.tmax(c), "AUC": nca.auc(c),
                             "assumptions": len(result.assumptions)})
        return rows

    def format_table(self, *, unit: str = "ng/mL", time_unit: str = "h",
                     analytes: Sequence[str] | None = None) -> str:
        """The :meth:`table` as aligned text, units in the header."""
        rows = self.table(unit=unit, time_unit=time_unit, analytes=analytes)
        head = ["label", "analyte", f"Cmax [{unit}]", f"Tmax [{time_unit}]",
                f"AUC [{unit}·{time_unit}]", "assumptions"]
        body = [[r["label"], r["name"], *(f"{r[k].magnitude:.4g}" for k in ("Cmax", "Tmax", "AUC")),
                 str(r["assumptions"])] for r in rows]
        widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
        return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
                         for line in [head, *body])

    def to_csv(self, path: Any, *, unit: str = "ng/mL", time_unit: str = "h") -> None:
        """Write the curves in long format (label, time [time_unit], one column per analyte),
        atomically, after ``#`` provenance lines (ketpk version, each label's model and
        citation, the subject)."""
        from .units import to_unit

        names = self.analytes

        def rows():
            for label, result in self.results.items():
                columns = [result.concentration(a, unit).magnitude if a in result.analytes
                           else np.full(result.times_min.size, np.nan) for a in names]
                times = to_unit(result.times, time_unit, "time_unit").magnitude
                for t, time in enumerate(times):
                    yield [label, f"{time:.12g}", *(f"{c[t]:.10g}" for c in columns)]

        first = next(iter(self.results.values()))
        provenance = {"ketpk_version": first.metadata.get("ketpk_version"),
                      **{f"model[{label}]": r.model_id for label, r in self.results.items()},
                      **{f"citation[{m}]": c for m, c in
                         {r.model_id: r.citation for r in self.results.values()}.items()},
                      "subject": self.subject}
        write_csv(path, ["label", f"time [{time_unit}]", *(f"{self.label(a)} [{unit}]" for a in names)], rows(),
                  provenance=provenance)

    def to_frame(self, *, unit: str = "ng/mL", time_unit: str = "h", wide: bool = False,
                 metrics: bool = False) -> Any:
        """A pandas DataFrame (``pip install "ketpk[pandas]"``); provenance in ``frame.attrs``.

        Default: the curves, with a first column ``label`` (route or regimen) before each
        result's :meth:`~ketpk.SimulationResult.to_frame` columns (long, or ``wide``).
        ``metrics=True``: the :meth:`table` (label, analyte, Cmax, Tmax, AUC with units in the
        headers, assumption count).
        """
        from .frames import concat, records_frame

        attrs = {"kind": self.kind, "time_unit": time_unit,
                 "models": {label: r.model_id for label, r in self.results.items()},
                 "citations": {label: str(r.citation) for label, r in self.results.items()},
                 "assumptions": list(self.assumptions)}
        if metrics:
            return records_frame(self.table(unit=unit, time_unit=time_unit), attrs)
        frames = [r.to_frame(unit=unit, time_unit=time_unit, wide=wide) for r in self.results.values()]
        return concat(frames, list(self.results), "label", attrs)

    def card(self) -> CardData:
        """Labels, models, citations, assumption count and the metrics table (one screen)."""
        model_ids = list(dict.fromkeys(r.model_id for r in self.results.values()))
        citations = list(dict.fromkeys(str(r.citation) for r in self.results.values()))
        return CardData(
            title=f"Comparison of {len(self.results)} {self.kind}: {', '.join(self.results)}",
            facts=[("model", ", ".join(model_ids)), *(("citation", c) for c in citations),
                   ("assumptions", f"{len(self.assumptions)} (see .assumptions)")],
            rows=self.table(analytes=self.main_analytes), figure=self.plot,
            hint="table(), to_frame(), plot()")

    def plot(self, **kwargs: Any) -> Any:
        """Overlay the curves; see :func:`ketpk.plotting.plot_comparison`."""
        from .plotting import plot_comparison

        return plot_comparison(self, **kwargs)


def _by_route(dose: Any, route: str) -> Regimen:
    """The dose (an amount, or a Bolus/Infusion/Regimen/protocol shape) given by ``route``; a
    shape keeps its drug form and its steady state (given by ``route`` too)."""
    if not isinstance(dose, (Bolus, Infusion, Regimen, NamedRegimen)):
        return Regimen([Bolus("0 min", dose, route=route)])
    regimen = as_regimen(dose)
    routed = Regimen((replace(d, route=route) for d in regimen), drug=regimen.drug)
    ss = regimen.steady_state
    return routed if ss is None else routed.with_steady_state(_by_route(ss.period, route), every=ss.every)


def _subject(subject: Any, subjects: Any) -> Any:
    """The one subject given as ``subject=`` or ``subjects=`` (simulate's name); not both."""
    if subject is not None and subjects is not None:
        raise ParameterError("give `subject=` or `subjects=` (the same argument), not both.")
    return subjects if subject is None else subject


def compare_routes(model_or_drug: Any, dose: Any, routes: Sequence[str] | None = None, *,
                   subject: Any = None, times: Any = None, solver: Any = "exact",
                   subjects: Any = None, sampling: str | None = None) -> Comparison:
    """Simulate one dose by several routes of one model for one subject.

    Parameters
    ----------
    model_or_drug : DrugModel or str
        A model or id; ``"esketamine"`` / ``"racemic"`` pick the default model of that form.
    dose : Quantity or str, or Bolus / Infusion / Regimen
        An amount (``"25 mg"``, ``"0.5 mg/kg"``) given as a bolus at 0 by each route, or a dose
        shape whose route is replaced by each route in turn.
    routes : str or sequence of str, optional
        Default: every route the model has (``model.routes``).
    subject : Subject, optional
        Who is dosed (per-weight doses need a weight); ``subjects=`` is the same argument under
        the name :func:`ketpk.simulate` uses.
    times : Quantity [time], optional
        Output times; default 0–24 h every minute.
    sampling : {"arterial", "venous"}, optional
        The plasma simulated (default: the model's own site), as for :func:`ketpk.simulate`.
    """
    subject = _subject(subject, subjects)
    model = models.resolve(model_or_drug)
    routes = tuple(model.routes) if routes is None else (routes,) if isinstance(routes, str) else routes
    if not isinstance(routes, (tuple, list)):
        raise ParameterError(f"`routes` must be a route name or a list of them, e.g. ('iv', 'im'); got "
                             f"{routes!r} of type {type(routes).__name__}.")
    routes = tuple(routes)
    if not routes:
        raise ParameterError("`routes` is empty; give at least one route name.")
    if len(set(routes)) < len(routes):
        raise ParameterError(f"`routes` names a route more than once ({', '.join(routes)}); give each "
                             "route once.")
    times = _times(times)
    results = {r: simulate(model, _by_route(dose, r), times, subjects=subject, solver=solver,
                           record="plasma", sampling=sampling) for r in routes}
    return Comparison(results, subject, "routes")


def regimen_cases(regimens: Any, model: Any = None) -> dict[Any, tuple[Any, Any]]:
    """``{label: (model, regimen)}`` from ``regimens``, a mapping of labels to a regimen
    (simulated with ``model``) or to a ``(model, regimen)`` pair: the one check of the
    ``regimens`` of :func:`compare_regimens` and :func:`ketpk.effects.compare_regimens`."""
    if not isinstance(regimens, Mapping):
        raise ParameterError(f"`regimens` must be a mapping {{label: regimen or (model, regimen)}}; "
                             f"got {type(regimens).__name__}. E.g. {{'A': ('racemic', regimen_a)}}.")
    if not regimens:
        raise ParameterError("`regimens` is empty; give at least one labelled regimen.")
    cases = {}
    for label, entry in regimens.items():
        if isinstance(entry, tuple) and len(entry) != 2:
            raise ParameterError(f"regimen {label!r} must be a Regimen or a (model, Regimen) pair; "
                                 f"got a tuple of {len(entry)}.")
        which, regimen = entry if isinstance(entry, tuple) else (model, entry)
        if which is None:
            raise ParameterError(f"regimen {label!r} needs a model: pass `model=` or (model, regimen).")
        cases[label] = (which, regimen)
    return cases


def compare_regimens(regimens: Mapping[str, Any], model: Any = None, *, subject: Any = None,
                     times: Any = None, solver: Any = "exact", subjects: Any = None,
                     sampling: str | None = None) -> Comparison:
    """Simulate several labelled regimens for the same subject on one time axis (``times`` a
    Quantity [time]; default 0–24 h every min); ``subjects=`` is accepted for ``subject=``;
    ``sampling`` (``"arterial"``/``"venous"``, default each model's own site) as for
    :func:`ketpk.simulate`.

    ``regimens`` maps a label to a Regimen (simulated with ``model``) or to a
    ``(model, Regimen)`` pair, so that e.g. an S(+)-ketamine and a racemic protocol can be
    compared, each with its own model (:func:`regimen_cases`; the effect comparison
    :func:`ketpk.effects.compare_regimens` takes the same ``regimens``).
    """
    subject = _subject(subject, subjects)
    results = {label: simulate(which, regimen, _times(times), subjects=subject, solver=solver,
                               record="plasma", sampling=sampling)
               for label, (which, regimen) in regimen_cases(regimens, model).items()}
    return Comparison(results, subject, "regimens")


@dataclass(frozen=True)
class EquivalentDose:
    """The dose by ``to_route`` that gives the same model-predicted exposure as ``reference_dose``
    by ``from_route``; ``assumptions`` carries the labels of both routes' curves."""

    dose: Any
    reference_dose: Any
    from_route: str
    to_route: str
    metric: str
    analyte: str
    exposure: Any
    ratio: Any
    model_id: str
    assumptions: tuple[str, ...]

    def __str__(self) -> str:
        lines = [
            f"{self.reference_dose:~P} {self.from_route} ≈ {self.dose:.4g~P} {self.to_route} "
            f"(same {self.metric} of {self.analyte}: {self.exposure:.4g~P}; model {self.model_id})",
        ]
        lines += [f"  assumption: {a}" for a in self.assumptions]
        return "\n".join(lines)


def equivalent_dose(model_or_drug: Any, dose: Any, *, from_route: str = "iv", to_route: str,
                    metric: str = "auc_inf", analyte: str = "ketamine", subject: Any = None,
                    times: Any = None, solver: Any = "exact") -> EquivalentDose:
    """The bolus dose by ``to_route`` matching the exposure of ``dose`` by ``from_route``.

    ``metric`` is ``"auc_inf"`` (default), ``"auc"`` (over ``times``) or ``"cmax"``; ``analyte``
    may be ``"ketamine"``, ``"norketamine"`` or ``"ketamine+norketamine"`` (molar sum).

    Every ketpk model is a linear system (first-order transfers only), so AUC and Cmax scale
    exactly with dose: the answer is ``dose × exposure_from / exposure_to`` with both routes
    simulated at the same dose, without iteration. The result keeps the unit of ``dose``
    (``"mg"`` or ``"mg/kg"``) and lists the assumption labels of both routes' curves.
    """
    if metric not in _METRICS:
        raise ParameterError(f"`metric` must be one of {', '.join(_METRICS)}; got {metric!r}.")
    amount = as_quantity(dose, "dose")
    comparison = compare_routes(model_or_drug, amount, (from_route, to_route) if from_route != to_route
                                else (from_route,), subject=subject, times=times, solver=solver)
    func = getattr(nca, metric)
    exposures = {r: func(res, analyte) for r, res in comparison.results.items()}
    ratio = (exposures[from_route] / exposures[to_route]).to("dimensionless")
    return EquivalentDose(
        dose=amount * ratio.magnitude, reference_dose=amount, from_route=from_route,
        to_route=to_route, metric=metric, analyte=analyte, exposure=exposures[from_route],
        ratio=ratio, model_id=comparison.results[from_route].model_id,
        assumptions=comparison.assumptions,
    )
