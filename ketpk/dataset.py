"""Whole NONMEM-format datasets: every subject's records in, one prediction per record out.

:func:`simulate_dataset` reads a dataset (CSV path, :class:`~ketpk.eventtable.EventTable` or
row dicts), runs each individual's records through the NONMEM event rules of
:mod:`ketpk.nmevents` with the model's typical parameters (PRED) and, when ``individual`` names
parameter columns, with the subject's own (IPRED), or with random effects drawn as NONMEM's
$SIMULATION does (``variability=True``: etas per ID, kappas per ID and occasion), and returns a
:class:`DatasetResult`.
Columns and semantics: ``docs/datasets.md``.

Units: TIME, II and DUR in ``time_unit`` (h by default), AMT in ``amount_unit`` (mg of free
base), RATE in ``amount_unit`` per ``time_unit``, concentrations out in ``conc_unit`` (ng/mL).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from . import models, occasions, population
from .errors import ParameterError, RegimenError, SolverError
from .eventtable import dataset_rows, format_cell, minutes_per, routes_by_cmt, row_number
from .fileio import write_csv
from .model import OCCASION_PREFIX, DrugModel, FromColumn
from .regimen import MAX_DOSES, Bolus, Infusion, Regimen
from .nmevents import Records, subject_states
from .plan import warn_covariates
from .result import provenance
from .solvers import get_solver
from .subject import SubjectBatch, check_covariate
from .units import COVARIATE_UNITS, Q_, convert, parse_unit

__all__ = ["simulate_dataset", "DatasetResult", "CARRY", "read_event_table"]

#: How covariate values fill missing entries and hold between records.
CARRY = ("nocb", "locf")
_STANDARD = ("ID", "TIME", "EVID", "AMT", "RATE", "CMT", "SS", "II", "ADDL", "MDV", "DV", "DUR")
#: Model covariates read from dataset columns unless ``covariates=`` says otherwise.
DEFAULT_COVARIATES = {"weight": "WT", "age": "AGE"}
_CONSTANT_SS = "AMT 0, RATE > 0, II 0"
_MAX_OCC = 2**31 - 1  # the largest OCC label read (a 32-bit integer)


@dataclass(frozen=True)
class DatasetResult:
    """One row per input record: ``columns`` and ``data`` (column -> float array), times and
    concentrations in the units the dataset was read with (``time_unit``, ``conc_unit``; by
    default h and ng/mL)."""

    columns: tuple[str, ...]
    data: Mapping[str, np.ndarray]
    metadata: Mapping[str, Any]

    def __len__(self) -> int:
        return len(self.data["ID"])

    def __getitem__(self, column: str) -> np.ndarray:
        try:
            return self.data[column]
        except KeyError:
            raise ParameterError(f"no column {column!r}; the result has {', '.join(self.columns)}.") from None

    def to_array(self) -> np.ndarray:
        """The table as a 2-D float array (records x :attr:`columns`)."""
        return np.column_stack([self.data[c] for c in self.columns])

    def to_csv(self, path: str | os.PathLike) -> Path:
        """Write the table (provenance as ``#`` lines, full float precision) atomically."""
        rows = ([format_cell(self.data[c][i]) for c in self.columns] for i in range(len(self)))
        write_csv(path, self.columns, rows, provenance=self.metadata)
        return Path(path)


def _scale(unit: str, to: str, what: str) -> float:
    try:
        return float(Q_(1.0, parse_unit(unit, what)).to(to).magnitude)
    except Exception as err:
        raise ParameterError(f"`{what}` must be a unit convertible to {to}; got {unit!r}.") from err


def _columns(rows: list[dict[str, Any]], name: str, lines: np.ndarray) -> np.ndarray:
    """A numeric column of ``rows`` (row numbers ``lines``): '.', '' and a float NaN are missing
    (NaN); the text 'nan' is an error."""
    values = np.full(len(rows), np.nan)
    for k, row in enumerate(rows):
        value = row.get(name)
        if value is None or (isinstance(value, str) and value.strip() in ("", ".")):
            continue
        if isinstance(value, float) and math.isnan(value):  # a missing value of an EventTable
            continue
        if isinstance(value, (bool, np.bool_)):
            raise RegimenError(f"row {lines[k]}: column {name} must be a number; got the boolean "
                               f"{value!r}. Write 1 or 0.")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise RegimenError(f"row {lines[k]}: column {name} must be a number; got {value!r}.") from None
        if not math.isfinite(number):
            raise RegimenError(f"row {lines[k]}: column {name} must be finite; got {value!r}.")
        values[k] = number
    return values


def _carry(values: np.ndarray, carry: str) -> np.ndarray:
    """Missing entries filled from the next record (NOCB) or the previous one (LOCF), and from
    the other side where none is on that side."""
    def forward(v: np.ndarray) -> np.ndarray:
        idx = np.where(np.isnan(v), 0, np.arange(len(v)))
        np.maximum.accumulate(idx, out=idx)
        out = v[idx]
        return out

    def backward(v: np.ndarray) -> np.ndarray:
        return forward(v[::-1])[::-1]

    first, second = (backward, forward) if carry == "nocb" else (forward, backward)
    filled = first(values)
    return np.where(np.isnan(filled), second(values), filled)


def _model_columns(model: DrugModel) -> set[str]:
    return {e.covariate for p in model.parameters for e in p.covariates if isinstance(e, FromColumn)}


def _individual_model(model: DrugModel, individual: Mapping[str, str]) -> DrugModel:
    """``model`` whose named parameters take the subject's values from columns (their unit)."""
    params = []
    for p in model.parameters:
        if p.name in individual:
            unit = str(p.value.units)
            params.append(replace(p, covariates=(FromColumn(individual[p.name].upper(), unit),)))
        else:
            params.append(p)
    unknown = set(individual) - {p.name for p in model.parameters}
    if unknown:
        raise ParameterError(f"`individual` names {sorted(unknown)}, not parameters of model {model.id!r}; "
                             f"it has {[p.name for p in model.parameters]}.")
    return replace(model, parameters=tuple(params))


def _records(rows, idx, lines, scale_t, scale_a) -> Records:
    def col(name, default=0.0):
        values = _columns([rows[i] for i in idx], name, lines)
        return np.where(np.isnan(values), default, values)

    evid_given = "EVID" in rows[0]
    amt = col("AMT")
    evid = col("EVID") if evid_given else np.where(amt > 0, 1.0, 0.0)
    rate = col("RATE")
    return Records(time=col("TIME", np.nan) * scale_t, evid=evid, amt=amt * scale_a,
                   rate=np.where(rate > 0, rate * scale_a / scale_t, rate), cmt=col("CMT"),
                   ss=col("SS"), ii=col("II") * scale_t, addl=col("ADDL"), dur=col("DUR") * scale_t,
                   lines=lines)


def _check_addl(addl: float, line: int) -> None:
    """ADDL copies are expanded one by one: at most a regimen's :data:`MAX_DOSES`."""
    if addl >= MAX_DOSES:
        raise RegimenError(f"row {line}: ADDL {addl:g} asks for more than {MAX_DOSES} doses; give at "
                           "most that many, or model a long course at steady state (SS 1).")


def _mapping(value: Any, name: str, example: str) -> Mapping[str, Any] | None:
    """``value`` if None or a mapping, else a ParameterError showing the form wanted."""
    if value is not None and not isinstance(value, Mapping):
        raise ParameterError(f"`{name}` must be a mapping, e.g. {example}; got {value!r} of type "
                             f"{type(value).__name__}.")
    return value


def _check(rec: Records, ident: str) -> None:
    """Reject records NONMEM would reject, naming the row and the fix."""
    for k in range(len(rec)):
        line = rec.lines[k]
        if math.isnan(rec.time[k]):
            raise RegimenError(f"row {line}: TIME is missing; every record needs a time.")
        if k and rec.time[k] < rec.time[k - 1] and rec.evid[k] not in (3, 4):
            raise RegimenError(f"row {line}: TIME goes back ({rec.time[k] :g} min after {rec.time[k - 1]:g}) "
                               f"within ID {ident}; sort each individual's records by time (time may "
                               "restart only on a reset record, EVID 3 or 4).")
        evid = rec.evid[k]
        if evid not in (0, 1, 2, 3, 4):
            raise RegimenError(f"row {line}: EVID {evid:g} is not one of 0 (observation), 1 (dose), 2 "
                               "(other), 3 (reset), 4 (reset and dose).")
        if evid == 2 and rec.cmt[k] < 0:
            raise RegimenError(f"row {line}: EVID 2 with CMT {rec.cmt[k]:g} turns a compartment off in "
                               "NONMEM; ketpk does not model that. Remove the record or set CMT 0.")
        if evid not in (1, 4):
            continue
        ss, ii, addl, rate, amt = rec.ss[k], rec.ii[k], rec.addl[k], rec.rate[k], rec.amt[k]
        for name, value in (("SS", ss), ("ADDL", addl), ("CMT", rec.cmt[k])):
            if not float(value).is_integer() or value < 0:
                raise RegimenError(f"row {line}: {name} must be a whole number >= 0; got {value:g}.")
        if ss not in (0, 1, 2):
            raise RegimenError(f"row {line}: SS {ss:g} must be 0, 1 (reset to steady state) or 2 (add "
                               "a steady state).")
        if ii < 0 or (addl and ii <= 0):
            raise RegimenError(f"row {line}: ADDL {addl:g} needs II > 0; got II {ii:g}.")
        _check_addl(addl, line)
        if not (rate >= 0 or rate in (-1, -2)):
            raise RegimenError(f"row {line}: RATE {rate:g} must be 0 (bolus), > 0 (rate), -1 (modelled "
                               "rate R) or -2 (modelled duration D).")
        constant = ss and amt == 0 and rate > 0 and ii == 0
        if ss and ii <= 0 and not constant:
            raise RegimenError(f"row {line}: SS {ss:g} needs II > 0 (or {_CONSTANT_SS} for a constant "
                               "infusion at steady state).")
        if constant and addl:
            raise RegimenError(f"row {line}: a constant infusion at steady state takes no ADDL.")
        if not (amt > 0 or constant):
            raise RegimenError(f"row {line}: a dose (EVID {evid:g}) needs AMT > 0 (AMT 0 only for a "
                               f"steady-state constant infusion: SS 1, {_CONSTANT_SS}); got {amt:g}.")


def _occasions(rows: list[dict[str, Any]], rec: Records, ident: str) -> np.ndarray:
    """Each record's occasion: the OCC column (whole numbers >= 0 on every record, not
    decreasing within an individual) or, without one, :func:`ketpk.occasions.of_records`."""
    if "OCC" not in rows[0]:
        return occasions.of_records(rec.time, rec.evid, rec.ii, rec.addl)
    occ = _columns(rows, "OCC", rec.lines)
    for k, value in enumerate(occ):
        if math.isnan(value):
            raise RegimenError(f"row {rec.lines[k]}: OCC is missing; give every record its occasion "
                               "(or drop the OCC column to number dosing sessions >= 12 h apart).")
        if not value.is_integer() or not 0 <= value <= _MAX_OCC:
            raise RegimenError(f"row {rec.lines[k]}: OCC must be a whole number from 0 to {_MAX_OCC}; "
                               f"got {value:g}.")
        if k and value < occ[k - 1]:
            raise RegimenError(f"row {rec.lines[k]}: OCC goes back ({value:g} after {occ[k - 1]:g}) "
                               f"within ID {ident}; occasions follow each other in time, number them "
                               "in increasing order.")
    return occ.astype(int)


def _random_effects(model: DrugModel, rng: np.random.Generator, occ: np.ndarray) -> dict[str, np.ndarray]:
    """One individual's etas (one draw) and kappas (one draw per occasion), per record."""
    drawn = population.draw_etas(model, rng, 1)
    effects = {name: np.full(len(occ), value[0]) for name, value in drawn.items()}
    if model.occasion_variability:
        values, index = np.unique(occ, return_inverse=True)
        kappas = occasions.draw(model, rng, 1, len(values))
        for block in model.occasion_variability:
            for name in block.names:
                per = np.array([kappas[occasions.kappa_key(name, j)][0] for j in range(len(values))])
                effects[OCCASION_PREFIX + name] = per[index]
    return effects


def _effect_column(key: str) -> str:
    """Output column of a random effect: ``ETA_CL`` (IIV), ``KAPPA_KA1`` (IOV)."""
    if key.startswith(OCCASION_PREFIX):
        return "KAPPA_" + key[len(OCCASION_PREFIX):]
    return "ETA_" + key


def simulate_dataset(source: Any, model: Any, *, solver: Any = "exact", time_unit: str = "h",
                     amount_unit: str = "mg", conc_unit: str = "ng/mL", carry: str = "nocb",
                     cmt: Mapping[str, int] | None = None, covariates: Mapping[str, str] | None = None,
                     individual: Mapping[str, str] | None = None, analyte: str = "ketamine",
                     variability: bool = False, seed: Any = None) -> DatasetResult:
    """Predictions at every record of a NONMEM-format dataset (all individuals).

    Parameters
    ----------
    source : CSV path, EventTable or list of row dicts
        Columns (case-insensitive): ID, TIME, EVID, AMT, RATE, CMT, SS, II, ADDL, MDV, DV, DUR,
        plus covariates. '.' is missing. A column ``C`` marks comment records (any value but
        '', '.', '0'); lines starting with '#' are skipped.
    model : DrugModel or str
        The model; dosing routes by CMT from ``cmt`` (route -> CMT) or :func:`ketpk.eventtable.cmt_map`.
    carry : {"nocb", "locf"}
        Which record's covariates hold between two records and fill missing values: the next
        (NONMEM) or the previous.
    covariates : mapping, optional
        Model covariate -> column (default ``{"weight": "WT", "age": "AGE"}``, kg and years).
        Parameters defined with a ``column`` (model cards) read their own columns.
    individual : mapping, optional
        Parameter -> column giving each subject's own value (in the unit of the parameter's
        published value): adds IPRED and ``<analyte>_IPRED`` columns.
    analyte : str
        The analyte reported as PRED/IPRED (DV's analyte); every analyte has its own column.
    variability : bool
        Draw random effects as NONMEM's $SIMULATION does: each ID one eta per parameter of the
        model's omega blocks, and for a model with inter-occasion variability each ID and
        occasion (OCC column, else :func:`ketpk.occasions.of_records`) one kappa per IOV
        parameter. IPRED is then the prediction with them; ``ETA_<name>``, ``KAPPA_<name>`` and
        ``OCC`` columns say what was drawn. Not combined with ``individual``.
    seed : int, numpy SeedSequence or Generator, optional
        With ``variability``: the same seed gives the same draws (IDs drawn in dataset order,
        each its etas then its kappas occasion by occasion); ``None`` records fresh entropy in
        ``metadata["seed"]``.
    """
    model = models.resolve(model)
    engine = get_solver(solver)
    _mapping(cmt, "cmt", "{'oral': 1, 'iv': 2} (route -> CMT)")
    _mapping(covariates, "covariates", "{'weight': 'WT'} (model covariate -> column)")
    _mapping(individual, "individual", "{'CL': 'ICL'} (parameter -> column)")
    if carry not in CARRY:
        raise ParameterError(f"`carry` must be one of {CARRY}; got {carry!r}.")
    if not isinstance(variability, bool):
        raise ParameterError(f"`variability` must be True or False; got {variability!r}.")
    if seed is not None and not variability:
        raise ParameterError(f"`seed` ({seed!r}) is used only to draw random effects; add "
                             "variability=True, or drop `seed` for the typical subject.")
    if variability and individual:
        raise ParameterError("`variability=True` draws each subject's random effects and "
                             "`individual=` gives them from columns; use one of the two.")
    rng, recorded = population.generator(seed) if variability else (None, None)
    rows, declared, numbers = dataset_rows(source)
    if "TIME" not in rows[0]:
        raise RegimenError(f"the dataset has no TIME column; it has {', '.join(rows[0])}.")
    if "C" in rows[0]:
        keep = [k for k, r in enumerate(rows) if str(r.get("C") or "").strip() in ("", ".", "0")]
    else:
        keep = list(range(len(rows)))
    scale_t = _scale(time_unit, "min", "time_unit")
    scale_a = _scale(amount_unit, "mg", "amount_unit")
    convert(1.0, "umol/L", "ketamine", conc_unit, name="conc_unit",  # checked before any work
            expected="a concentration such as 'ng/mL' or 'umol/L'")
    routes = routes_by_cmt(model, cmt, declared)
    mapping = dict(DEFAULT_COVARIATES if covariates is None else covariates)
    absent = [col for col in (covariates or {}).values() if str(col).upper() not in rows[0]]
    if absent:  # the defaults may be absent; a column the user names must be there
        raise RegimenError(f"`covariates` names column(s) {', '.join(map(str, absent))}, which the "
                           f"dataset lacks; it has {', '.join(rows[0])}.")
    columns_needed = {name: col.upper() for name, col in mapping.items() if col.upper() in rows[0]}
    columns_needed.update({c: c for c in _model_columns(model) if c in rows[0]})
    ipred_model = _individual_model(model, individual) if individual else (model if variability else None)
    with_occ = "OCC" in rows[0] or (variability and bool(model.occasion_variability))
    if individual:
        for name, col in individual.items():
            if col.upper() not in rows[0]:
                raise RegimenError(f"`individual` maps {name} to column {col!r}, which the dataset lacks.")
            columns_needed[col.upper()] = col.upper()
    numbers = np.array(numbers)
    ids = _columns([rows[k] for k in keep], "ID", numbers[keep]) if "ID" in rows[0] else np.ones(len(keep))
    if np.isnan(ids).any():
        raise RegimenError(f"row {numbers[keep[int(np.flatnonzero(np.isnan(ids))[0])]]}: ID is missing.")
    breaks = [0] + [k for k in range(1, len(keep)) if ids[k] != ids[k - 1]] + [len(keep)]
    analytes = None
    outputs: dict[str, list] = {}
    seen: dict[str, list] = {}
    for a, b in zip(breaks[:-1], breaks[1:]):
        idx = keep[a:b]
        sub = [rows[i] for i in idx]
        lines = numbers[idx]
        rec = _records(rows, idx, lines, scale_t, scale_a)
        _check(rec, f"{ids[a]:g}")
        covs = {}
        for name, col in columns_needed.items():
            values = _carry(_columns(sub, col, lines), carry)
            if np.isnan(values).all() and name in mapping:
                raise RegimenError(f"ID {ids[a]:g}: column {col} (the model's {name}) has no value.")
            if name in COVARIATE_UNITS:  # weight, age, height: the one check of user covariates
                check_covariate(name, values[~np.isnan(values)])
            covs[name] = values
            seen.setdefault(name, []).append(values)
        covs["tafd"] = _time_after_first_dose(rec)
        occ = _occasions(sub, rec, f"{ids[a]:g}") if with_occ else np.ones(len(rec), int)
        effects = _random_effects(model, rng, occ) if variability else {}
        preds = {}
        for kind, m, etas in (("PRED", model, {}), ("IPRED", ipred_model, effects)):
            if m is None:
                continue
            params = m.individual(covs, etas, len(rec))
            system = m.system(params)
            with np.errstate(over="ignore", invalid="ignore"):
                states = subject_states(m, params, system, rec, routes, engine, carry)
                preds[kind] = {name: np.einsum("rs,rs->r", row, states) for name, row in system.observe.items()}
            _check_finite(preds[kind], rec, f"{ids[a]:g}", scale_a, amount_unit)
        analytes = tuple(preds["PRED"])
        if analyte not in analytes:
            raise ParameterError(f"`analyte` must be one of {analytes}; got {analyte!r}.")
        block = {"ID": ids[a:b], "TIME": rec.time / scale_t, "EVID": rec.evid,
                 "MDV": _mdv(sub, rec), "CMT": rec.cmt, "AMT": rec.amt / scale_a}
        if with_occ:
            block["OCC"] = occ
        if "DV" in rows[0]:
            block["DV"] = _columns(sub, "DV", lines)
        for kind, values in preds.items():
            block[kind] = convert(values[analyte], "umol/L", analyte, conc_unit).magnitude
        for kind, values in preds.items():
            for name, v in values.items():
                block[name if kind == "PRED" else f"{name}_IPRED"] = convert(v, "umol/L", name, conc_unit).magnitude
        block.update({_effect_column(key): value for key, value in effects.items()})
        for key, value in block.items():
            outputs.setdefault(key, []).append(np.asarray(value, dtype=float))
    warn_covariates(model, SubjectBatch(len(keep), {k: np.concatenate(v) for k, v in seen.items()}))
    data = {key: np.concatenate(parts) for key, parts in outputs.items()}
    meta = dict(provenance(model, engine.name, recorded), conc_unit=conc_unit, time_unit=time_unit, carry=carry)
    if variability:
        meta["random_effects"] = "etas per ID, kappas per ID and occasion (OCC)"
    return DatasetResult(tuple(data), data, meta)


def _check_finite(preds: Mapping[str, np.ndarray], rec: Records, ident: str, scale_a: float,
                  amount_unit: str) -> None:
    """A SolverError, never an inf or NaN column that looks like a prediction (doses too large
    for floating point)."""
    if all(np.isfinite(v).all() for v in preds.values()):
        return
    largest = float(np.nanmax(rec.amt, initial=0.0)) / scale_a
    raise SolverError(f"ID {ident}: the predictions are not finite (inf or NaN); the largest AMT is "
                      f"{largest:.3g} {amount_unit}. Doses this large overflow floating point: give "
                      "doses of a physical size (results are linear in the dose).")


def _mdv(rows, rec: Records) -> np.ndarray:
    given = _columns(rows, "MDV", rec.lines) if "MDV" in rows[0] else np.full(len(rec), np.nan)
    derived = np.where(rec.evid == 0, 0.0, 1.0)
    mdv = np.where(np.isnan(given), derived, given)
    bad = ~np.isin(mdv, (0.0, 1.0))
    if bad.any():
        raise RegimenError(f"row {rec.lines[int(np.flatnonzero(bad)[0])]}: MDV must be 0 or 1.")
    return mdv


def _time_after_first_dose(rec: Records) -> np.ndarray:
    """Per record: time since the first dose record (min), 0 before it (covariate ``tafd``)."""
    doses = np.flatnonzero(np.isin(rec.evid, (1, 4)))
    if doses.size == 0:
        return np.zeros(len(rec))
    return np.maximum(rec.time - rec.time[doses[0]], 0.0)


def read_event_table(source: Any, *, model: Any = None, cmt: Mapping[str, int] | None = None,
                     time_unit: str = "h", id: Any = None) -> Regimen:
    """A Regimen from a NONMEM-style event table (CSV path, EventTable or row dicts; AMT in mg,
    TIME, II and DUR in ``time_unit``, default h).

    ``model`` or ``cmt`` (route -> CMT) give the CMT mapping (default: :data:`ROUTE_CMT`).
    ADDL/II are expanded; RATE = -2 takes DUR (or the model's own zero-order duration); SS = 1
    on the TIME-0 dose starts the regimen at that dose's steady state. A table with several IDs
    needs ``id``.
    """
    _mapping(cmt, "cmt", "{'oral': 1, 'iv': 2} (route -> CMT)")
    rows, declared, numbers = dataset_rows(source)
    missing = [c for c in ("TIME", "EVID", "AMT", "CMT") if c not in rows[0]]
    if missing:
        raise RegimenError(f"the event table lacks column(s) {', '.join(missing)}; it has "
                           f"{', '.join(rows[0])}. Required: TIME, EVID, AMT, CMT.")
    routes = routes_by_cmt(model, cmt, declared)
    ids = sorted({str(r.get("ID", "1")).strip() for r in rows})
    if id is None and len(ids) > 1:
        raise RegimenError(f"the event table has IDs {', '.join(ids)}; pass `id=` to choose one.")
    wanted = str(id).strip() if id is not None else ids[0]
    if wanted not in ids:
        raise RegimenError(f"`id` {id!r} is not in the event table; its IDs are {', '.join(ids)}.")
    scale = minutes_per(time_unit)
    doses, steady = [], None
    for line, row in zip(numbers, rows):
        if str(row.get("ID", "1")).strip() != wanted:
            continue
        evid = row_number(row, "EVID", line, whole=True)
        if evid in (0, 2):
            continue
        if evid != 1:
            raise RegimenError(f"row {line}: EVID {evid:g} is not supported; use 1 (dose), 0 or 2 "
                               "(skipped) for a Regimen. A Regimen has no resets (EVID 3, 4): run the table with "
                               "ketpk.simulate_dataset, which follows every NONMEM event.")
        number = int(row_number(row, "CMT", line, whole=True))
        if number not in routes:
            raise RegimenError(f"row {line}: CMT {number} is not in the mapping {routes}; pass the "
                               "model (or `cmt=`) the table was written for.")
        route = routes[number]
        dose = _dose(row, line, route, scale, model)
        ii, addl = row_number(row, "II", line, 0.0), int(row_number(row, "ADDL", line, 0.0, whole=True))
        if addl < 0 or (addl and ii <= 0):
            raise RegimenError(f"row {line}: ADDL {addl} needs a positive II; got II {ii:g}.")
        _check_addl(addl, line)
        ss = int(row_number(row, "SS", line, 0.0, whole=True))
        if ss:
            if ss != 1 or ii <= 0 or dose.start_minutes != 0 or steady is not None:
                raise RegimenError(f"row {line}: a Regimen takes only SS=1 with II > 0 on one dose at "
                                   "TIME 0 (a regimen starting at steady state); run other steady states "
                                   "with ketpk.simulate_dataset.")
            steady = (dose, Q_(ii * scale, "min"))
        doses.append(dose)
        doses += [dose.shifted(Q_(ii * scale * j, "min")) for j in range(1, addl + 1)]
    regimen = Regimen(doses)
    return regimen.with_steady_state(steady[0], every=steady[1]) if steady else regimen


def _dose(row: dict[str, Any], line: int, route: str, scale: float, model: Any) -> Bolus | Infusion:
    time = Q_(row_number(row, "TIME", line) * scale, "min")
    amount = row_number(row, "AMT", line)
    rate = row_number(row, "RATE", line, 0.0)
    if amount <= 0:
        raise RegimenError(f"row {line}: a dose (EVID 1) needs AMT > 0; got {amount:g}.")
    if rate == 0:
        return Bolus(time, Q_(amount, "mg"), route)
    if rate > 0:
        return Infusion(time, route=route, amount=Q_(amount, "mg"), rate=Q_(rate / scale, "mg/min"))
    if rate == -2:
        duration = row_number(row, "DUR", line, 0.0)
        if duration > 0:
            return Infusion(time, route=route, amount=Q_(amount, "mg"), duration=Q_(duration * scale, "min"))
        if model is not None and not model.route(route).infusion:
            return Bolus(time, Q_(amount, "mg"), route)
        raise RegimenError(f"row {line}: RATE -2 needs a DUR column > 0, or a model whose route "
                           f"{route!r} defines its own zero-order duration.")
    raise RegimenError(f"row {line}: RATE {rate:g} is not supported in a Regimen; use 0 (bolus), a "
                       "positive rate, or -2 with DUR (ketpk.simulate_dataset takes RATE -1 and -2 "
                       "from the model's R and D).")
