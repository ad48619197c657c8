"""NONMEM-style event tables: export a regimen for one subject (read one back with
:func:`ketpk.dataset.read_event_table`).

Columns: ``ID, TIME, EVID, AMT, RATE, CMT, II, ADDL, SS`` (plus ``DUR`` with
``durations=True``). Units: TIME, II and DUR in ``time_unit`` (h by default), AMT in mg of free
base, RATE in mg per ``time_unit``. Doses only (EVID 1); observation rows (EVID 0, 2) are
skipped on reading.

CMT mapping
-----------
With ``model=``, CMT is the 1-based position, in ``model``'s state list, of the compartment the
route's (first) input enters: the central compartment for IV, the depot for absorption routes
(see :func:`cmt_map`; a racemate split over two centrals maps to the first). Every route has its
own code: a route entering a compartment that an earlier route (IV first) already enters gets
the next number after the last compartment. Without a model, CMT is a route code: the 1-based
code of the route in :data:`ketpk.routecodes.ROUTE_CMT` (iv 1, im 2, sc 3, oral 4, sublingual 5,
buccal 6, intranasal 7, rectal 8, transdermal 9, inhaled 10). A written table records its
mapping in a ``# cmt: iv=1 ...`` line, and reading uses it: a table written with route codes
and read with a model keeps its routes, and a ``cmt=`` that contradicts it is an error.

RATE codes: 0 bolus; > 0 infusion at that rate; -2 with a DUR column: infusion over DUR; -2
without DUR: a bolus into a route whose model defines its own zero-order duration (written for
such routes when ``model`` is given). ``SS=1`` with ``II`` on the dose at TIME 0: the regimen
starts at the steady state of that dose repeated every II (:meth:`Regimen.with_steady_state`).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ParameterError, RegimenError
from .occasions import occasion_of
from .fileio import COMMENT, open_text, write_csv
from .drugform import check_drug_form
from .model import DrugModel
from .named import NamedRegimen
from .routecodes import ROUTE_CMT
from .subject import subject_weights
from .units import Q_

__all__ = ["EventTable", "event_table", "to_event_table", "format_cell", "minutes_per", "row_number", "cmt_map",
           "routes_by_cmt", "dataset_rows",
           "ROUTE_CMT"]

COLUMNS = ("ID", "TIME", "EVID", "AMT", "RATE", "CMT", "II", "ADDL", "SS")
_REL = 1e-12


@dataclass(frozen=True)
class EventTable:
    """Rows of a NONMEM-style dataset (dicts keyed by column) for one subject."""

    rows: tuple[dict[str, float], ...]
    columns: tuple[str, ...]
    time_unit: str
    cmt: Mapping[str, int] = field(default_factory=dict)
    model_id: str = ""  # the model whose state numbers the CMT column holds ("" for route codes)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def write(self, path: str | os.PathLike) -> Path:
        """Write CSV atomically (full float precision), after ``#`` lines: the CMT mapping
        (``# cmt:``), what its numbers mean (``# cmt_meaning:``, naming the model) and the units."""
        coding = {"cmt": " ".join(f"{route}={number}" for route, number in self.cmt.items())} if self.cmt else {}
        if self.model_id:
            coding["cmt_meaning"] = (f"1-based state number in model {self.model_id} of the compartment "
                                     "each route's dose enters (ketpk.eventtable.cmt_map)")
        elif self.cmt and dict(self.cmt) == ROUTE_CMT:
            coding["cmt_meaning"] = "ketpk route codes, no model (ketpk.eventtable.ROUTE_CMT)"
        coding["units"] = (f"TIME, II, DUR in {self.time_unit}; AMT in mg of free base; RATE in "
                           f"mg/{self.time_unit}")
        write_csv(path, self.columns, ([format_cell(row[k]) for k in self.columns] for row in self.rows),
                  provenance=coding)
        return Path(path)

    to_csv = write


def format_cell(value: Any) -> str:
    """A CSV cell: text as is, NaN as '.', whole numbers without '.0', others at full precision."""
    if isinstance(value, str):
        return value
    if math.isnan(value):
        return "."
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def to_event_table(source: Any, *, time_unit: str = "h") -> EventTable:
    """A whole dataset (CSV path, row dicts or EventTable) as an :class:`EventTable` that keeps
    every record and every column (EVID 0-4, MDV, SS 0/1/2, RATE -1/-2, DUR, DV, covariates;
    numbers as floats, '.' or empty as NaN, text as text) and its CMT mapping, so that
    ``to_event_table(x).write(path)`` and ``simulate_dataset(path, model)`` give what ``x`` gives."""
    rows, declared, _ = dataset_rows(source)
    out = []
    for row in rows:
        converted = {}
        for name, value in row.items():
            if value is None or (isinstance(value, str) and value.strip() in ("", ".")):
                converted[name] = math.nan
                continue
            try:
                converted[name] = float(value)
            except (TypeError, ValueError):
                converted[name] = str(value)
        out.append(converted)
    return EventTable(tuple(out), tuple(rows[0]), time_unit, declared or {})


def cmt_map(model: Any) -> dict[str, int]:
    """Route -> CMT (1-based state number of the route's first input) for ``model``; a route
    whose compartment an earlier route (IV first) already enters gets the next free number after
    the last compartment, so every route has its own code."""
    params = _model(model).individual({}, {}, 1)
    states = model.states
    out, extra = {}, len(states)
    for name in sorted(model.routes, key=lambda r: r != "iv"):
        first = model.routes[name].inputs(params, np.ones(1))[0]
        number = states.index(first.state) + 1
        if number in out.values():
            extra += 1
            number = extra
        out[name] = number
    return {name: out[name] for name in model.routes}


def _model(model: Any) -> DrugModel:
    """``model`` if it is a DrugModel, else a ParameterError naming the fix."""
    if not isinstance(model, DrugModel):
        raise ParameterError(f"`model` must be a DrugModel, e.g. ketpk.models.get('racemic'); got "
                             f"{model!r} of type {type(model).__name__}.")
    return model


def minutes_per(time_unit: str) -> float:
    """Minutes in one ``time_unit`` (e.g. 60.0 for ``"h"``); RegimenError for a non-time unit."""
    try:
        return float(Q_(1, time_unit).to("min").magnitude)
    except Exception as err:
        raise RegimenError(f"`time_unit` must be a time unit such as 'h' or 'min'; got {time_unit!r}.") from err


def event_table(regimen: Any, subject: Any = None, *, model: Any = None, id: int = 1,
                time_unit: str = "h", durations: bool = False) -> EventTable:
    """The regimen's doses for ``subject`` (per-weight doses and caps resolved) as an EventTable.

    Runs of equal doses at equal spacing are written once with ADDL/II. ``durations=True``
    writes infusions as RATE = -2 with a DUR column (rxode2/NONMEM modelled-duration style).
    For a ``model`` with inter-occasion variability an OCC column (1, 2, …) numbers the dosing
    sessions (:mod:`ketpk.occasions`) and ADDL runs stay within one occasion. ``regimen``: a
    Regimen, or a protocol (its regimen is written).
    """
    named = regimen if isinstance(regimen, NamedRegimen) else None
    if named is not None:
        regimen = regimen.regimen
    if model is not None:
        check_drug_form(_model(model), regimen, named)
    scale = minutes_per(time_unit)
    cmts = cmt_map(model) if model is not None else dict(ROUTE_CMT)
    weights = subject_weights(subject)
    resolved = [d.resolve(weights, 1) for d in regimen]
    ss = regimen.steady_state
    ss_index = _steady_state_dose(regimen) if ss is not None else None
    occasion = occasion_of(regimen) if model is not None and model.occasion_variability else None
    columns = COLUMNS + (("DUR",) if durations else ()) + (("OCC",) if occasion is not None else ())
    rows: list[dict[str, float]] = []
    k = 0
    while k < len(resolved):
        if k == ss_index:
            run = 1
        else:
            run = _run_length(resolved, k, stop=ss_index)
            if occasion is not None:
                run = int(np.sum(occasion[k:k + run] == occasion[k]))
        dose = resolved[k]
        if dose.route not in cmts:
            raise RegimenError(f"route {dose.route!r} has no CMT in the mapping {cmts}; pass a model "
                               "that has this route.")
        interval = (resolved[k + 1].time - dose.time) if run > 1 else 0.0
        row = {"ID": id, "TIME": dose.time / scale, "EVID": 1, "AMT": float(dose.amount[0]),
               "RATE": 0.0, "CMT": cmts[dose.route], "II": interval / scale, "ADDL": run - 1, "SS": 0}
        if durations:
            row["DUR"] = 0.0
        if occasion is not None:
            row["OCC"] = float(occasion[k] + 1)
        if dose.duration is not None:
            if durations:
                row["RATE"], row["DUR"] = -2, float(dose.duration[0]) / scale
            else:
                row["RATE"] = float(dose.rate[0]) * scale
        elif model is not None and not model.route(dose.route).infusion:
            row["RATE"] = -2
        if k == ss_index:
            row["SS"], row["II"] = 1, ss._tau / scale
        rows.append(row)
        k += run
    return EventTable(tuple(rows), columns, time_unit, cmts, model.id if model is not None else "")


def _steady_state_dose(regimen: Any) -> int:
    """Index of the time-0 dose equal to the single steady-state period dose (NONMEM SS=1)."""
    period = regimen.steady_state.period
    for i, dose in enumerate(regimen):
        if len(period) == 1 and dose.start_minutes == 0 and dose == period.doses[0]:
            return i
    raise RegimenError("an event table can express a steady state only as NONMEM SS=1: one dose "
                       "repeated, also given at time 0. This regimen's steady state is more general.")


def _same(a: Any, b: Any) -> bool:
    if a.route != b.route or (a.duration is None) != (b.duration is None):
        return False
    pairs = [(a.amount, b.amount)] + ([(a.rate, b.rate), (a.duration, b.duration)] if a.duration is not None else [])
    return all(np.array_equal(x, y) for x, y in pairs)


def _run_length(doses: list[Any], k: int, stop: int | None) -> int:
    """How many doses from ``k`` are equal and equally spaced (an ADDL/II run)."""
    run = 1
    while k + run < len(doses) and k + run != stop and _same(doses[k], doses[k + run]):
        gap = doses[k + run].time - doses[k + run - 1].time
        first = doses[k + 1].time - doses[k].time
        if gap <= 0 or not math.isclose(gap, first, rel_tol=_REL, abs_tol=0):
            break
        run += 1
    return run


# -- reading ------------------------------------------------------------------------------------

def _header(names: list[str], where: str) -> list[str]:
    """Column names upper-cased; empty or repeated names are errors."""
    out = [str(k).strip().upper() for k in names]
    for k, name in enumerate(out):
        if not name:
            raise RegimenError(f"{where}: column {k + 1} of the header has no name; name it or remove it.")
        if out.count(name) > 1:
            raise RegimenError(f"{where}: column {name} appears {out.count(name)} times (column names are "
                               "case-insensitive); keep one, or rename the others.")
    return out


def dataset_rows(source: Any) -> tuple[list[dict[str, Any]], dict[str, int] | None, list[int]]:
    """Rows of a CSV path, EventTable or list of row dicts, keyed by upper-case column name; the
    CMT mapping the table declares (its ``# cmt:`` line, or the EventTable's), if any; and each
    row's number for messages (the file line; the 1-based position + 1 otherwise, as if under a
    header). Repeated columns, ragged rows and no rows are errors."""
    declared, lines = None, None
    if isinstance(source, EventTable):
        rows = [dict(r) for r in source.rows]
        declared = dict(source.cmt) or None
    elif isinstance(source, (str, os.PathLike)):
        with open_text(source) as handle:
            text = list(handle)
        numbered = [(k, line) for k, line in enumerate(text, start=1) if not line.startswith(COMMENT)]
        declared = _declared(text, source)
        table = list(csv.reader(line for _, line in numbered))
        if not table:
            raise RegimenError(f"the event table {os.fspath(source)!r} is empty; it needs a header row.")
        header = _header(table[0], repr(os.fspath(source)))
        rows, lines = [], []
        for (line, _), values in zip(numbered[1:], table[1:]):
            if not values:
                continue
            lines.append(line)
            if len(values) > len(header):
                raise RegimenError(f"row {line} of {os.fspath(source)!r} has {len(values) - len(header)} more "
                                   f"value(s) than the header has columns ({', '.join(header)}); "
                                   "remove them or name their columns.")
            rows.append(dict(zip(header, values + [None] * (len(header) - len(values)))))
    elif isinstance(source, Iterable) and not isinstance(source, (bytes, str, Mapping)):
        rows = list(source)
        for k, row in enumerate(rows):
            if not isinstance(row, Mapping):
                raise RegimenError(f"`source` rows must be dicts keyed by column (TIME, EVID, AMT, CMT, ...); "
                                   f"row {k} is {row!r}. Pass a CSV path, an EventTable or a list of dicts.")
        rows = [dict(zip(_header(list(row), f"row {k}"), row.values())) for k, row in enumerate(rows)]
        names = list(dict.fromkeys(name for row in rows for name in row))  # every row gets every column
        rows = [{name: row.get(name) for name in names} for row in rows]
    else:
        raise RegimenError(f"`source` must be a CSV path, an EventTable or a list of row dicts; got {source!r}.")
    if not rows:
        raise RegimenError("the event table has no rows.")
    return rows, declared, lines if lines is not None else list(range(2, len(rows) + 2))


def _declared(lines: list[str], source: Any) -> dict[str, int] | None:
    """The ``# cmt: route=number ...`` mapping of a written table, if it has one."""
    for line in lines:
        if line.startswith(COMMENT) and line[1:].strip().startswith("cmt:"):
            try:
                pairs = (item.split("=") for item in line[1:].strip()[4:].split())
                return {route: int(number) for route, number in pairs}
            except ValueError:
                raise RegimenError(f"the `# cmt:` line of {os.fspath(source)!r} must read 'route=number "
                                   f"...'; got {line.strip()!r}.") from None
    return None


def routes_by_cmt(model: Any = None, cmt: Mapping[str, int] | None = None,
                  declared: Mapping[str, int] | None = None) -> dict[int, str]:
    """CMT -> route for reading: the table's ``declared`` mapping, else ``cmt`` (route -> CMT),
    else ``model``'s :func:`cmt_map`, else :data:`ROUTE_CMT`. A ``cmt`` contradicting the
    declared one is an error. Where routes share a CMT, a dose into the central compartment is
    IV (the NONMEM convention); other shared CMTs are an error naming the fix."""
    if declared and cmt is not None and dict(cmt) != dict(declared):
        raise RegimenError(f"`cmt` {dict(cmt)} contradicts the table's own CMT mapping {dict(declared)} "
                           "(its `# cmt:` line); drop `cmt=` or fix the table.")
    if declared and model is not None:
        unknown = [r for r in declared if r not in model.routes]
        if unknown:
            raise RegimenError(f"the table's CMT mapping names route(s) {unknown} that model {model.id!r} "
                               f"lacks; it has {', '.join(model.routes)}.")
    if declared:
        mapping = dict(declared)
    else:
        mapping = dict(cmt) if cmt is not None else (cmt_map(model) if model is not None else dict(ROUTE_CMT))
    shared: dict[int, list[str]] = {}
    for route, number in mapping.items():
        shared.setdefault(int(number), []).append(route)
    out = {}
    for number, routes in shared.items():
        if len(routes) > 1 and "iv" not in routes:
            raise RegimenError(f"CMT {number} is the entry of routes {routes}; pass `cmt=` (route -> CMT) "
                               "giving each route its own number.")
        out[number] = "iv" if "iv" in routes else routes[0]
    return out


def row_number(row: dict[str, Any], column: str, line: int, default: float | None = None, *,
               whole: bool = False) -> float:
    """The number in ``column`` of a dataset row (file line ``line``, for errors); ``default``
    for an empty cell or '.', ``whole=True`` for integer columns (EVID, CMT, ADDL, SS)."""
    value = row.get(column)
    if value is None or (isinstance(value, str) and value.strip() in ("", ".")):
        if default is None:
            raise RegimenError(f"row {line}: column {column} is empty; it needs a number (write 0 "
                               "if it does not apply).")
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RegimenError(f"row {line}: column {column} must be a number; got {value!r}. Event "
                           "tables hold numbers only (units: see read_event_table).") from None
    if not math.isfinite(number):
        raise RegimenError(f"row {line}: column {column} must be finite; got {value!r}.")
    if whole and not number.is_integer():
        raise RegimenError(f"row {line}: column {column} must be a whole number; got {value!r}.")
    return number
