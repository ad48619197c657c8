"""User-defined models from a model card (a plain dict or a TOML file), validated like the built-ins.

A card names its source and declares the structure; no Python is needed::

    id = "racemic.my_clinic"
    drug = "racemic"
    population = "adults, 50-100 kg"
    sampling = "venous"

    [citation]
    authors = "Doe J"
    year = 2024
    title = "A ketamine model"
    journal = "J Pharmacokinet"
    doi = "10.0000/example"

    [parameters]
    CL = { value = "80 L/h", source = "Table 2", weight_exponent = 0.75 }
    V  = { value = "250 L", source = "Table 2", weight_exponent = 1 }
    F  = { value = "0.2", source = "Table 2" }
    ka = { value = "1 1/h", source = "assumed", assumption = "no published ka" }

    [[compartments]]
    name = "ketamine.central"
    species = "ketamine"
    volume = "V"
    analytes = ["ketamine"]

    [[flows]]
    type = "clearance"        # or "transfer" (rate, 1/time) or "exchange" (between = [a, b])
    from = "ketamine.central"
    value = "CL"
    # to = { "norketamine.central" = 0.8 }   yields: numbers or parameter names
    # basis = "molar"                        or "mass"

    [routes.iv]
    type = "iv"

    [routes.oral]
    type = "absorption"       # first-order absorption from a depot
    F = "F"
    ka = "ka"
    # lag = "...", presystemic = "...", metabolite = "norketamine.central"
    # R = "...", D = "...": NONMEM's modelled rate and duration (dataset RATE -1 / -2)


Every problem raises :class:`~ketpk.ParameterError` naming the field (``flows[0].value``) and the
fix. Parameters are referred to by name everywhere, so each carries its unit and source once.

The IV route takes ``F``, ``lag``, ``R`` and ``D`` too (all optional; F = 1 and no lag by
default), so every dosed compartment has NONMEM's F, ALAG, R and D. A parameter with
``column = "BIOAV"`` takes its value from that dataset column (in the unit of its ``value``,
which stands where the column is missing): how dataset covariates drive parameters.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

from .citations import Citation
from .errors import FileError, KetpkError, ParameterError
from .model import Allometric, DrugModel, FromColumn, Parameter, Params, Route, SystemBuilder
from .routecodes import ROUTES
from .routes import iv_route, table_route
from .species import SPECIES
from .units import Q_

__all__ = ["from_dict", "from_toml"]

_TOP = {"id": True, "name": False, "drug": True, "citation": True, "population": True,
        "sampling": True, "parameters": True, "compartments": True, "flows": False, "routes": True,
        "covariate_range": False, "notes": False, "evidence": False}
_CITATION = {"authors": True, "year": True, "title": True, "journal": True, "doi": False, "pmid": False}
_PARAMETER = {"value": True, "source": True, "description": False, "weight_exponent": False,
              "column": False, "assumption": False}
_COMPARTMENT = {"name": True, "species": True, "volume": False, "analytes": False}
_FLOW = {"clearance": {"type": True, "from": True, "value": True, "to": False, "basis": False},
         "transfer": {"type": True, "from": True, "value": True, "to": False, "basis": False},
         "exchange": {"type": True, "between": True, "value": True}}
_ROUTE = {"iv": {"type": True, "central": False, "F": False, "lag": False, "R": False, "D": False},
          "absorption": {"type": True, "central": False, "F": True, "ka": True, "lag": False,
                         "R": False, "D": False,
                         "presystemic": False, "metabolite": False, "description": False,
                         "sources": False, "assumptions": False}}

# What each parameter use requires: (dimension key, readable name, example).
_VOLUME = ("[length] ** 3", "a volume", "'250 L'")
_FLOW_DIM = ("[length] ** 3 / [time]", "a clearance", "'80 L/h'")
_RATE = ("1 / [time]", "a rate constant", "'1.2 1/h'")
_TIME = ("[time]", "a time", "'10 min'")
_FRACTION = ("dimensionless", "a fraction", "'0.2'")
_FACTOR = ("dimensionless", "a bioavailability factor", "'1'")
_AMOUNT_RATE = ("[mass] / [time]", "a dose rate", "'10 mg/h'")
_METABOLITES = {"norketamine", "s_norketamine", "r_norketamine"}


def _close(name: Any, options) -> str | None:
    """The option closest to ``name`` ignoring case, or None."""
    lowered = {str(o).lower(): o for o in options}
    match = difflib.get_close_matches(str(name).lower(), lowered, n=1)
    return lowered[match[0]] if match else None


def _fail(field: str, rule: str, got: Any, fix: str = "") -> ParameterError:
    return ParameterError(f"`{field}` {rule}; got {got!r}.{' ' + fix if fix else ''}")


def _keys(table: Any, spec: Mapping[str, bool], where: str) -> Mapping[str, Any]:
    """Check that ``table`` is a table with every required key of ``spec`` and no unknown key."""
    if not isinstance(table, Mapping):
        raise _fail(where, "must be a table (dict)", table)
    for key in table:
        if key not in spec:
            close = _close(key, spec)
            hint = f"Did you mean `{close}`?" if close else f"Allowed: {', '.join(spec)}."
            raise _fail(f"{where}.{key}" if where else str(key), "is not a known field", key, hint)
    for key, required in spec.items():
        if required and key not in table:
            raise ParameterError(f"`{where + '.' if where else ''}{key}` is required but missing. "
                                 f"Add it to the model card.")
    return table


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(field, "must be a non-empty string", value)
    return value


def _parameter(name: str, entry: Any) -> Parameter:
    where = f"parameters.{name}"
    entry = _keys(entry, _PARAMETER, where)
    value = entry["value"]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = Q_(float(value))  # a bare number is a fraction; a misused one fails its dimension check
    elif not isinstance(value, str):
        raise _fail(f"{where}.value", "must be a string with a unit such as '95 L/h'", value)
    effects = ()
    if "weight_exponent" in entry:
        exponent = entry["weight_exponent"]
        if isinstance(exponent, bool) or not isinstance(exponent, (int, float)) or not math.isfinite(exponent):
            raise _fail(f"{where}.weight_exponent", "must be a number, finite (e.g. 0.75 or 1)", exponent)
        effects = (Allometric(float(exponent)),)
    if "column" in entry:
        column = entry["column"]
        if effects or not isinstance(column, str) or not column.strip():
            raise _fail(f"{where}.column", "must name one dataset column (and cannot be combined "
                        "with weight_exponent)", column)
        unit = str(Q_(value).units) if isinstance(value, str) else ""
        effects = (FromColumn(column.strip().upper(), "" if unit == "dimensionless" else unit),)
    source = _text(entry["source"], f"{where}.source")
    try:
        return Parameter(name, value, entry.get("description", name), source, effects, entry.get("assumption"))
    except KetpkError as err:
        raise ParameterError(f"`{where}.value`: {err}") from None


class _Card:
    """Cross-references of one card: parameter dimensions and compartment names."""

    def __init__(self, parameters: Mapping[str, Parameter], compartments: Mapping[str, Mapping]):
        self.parameters = parameters
        self.compartments = compartments

    def parameter(self, name: Any, field: str, need: tuple[str, str, str]) -> str:
        """``name`` if it is a parameter of the card with the dimension ``need``."""
        if not isinstance(name, str) or name not in self.parameters:
            close = _close(name, self.parameters)
            hint = f"Did you mean {close!r}?" if close else "Define it under [parameters]."
            raise _fail(field, f"must name a parameter ({need[1]})", name, hint)
        quantity = self.parameters[name].value
        dims = "dimensionless" if not quantity.dimensionality else str(quantity.dimensionality)
        if dims != need[0]:
            raise ParameterError(
                f"`{field}` uses parameter {name!r} as {need[1]}, so `parameters.{name}.value` must "
                f"have dimension {need[0]} (e.g. {need[2]}); got {quantity:~P}."
            )
        if need is _FRACTION and not 0.0 <= quantity.magnitude <= 1.0:
            raise _fail(f"parameters.{name}.value", "is a fraction and must lie in [0, 1]", str(quantity))
        return name

    def compartment(self, name: Any, field: str, *, volume: bool = False) -> str:
        if name not in self.compartments:
            raise _fail(field, f"must name a compartment ({', '.join(self.compartments)})", name)
        if volume and "volume" not in self.compartments[name]:
            raise _fail(field, "needs a compartment with a `volume` (clearances act on concentrations)",
                        name, f"Give compartment {name!r} a volume.")
        return name


def _compartments(entries: Any) -> dict[str, Mapping]:
    if not isinstance(entries, Sequence) or isinstance(entries, str) or not entries:
        raise _fail("compartments", "must be a non-empty list of tables", entries)
    found: dict[str, Mapping] = {}
    for i, entry in enumerate(entries):
        where = f"compartments[{i}]"
        entry = _keys(entry, _COMPARTMENT, where)
        name = _text(entry["name"], f"{where}.name")
        if name in found:
            raise _fail(f"{where}.name", "must be unique", name)
        if entry["species"] not in SPECIES:
            raise _fail(f"{where}.species", f"must be one of {', '.join(SPECIES)}", entry["species"])
        analytes = entry.get("analytes", [])
        if not isinstance(analytes, list) or not all(isinstance(a, str) for a in analytes):
            raise _fail(f"{where}.analytes", "must be a list of analyte names", analytes)
        if analytes and "volume" not in entry:
            raise _fail(f"{where}.volume", "is required for an observed compartment", None,
                        "Concentration = amount / volume; name a volume parameter.")
        found[name] = entry
    observed = {a for c in found.values() for a in c.get("analytes", [])}
    if "ketamine" not in observed:
        raise _fail("compartments", "must observe the analyte 'ketamine' in one compartment", sorted(observed),
                    "Add analytes = [\"ketamine\"] to the parent's central compartment.")
    if {c["species"] for c in found.values()} & _METABOLITES and "norketamine" not in observed:
        raise _fail("compartments", "must observe the analyte 'norketamine' (the card has a norketamine "
                    "compartment)", sorted(observed), "Add analytes = [\"norketamine\"] to its central compartment.")
    return found


def _yields(card: _Card, to: Any, where: str) -> dict[str, Any]:
    """Flow targets as {compartment: yield (number or fraction-parameter name)}."""
    if to is None:
        return {}
    if isinstance(to, str):
        return {card.compartment(to, where): 1.0}
    if not isinstance(to, Mapping):
        raise _fail(where, "must be a compartment name or a table {compartment = yield}", to)
    targets = {}
    for target, value in to.items():
        card.compartment(target, f"{where}.{target}")
        if isinstance(value, str):
            targets[target] = card.parameter(value, f"{where}.{target}", _FRACTION)
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            targets[target] = float(value)
        else:
            raise _fail(f"{where}.{target}", "must be a non-negative number or a parameter name", value)
    return targets


def _flow(card: _Card, entry: Any, where: str) -> tuple:
    if not isinstance(entry, Mapping) or entry.get("type") not in _FLOW:
        got = entry.get("type") if isinstance(entry, Mapping) else entry
        raise _fail(f"{where}.type", f"must be one of {', '.join(_FLOW)}", got)
    kind = entry["type"]
    _keys(entry, _FLOW[kind], where)
    if kind == "exchange":
        pair = entry["between"]
        if not isinstance(pair, list) or len(pair) != 2 or pair[0] == pair[1]:
            raise _fail(f"{where}.between", "must list two different compartments", pair)
        a, b = (card.compartment(c, f"{where}.between", volume=True) for c in pair)
        return (kind, a, b, card.parameter(entry["value"], f"{where}.value", _FLOW_DIM))
    basis = entry.get("basis", "molar")
    if basis not in ("molar", "mass"):
        raise _fail(f"{where}.basis", "must be 'molar' or 'mass'", basis)
    source = card.compartment(entry["from"], f"{where}.from", volume=kind == "clearance")
    value = card.parameter(entry["value"], f"{where}.value", _FLOW_DIM if kind == "clearance" else _RATE)
    return (kind, source, value, _yields(card, entry.get("to"), f"{where}.to"), basis)


def _structure(compartments: Mapping[str, Mapping], flows: Sequence[tuple]):
    def structure(p: Params) -> SystemBuilder:
        s = SystemBuilder(p.n)
        for name, c in compartments.items():
            volume = p[c["volume"]] if "volume" in c else None
            s.compartment(name, c["species"], volume=volume, analytes=tuple(c.get("analytes", ())))
        for flow in flows:
            if flow[0] == "exchange":
                _, a, b, q = flow
                s.exchange(a, b, p[q])
                continue
            kind, source, value, targets, basis = flow
            yields = {t: p[y] if isinstance(y, str) else y for t, y in targets.items()}
            getattr(s, kind)(source, p[value], yields, basis=basis)
        return s

    return structure


def _route(card: _Card, name: str, entry: Any) -> Route:
    where = f"routes.{name}"
    if name not in ROUTES:
        raise _fail(where, f"must be a route name ({', '.join(ROUTES)})", name)
    kinds = {"iv": "iv", "absorption": "absorption"}
    if not isinstance(entry, Mapping) or entry.get("type") not in kinds:
        got = entry.get("type") if isinstance(entry, Mapping) else entry
        raise _fail(f"{where}.type", "must be 'iv' or 'absorption'", got)
    _keys(entry, _ROUTE[entry["type"]], where)
    central = card.compartment(entry.get("central", "ketamine.central"), f"{where}.central")
    modelled = {"modelled_rate": card.parameter(entry["R"], f"{where}.R", _AMOUNT_RATE) if "R" in entry else None,
                "modelled_duration": card.parameter(entry["D"], f"{where}.D", _TIME) if "D" in entry else None}
    lag = card.parameter(entry["lag"], f"{where}.lag", _TIME) if "lag" in entry else None
    if entry["type"] == "iv":
        if name != "iv":
            raise _fail(f"{where}.type", "'iv' is only allowed for the route named iv", name,
                        "Use type = \"absorption\" for extravascular routes.")
        F = card.parameter(entry["F"], f"{where}.F", _FACTOR) if "F" in entry else None
        return iv_route(central, F=F, lag=lag, **modelled)
    F = card.parameter(entry["F"], f"{where}.F", _FRACTION)
    ka = card.parameter(entry["ka"], f"{where}.ka", _RATE)
    presystemic = metabolite = None
    if "presystemic" in entry:
        presystemic = card.parameter(entry["presystemic"], f"{where}.presystemic", _FRACTION)
        if "metabolite" not in entry:
            raise _fail(f"{where}.metabolite", "is required with `presystemic`", None,
                        "Name the compartment that receives the first-pass metabolite.")
        total = card.parameters[F].canonical + card.parameters[presystemic].canonical
        if total > 1.0:
            raise _fail(f"{where}", "needs F + presystemic <= 1 (fractions of the dose)", round(total, 6))
    if "metabolite" in entry:
        if presystemic is None:
            raise _fail(f"{where}.presystemic", "is required with `metabolite`", None)
        metabolite = card.compartment(entry["metabolite"], f"{where}.metabolite")
    lists = {key: entry.get(key, []) for key in ("sources", "assumptions")}
    for key, items in lists.items():
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise _fail(f"{where}.{key}", "must be a list of strings", items)
    return table_route(
        name, {"F": F, "ka": ka, "lag": lag, "fpre": presystemic}, absorption="first-order", central=central,
        metabolite=metabolite, species=card.compartments[central]["species"], sources=lists["sources"],
        assumptions=lists["assumptions"],
        description=entry.get("description", f"{name}: first-order absorption (user model card)"),
        **modelled,
    )


def _citation(entry: Any) -> Citation:
    entry = _keys(entry, _CITATION, "citation")
    if not (entry.get("doi") or entry.get("pmid")):
        raise ParameterError("`citation` needs a `doi` or a `pmid`; got neither. A model card must "
                             "name its source.")
    year = entry["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        raise _fail("citation.year", "must be an integer year", year)
    return Citation(authors=_text(entry["authors"], "citation.authors"), year=year,
                    title=_text(entry["title"], "citation.title"),
                    journal=_text(entry["journal"], "citation.journal"),
                    doi=str(entry.get("doi", "")), pmid=str(entry.get("pmid", "")))


def _covariate_range(entry: Any) -> dict[str, tuple]:
    ranges = {}
    for name, bounds in _keys(entry, {"weight": False, "age": False}, "covariate_range").items():
        ok = (isinstance(bounds, list) and len(bounds) == 2
              and all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
              and bounds[0] < bounds[1])
        if not ok:
            raise _fail(f"covariate_range.{name}", "must be [low, high] (kg or years), low < high", bounds)
        ranges[name] = (float(bounds[0]), float(bounds[1]))
    return ranges


def from_dict(card: Mapping[str, Any]) -> DrugModel:
    """Build a :class:`~ketpk.DrugModel` from a model card (see the module docstring)."""
    card = _keys(card, _TOP, "")
    model_id = _text(card["id"], "id")
    if card["drug"] not in ("esketamine", "racemic"):
        raise _fail("drug", "must be 'esketamine' or 'racemic'", card["drug"])
    if card["sampling"] not in ("arterial", "venous"):
        raise _fail("sampling", "must be 'arterial' or 'venous'", card["sampling"])
    entries = card["parameters"]
    if not isinstance(entries, Mapping) or not entries:
        raise _fail("parameters", "must be a non-empty table of {name = {value, source}}", entries)
    parameters = {name: _parameter(name, entry) for name, entry in entries.items()}
    refs = _Card(parameters, _compartments(card["compartments"]))
    for name, c in refs.compartments.items():
        if "volume" in c:
            refs.parameter(c["volume"], f"compartments[{list(refs.compartments).index(name)}].volume", _VOLUME)
    flow_entries = card.get("flows", [])
    if not isinstance(flow_entries, list):
        raise _fail("flows", "must be a list of tables", flow_entries)
    flows = [_flow(refs, entry, f"flows[{i}]") for i, entry in enumerate(flow_entries)]
    routes = card["routes"]
    if not isinstance(routes, Mapping) or not routes:
        raise _fail("routes", "must be a non-empty table such as [routes.iv] type = \"iv\"", routes)
    notes = card.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise _fail("notes", "must be a list of strings", notes)
    model = DrugModel(
        id=model_id,
        name=card.get("name", model_id),
        drug=card["drug"],
        citation=_citation(card["citation"]),
        parameters=tuple(parameters.values()),
        structure=_structure(refs.compartments, flows),
        routes={name: _route(refs, name, entry) for name, entry in routes.items()},
        population=_text(card["population"], "population"),
        sampling=card["sampling"],
        covariate_range=_covariate_range(card.get("covariate_range", {})),
        notes=tuple(notes),
        evidence=_text(card.get("evidence", "user-defined"), "evidence"),
    )
    model.check()
    return model


def from_toml(path: str | PathLike) -> DrugModel:
    """Read a model card from a TOML file and build the model (see :func:`from_dict`)."""
    import tomllib  # only here: a library load needs no TOML parser
    if not isinstance(path, (str, PathLike)):
        raise FileError(f"`path` must be a file path (str or pathlib.Path) of a TOML model card; "
                        f"got {path!r} of type {type(path).__name__}.")
    try:
        with open(path, "rb") as handle:
            card = tomllib.load(handle)
    except UnicodeDecodeError as err:
        raise FileError(f"model card {str(path)!r} is not UTF-8 text ({err.reason} at byte "
                        f"{err.start}); save it as UTF-8 (TOML requires it).") from None
    except tomllib.TOMLDecodeError as err:
        raise ParameterError(f"model card {str(path)!r} is not valid TOML: {err}.") from None
    except OSError as err:
        raise FileError(f"model card {str(path)!r} could not be read: {err.strerror}. Check the path.") from None
    return from_dict(card)
