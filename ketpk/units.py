"""The one pint registry of ketpk, and the conversions at the public boundary.

Canonical internal units (every private function computes on plain floats in these):

========================  ===========
quantity                  unit
========================  ===========
time                      min
amount in a compartment   µmol
volume                    L
concentration             µmol/L (= nmol/mL)
clearance, flow           L/min
rate constant             1/min
dose mass                 mg
========================  ===========

Public functions accept a pint Quantity or a string such as ``"0.35 mg/kg/h"``. A bare number
for a physical argument is rejected. Per-weight doses (mg/kg, µg/kg/min) are recognised from the
unit *expression* (a mass unit to the power -1), never from the dimensionality, because pint
treats mg/kg as dimensionless and mg/kg/h as a rate constant.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .errors import UnitError
from .species import SPECIES

if TYPE_CHECKING:
    import pint

__all__ = ["ureg", "Q_", "CANONICAL", "COVARIATE_UNITS", "to_covariate", "as_quantity", "parse_quantity",
           "to_canonical", "parse_dose", "parse_unit", "to_unit", "scalar", "convert", "KNOWN_UNITS",
           "read_known", "read_dose", "umol_per_mg", "from_minutes", "KNOWN_CONCENTRATIONS",
           "concentration_factor", "convert_values", "lazy_quantity", "split_known", "KnownText", "DOSE_FACTORS",
           "dose_in", "TIME_FACTORS", "add_times"]

#: Canonical unit per dimensionality, the single table every conversion uses.
CANONICAL: dict[str, str] = {
    "[time]": "min",
    "[substance]": "umol",
    "[length] ** 3": "L",
    "[substance] / [length] ** 3": "umol/L",
    "[length] ** 3 / [time]": "L/min",
    "1 / [time]": "1/min",
    "[mass]": "mg",
    "[mass] / [time]": "mg/min",
    "[substance] / [time]": "umol/min",
    "[mass] / [length] ** 3": "mg/L",
    "dimensionless": "",
}


#: Unit strings of the built-in model library: ``unit -> (dimension key of CANONICAL, factor to
#: the canonical unit)``. The factors are pint's own (tests/test_units_table.py checks them and
#: every built-in parameter), so :func:`read_known` gives pint's floats without importing pint.
KNOWN_UNITS: dict[str, tuple[str, float]] = {
    "": ("dimensionless", 1.0),
    "min": ("[time]", 1.0),
    "h": ("[time]", 60.0),
    "1/min": ("1 / [time]", 1.0),
    "1/h": ("1 / [time]", 1 / 60),
    "L": ("[length] ** 3", 1.0),
    "L/min": ("[length] ** 3 / [time]", 1.0),
    "L/h": ("[length] ** 3 / [time]", 1 / 60),
    "mg": ("[mass]", 1.0),
    "s": ("[time]", 1 / 60),
    "d": ("[time]", 1440.0),
    "ug": ("[mass]", 1e-3),
    "µg": ("[mass]", 1e-3),
    "mg/min": ("[mass] / [time]", 1.0),
    "mg/h": ("[mass] / [time]", 1 / 60),
    "ug/min": ("[mass] / [time]", 1e-3),
    "µg/min": ("[mass] / [time]", 1e-3),
    "ug/h": ("[mass] / [time]", 1e-3 / 60),
    "µg/h": ("[mass] / [time]", 1e-3 / 60),
}

#: Output concentration units converted without pint from the stored µmol/L: ``unit -> (factor,
#: molar)``; a mass unit's factor multiplies the molar mass in g/mol (``molar`` False). pint's own
#: floats (so 0.9999999999999999 for ng/mL), checked by tests/test_units_table.py.
KNOWN_CONCENTRATIONS: dict[str, tuple[float, bool]] = {
    "ng/mL": (0.9999999999999999, False),
    "ug/L": (1.0, False),
    "µg/L": (1.0, False),
    "ug/mL": (1e-3, False),
    "µg/mL": (1e-3, False),
    "mg/L": (1e-3, False),
    "ng/L": (999.9999999999999, False),
    "umol/L": (1.0, True),
    "µmol/L": (1.0, True),
    "nmol/mL": (0.9999999999999999, True),
    "nmol/L": (999.9999999999999, True),
}


def umol_per_mg(species: str) -> float:
    """µmol of ``species`` per mg (1000 / molar mass in g/mol): a dose in mg becomes µmol."""
    return 1000.0 / SPECIES[species].molar_mass


def from_minutes(minutes: Any, unit: str, name: str = "time_unit") -> Any:
    """``minutes`` (floats or an array, in min) in the time ``unit`` (``"h"``, ``"min"``, or any
    time unit pint knows): one division by the unit's length in min; ``name`` for errors."""
    known = KNOWN_UNITS.get(unit)
    factor = known[1] if known and known[0] == "[time]" else to_canonical(Q_(1.0, unit), "[time]", name)
    return np.divide(minutes, factor) if np.ndim(minutes) else minutes / factor


#: Canonical units of subject covariates (the model's covariate effects and ranges use these).
COVARIATE_UNITS: dict[str, str] = {"weight": "kg", "age": "year", "height": "cm"}
_COVARIATE_DIMENSION = {"weight": "[mass]", "age": "[time]", "height": "[length]"}


#: A unit users write, per dimension, for error messages.
_EXAMPLE_UNIT = {"[time]": "min or h", "[mass]": "kg for body weight, mg for doses", "[length]": "cm"}


def _pint() -> Any:
    """The pint module, imported on first use: pint (and dask, through pint.compat, when it is
    installed) costs ~0.15 s, which `import ketpk` need not pay."""
    import pint

    return pint


@lru_cache(maxsize=1)
def _registry() -> pint.UnitRegistry:
    pint = _pint()
    # Built on first use (and cached on disk by pint) so that `import ketpk` stays fast.
    try:
        registry = pint.UnitRegistry(cache_folder=":auto:")
    except Exception:  # pragma: no cover - read-only home directory
        registry = pint.UnitRegistry()
    registry.formatter.default_format = "~P"
    return registry


class _LazyRegistry:
    """Proxy for the package registry; builds it on first attribute access."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_registry(), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _registry()(*args, **kwargs)


ureg: Any = _LazyRegistry()


def Q_(value: Any, unit: str | None = None) -> pint.Quantity:  # noqa: N802 - pint's own name
    """Make a Quantity in ketpk's registry: ``Q_(25, "mg")`` or ``Q_("25 mg")``."""
    if unit is None:
        return _registry().Quantity(value)
    return _registry().Quantity(value, unit)


def as_quantity(value: Any, name: str) -> pint.Quantity:
    """Return ``value`` as a Quantity of the package registry.

    Accepts a pint Quantity (of any registry) with a real, numeric magnitude, or a string read by
    :func:`parse_quantity`. Anything else, a bare number above all, raises :class:`UnitError`
    naming ``name``.
    """
    pint = sys.modules.get("pint")  # a Quantity can only exist once pint is imported
    if pint is not None and isinstance(value, pint.Quantity):
        _check_real(value.magnitude, name, value)
        if value._REGISTRY is _registry():
            return value
        return _registry().Quantity(value.magnitude, str(value.units))
    if isinstance(value, str):
        return parse_quantity(value, name)
    raise UnitError(
        f"`{name}` must be a pint Quantity or a string with a unit such as '25 mg'; "
        f"got {_shown(value)} of type {type(value).__name__}. A bare number is ambiguous: "
        f"use ketpk.Q_({_shown(value)}, '<unit>') or a string."
    )


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_real(magnitude: Any, name: str, quantity: Any) -> None:
    """A Quantity's magnitude must be real numbers (int, float or a real numeric array)."""
    if isinstance(magnitude, (bool, np.bool_)):
        raise UnitError(f"`{name}` must hold a number; got the boolean {quantity!r}.")
    kind = np.asarray(magnitude).dtype.kind if not isinstance(magnitude, (int, float)) else "f"
    if kind == "c":
        raise UnitError(f"`{name}` must be a real number; got the complex value {_shown(quantity)}. "
                        "Give the real part only, e.g. '25 mg'.")
    if kind not in "iuf":
        raise UnitError(f"`{name}` must hold real numbers; got {_shown(quantity)} (magnitude of "
                        f"type {type(magnitude).__name__}). E.g. ketpk.Q_(25, 'mg').")


# -- the strict reader of quantity strings ---------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:nan|inf)\b", re.IGNORECASE)
_LARGE_PREFIXES = "MGTPEZY"  # upper-case SI prefixes of 10^6 and more (mega ... yotta)
_EXACT_INT = 2 ** 53  # integers up to this are exact floats


def parse_quantity(text: str, name: str) -> pint.Quantity:
    """Read ``"<number> <unit>"`` strictly: one plain number (``.`` as the decimal point, no
    thousands separators), then a unit, nothing else.

    Refused with a :class:`UnitError` that shows what was read and how to write it: an empty
    string, a bare unit (``"mg"``), a decimal comma (``"25,5 mg"``), a thousands
    separator (``"1,000 mg"``, ``"1 000 mg"``), an upper-case prefix that makes the value 10^6
    times or more larger than its lower-case twin (``"25 Mg"``, ``"5 ML"``), and anything pint
    cannot read. A bare number is dimensionless (fractions, exponents): every physical argument
    refuses it by its dimension. ``nan`` and ``inf`` are read as numbers; the domain checks then
    refuse them.
    """
    fix = "Write one number and a unit, e.g. '25 mg', '0.35 mg/kg/h' or '40 min'."
    stripped = text.strip()
    if not stripped:
        raise UnitError(f"`{name}` is an empty string ({text!r}). {fix}")
    if "," in stripped:
        raise UnitError(
            f"`{name}` has a comma: {text!r}. ketpk reads '.' as the decimal point and takes no "
            f"thousands separators: write {_comma_fix(stripped)!r}.")
    match = _NUMBER.match(stripped)
    if match is None:
        raise UnitError(f"`{name}` must start with a number; got {text!r}, read as a unit with no "
                        f"amount. {fix}")
    number, unit_text = match.group(0), stripped[match.end():].strip()
    if not unit_text:  # a dimensionless number (a fraction, an exponent); physical checks refuse it
        return _registry().Quantity(_number(number))
    if re.match(r"\d", unit_text) and not unit_text.startswith("1/"):
        groups = re.match(r"((?:\d+\s*)+)(.*)", unit_text)
        digits = "".join(groups.group(1).split())
        joined = f"{number}{digits} {groups.group(2)}".strip()
        raise UnitError(
            f"`{name}` has digits after the number: {text!r} (read as {number!r} then "
            f"{unit_text!r}). Do not separate thousands with a space: write {joined!r}.")
    unit = _parse_unit_text(unit_text, name, text)
    return _registry().Quantity(_number(number), unit)


class KnownText(NamedTuple):
    """A string ``"<number> <unit>"`` read without pint by :func:`split_known`."""

    number: int | float  #: as pint reads it (an int for an integer literal)
    unit: str  #: as written, e.g. ``"ug/kg/min"``
    base: str  #: the unit of :data:`KNOWN_UNITS` without the ``/kg``, e.g. ``"ug/min"``
    per_weight: bool  #: the unit is per kg of body weight


def split_known(text: str) -> KnownText | None:
    """``"<number> <unit>"`` whose unit, or unit per kg (``"mg/kg/h"`` is ``mg/h`` per kg), is in
    :data:`KNOWN_UNITS`; ``None`` for anything else (other units, stray text, a comma, a
    non-finite or negative number): pint reads those."""
    match = _NUMBER.match(text.strip())
    if match is None or "," in text:
        return None
    unit = text.strip()[match.end():].strip()
    parts = unit.split("/")
    per_weight = len(parts) > 1 and parts[1] == "kg"
    base = "/".join(parts[:1] + parts[2:] if per_weight else parts)
    number = _number(match.group(0))
    if base not in KNOWN_UNITS or not math.isfinite(number) or number < 0 or number > _EXACT_INT:
        return None  # (pint multiplies an integer beyond 2**53 exactly: left to pint)
    return KnownText(number, unit, base, per_weight)


def read_known(text: str) -> tuple[float, str] | None:
    """``"<number> <unit>"`` with a unit of :data:`KNOWN_UNITS` as ``(value in the canonical
    unit, dimension key)``, without pint; ``None`` for anything else (per-kg units included),
    which the caller reads with :func:`parse_quantity`."""
    known = split_known(text)
    if known is None or known.per_weight:
        return None
    dimension, factor = KNOWN_UNITS[known.base]
    value = float(known.number * factor)
    return (value, dimension) if math.isfinite(value) else None


def read_dose(text: str, kind: str) -> tuple[float, bool] | None:
    """A positive dose string in a unit of :data:`KNOWN_UNITS`, optionally per kg (``"0.5 mg/kg"``,
    ``"1.2 ug/kg/min"``), as :func:`parse_dose` reads it, without pint: ``(mg or mg/min,
    per_weight)``; ``None`` for anything else (other units, zero, bad text), left to pint."""
    known = split_known(text)
    if known is None:
        return None
    dimension, factor = KNOWN_UNITS[known.base]
    value = float(known.number * factor)
    if dimension != ("[mass]" if kind == "amount" else "[mass] / [time]") or not 0 < value < math.inf:
        return None
    return value, known.per_weight


#: pint's factors between the known dose units of one kind (per kg the same), so that a dose is
#: read in another dose's unit without pint: ``(from, to) -> factor`` (µg is written ug here).
DOSE_FACTORS: dict[tuple[str, str], float] = {
    ("mg", "ug"): 1000.0,
    ("ug", "mg"): 0.001,
    ("mg/min", "mg/h"): 60.0,
    ("mg/min", "ug/min"): 1000.0,
    ("mg/min", "ug/h"): 60000.0,
    ("mg/h", "mg/min"): 0.016666666666666666,
    ("mg/h", "ug/min"): 16.666666666666668,
    ("mg/h", "ug/h"): 1000.0,
    ("ug/min", "mg/min"): 0.001,
    ("ug/min", "mg/h"): 0.06,
    ("ug/min", "ug/h"): 60.0,
    ("ug/h", "mg/min"): 1.6666666666666667e-05,
    ("ug/h", "mg/h"): 0.001,
    ("ug/h", "ug/min"): 0.016666666666666666,
}


def dose_in(text: Any, unit: str) -> int | float | None:
    """The number of dose string ``text`` in the dose ``unit`` (e.g. ``"ug/kg/min"``), as pint's
    ``Q_(text).to(unit).magnitude`` gives it, without pint; ``None`` unless both are known dose
    units of one kind, both per kg or neither (then ask pint)."""
    known = split_known(text) if isinstance(text, str) else None
    target = split_known(f"1 {unit}")
    if known is None or target is None or known.per_weight != target.per_weight:
        return None
    source, goal = known.base.replace("µ", "u"), target.base.replace("µ", "u")
    if source == goal:
        return known.number  # pint leaves a magnitude in its own unit untouched
    factor = DOSE_FACTORS.get((source, goal))
    return None if factor is None else known.number * factor


#: pint's factors between the known time units (``(from, to) -> factor``), so that two times
#: are added as pint adds them (the second converted to the first's unit), without pint.
TIME_FACTORS: dict[tuple[str, str], float] = {
    ("min", "h"): 0.016666666666666666, ("min", "s"): 60.0, ("min", "d"): 0.0006944444444444444,
    ("h", "min"): 60.0, ("h", "s"): 3600.0, ("h", "d"): 0.041666666666666664,
    ("s", "min"): 0.016666666666666666, ("s", "h"): 0.0002777777777777778, ("s", "d"): 1.1574074074074073e-05,
    ("d", "min"): 1440.0, ("d", "h"): 24.0, ("d", "s"): 86400.0,
}


def _known_time_text(value: Any) -> KnownText | None:
    known = split_known(value) if isinstance(value, str) else None
    return known if known is not None and not known.per_weight and KNOWN_UNITS[known.base][0] == "[time]" \
        else None


def add_times(start: Any, by: Any, times: int = 1) -> Any:
    """``start + times × by`` (``start`` None: ``times × by``), Quantities or strings [time].

    When both are time strings of :data:`KNOWN_UNITS`, a string in ``start``'s unit holding the
    magnitude pint's Quantities would (``by`` converted by :data:`TIME_FACTORS`), read without
    pint; else the pint Quantity ``as_quantity(start) + as_quantity(by) * times``.
    """
    a = _known_time_text(start) if start is not None else None
    b = _known_time_text(by)
    if b is not None and (start is None or a is not None):
        step = b.number * times
        if start is None:
            return f"{step!r} {b.unit}"
        if b.unit != a.unit:
            step = step * TIME_FACTORS[(b.unit, a.unit)]
        return f"{a.number + step!r} {a.unit}"
    step = as_quantity(by, "by") * times
    return step if start is None else as_quantity(start, "start") + step


def lazy_quantity(cls: type, name: str, label: Callable[[Any], str]) -> None:
    """Make field ``name`` of the frozen dataclass ``cls`` read as a Quantity: a string kept as
    given (one read without pint), or a tuple holding such strings, becomes a Quantity (a tuple
    of them), through :func:`as_quantity` named ``label(instance)``, on first access and is
    cached in the instance's ``__dict__``."""
    def get(self: Any) -> Any:
        raw = self.__dict__[name]
        if isinstance(raw, str):
            raw = self.__dict__[name] = as_quantity(raw, label(self))
        elif isinstance(raw, tuple) and any(isinstance(v, str) for v in raw):
            raw = self.__dict__[name] = tuple(as_quantity(v, label(self)) for v in raw)
        return raw

    def put(self: Any, value: Any) -> None:
        self.__dict__[name] = value  # only __init__ and __post_init__ set it: the class is frozen

    setattr(cls, name, property(get, put, doc=f"``{name}`` as a Quantity."))


def _number(text: str) -> int | float:
    """An integer literal as an int (as pint reads it), anything else as a float; an integer
    beyond the float range is read as ``1e400`` is (infinite), for the domain checks to refuse."""
    if not re.fullmatch(r"[+-]?\d+", text):
        return float(text)
    number = int(text)
    return number if abs(number) <= sys.float_info.max else float(text)


def _comma_fix(text: str) -> str:
    """``'25,5 mg'`` -> ``'25.5 mg'``; ``'1,000 mg'`` -> ``'1000 mg'``."""
    if re.search(r"\d,\d{3}(?!\d)", text) and not re.search(r"\d,\d{1,2}(?!\d)", text):
        return text.replace(",", "")
    return text.replace(",", ".")


def _parse_unit_text(unit_text: str, name: str, text: str) -> Any:
    """The pint Unit of ``unit_text``; wrong-case large prefixes and undefined names refused."""
    registry = _registry()
    stray = _stray(unit_text)
    if stray:
        raise UnitError(f"`{name}` could not be read as a quantity: {text!r} has {stray!r} in its "
                        "unit, which is not a unit. Write e.g. '25 mg', '0.35 mg/kg/h' or '40 min'.")
    for token in re.findall(r"[A-Za-zµμ_]+", unit_text):
        _check_prefix_case(token, registry, name, text)
    try:
        return registry.parse_units(unit_text)
    except Exception as err:  # noqa: BLE001 - pint raises many kinds (tokenize errors too)
        hint = ""
        lower = unit_text.lower()
        if lower != unit_text and _defined(lower, registry):
            hint = f" Did you mean {lower!r}? Units are case-sensitive (mg, kg, mL, min, h)."
        raise UnitError(
            f"`{name}` could not be read as a quantity: {text!r} has the unit {unit_text!r}, "
            f"which is not a unit ({err}).{hint} "
            "Write e.g. '25 mg', '0.35 mg/kg/h' or '40 min'."
        ) from None


def _stray(unit_text: str) -> str:
    """The characters of ``unit_text`` that belong to no unit (pint would silently drop them)."""
    return re.sub(r"[A-Za-zµμ°%0-9_/*^(). -]", "", unit_text)


def _defined(unit_text: str, registry: Any) -> bool:
    try:
        registry.parse_units(unit_text)
    except Exception:  # noqa: BLE001 - any pint failure means "not a unit"
        return False
    return True


def _check_prefix_case(token: str, registry: Any, name: str, text: str) -> None:
    """Refuse ``Mg`` (megagram) for ``mg``, ``Min`` (mega-inch) for ``min`` and the like: an
    upper-case large prefix whose lower-case spelling is a unit 10^6 times smaller or of
    another kind."""
    if len(token) < 2 or token[0] not in _LARGE_PREFIXES or not _defined(token, registry):
        return
    meant = token.lower() if _defined(token.lower(), registry) else token[0].lower() + token[1:]
    if meant == token or not _defined(meant, registry):
        return
    written, twin = registry.Quantity(1.0, token), registry.Quantity(1.0, meant)
    if written.dimensionality == twin.dimensionality:
        ratio = float(written.to(twin.units).magnitude)
        if ratio < 1e6:
            return
        read = f"{ratio:.0e} times {meant!r}"
    else:
        read = f"{' '.join(unit for unit, _ in written.unit_items())}, not {meant!r}"
    raise UnitError(
        f"`{name}` uses {token!r} in {text!r}, which pint reads as {read}: the upper-case "
        f"prefix {token[0]!r} is mega or more. Units are case-sensitive: write "
        f"{text.strip().replace(token, meant)!r}."
    )


def _dimension_key(quantity: pint.Quantity) -> str:
    dims = quantity.dimensionality
    return "dimensionless" if not dims else str(dims)


def _checked(value: Any, dimension: str, name: str) -> pint.Quantity:
    """``value`` as a Quantity of ``dimension`` (not per body weight), else UnitError naming ``name``."""
    quantity = as_quantity(value, name)
    if _per_weight_unit(quantity) is not None:
        raise UnitError(
            f"`{name}` must be a plain {dimension} quantity; got {quantity} which is per body "
            "weight. Per-weight values are accepted only for doses and rates; drop the '/kg'."
        )
    if _dimension_key(quantity) != dimension:
        example = _EXAMPLE_UNIT.get(dimension) or CANONICAL.get(dimension) or '1'
        _refuse_bare(quantity, name, value, f"a quantity of dimension {dimension}", example.split()[0])
        raise UnitError(
            f"`{name}` must have dimension {dimension} (e.g. {example}); "
            f"got {quantity} with dimension {_dimension_key(quantity)}. Give it in a unit of that kind."
        )
    return quantity


def _magnitude(quantity: pint.Quantity, unit: str, name: str) -> Any:
    magnitude = quantity.to(unit).magnitude
    try:
        _check_overflow(quantity, magnitude, name, unit)
        return np.asarray(magnitude, dtype=float) if np.ndim(magnitude) else float(magnitude)
    except OverflowError:  # a Python int beyond the float range
        raise UnitError(f"`{name}` = {_shown(quantity)} is beyond the float range in {unit}; "
                        "give a value of a physical size.") from None


def to_covariate(value: Any, covariate: str, name: str | None = None) -> Any:
    """A ``covariate`` (``"weight"`` [mass], ``"age"`` [time], ``"height"`` [length]; Quantity or string) as a float
    or array in its unit of :data:`COVARIATE_UNITS` (kg, year, cm); ``name`` (default: the
    covariate) is the argument named in errors."""
    checked = _checked(value, _COVARIATE_DIMENSION[covariate], name or covariate)
    return _magnitude(checked, COVARIATE_UNITS[covariate], name or covariate)


def to_canonical(value: Any, dimension: str, name: str) -> Any:
    """Convert a public physical argument to a float (or array) in the canonical unit.

    Parameters
    ----------
    value : Quantity or str
        The user's input.
    dimension : str
        The expected pint dimensionality, a key of :data:`CANONICAL` such as ``"[time]"``.
    name : str
        The argument name, used in error messages.
    """
    known = read_known(value) if isinstance(value, str) else None
    if known is not None and known[1] == dimension:
        return known[0]
    return _magnitude(_checked(value, dimension, name), CANONICAL[dimension], name)


def _refuse_bare(quantity: pint.Quantity, name: str, value: Any, expected: str, unit: str) -> None:
    """A dimensionless value where a physical one is expected: say that the unit is missing."""
    if not quantity.dimensionality and str(quantity.units) in ("", "dimensionless"):
        shown = repr(value) if isinstance(value, str) else f"{quantity.magnitude!r} (dimensionless)"
        raise UnitError(f"`{name}` needs a unit: it is {expected}; got the bare number {shown}. "
                        f"Add the unit, e.g. '{quantity.magnitude} {unit}'.")


def _check_overflow(quantity: pint.Quantity, magnitude: Any, name: str, unit: str) -> None:
    """A finite input that becomes infinite in the canonical unit is out of range."""
    finite_in = np.isfinite(np.asarray(quantity.magnitude, dtype=float))
    if np.any(finite_in & ~np.isfinite(np.asarray(magnitude, dtype=float))):
        raise UnitError(f"`{name}` = {_shown(quantity)} overflows to infinity in {unit}; "
                        "give a value of a physical size.")


def scalar(value: Any, name: str) -> float:
    """``value`` (a float or 0-d/size-1 array, canonical units) as a float; an array of several
    values where one is expected raises :class:`UnitError`."""
    array = np.asarray(value, dtype=float)
    if array.size != 1:
        raise UnitError(f"`{name}` must be one value; got {array.size} values "
                        f"(shape {array.shape}). Give a single quantity, e.g. '25 mg'.")
    return float(array.reshape(()))


def _per_weight_unit(quantity: pint.Quantity) -> str | None:
    """Name of the body-weight unit a quantity is divided by (``kg`` in mg/kg), else None."""
    registry = _registry()
    for unit_name, exponent in quantity.unit_items():
        if exponent == -1 and registry.Quantity(1, unit_name).dimensionality == {"[mass]": 1}:
            return unit_name
    return None


def parse_dose(value: Any, name: str, *, kind: str) -> tuple[float, bool]:
    """Read a dose amount (``kind="amount"``) or a dose rate (``kind="rate"``).

    Returns ``(magnitude, per_weight)``: the magnitude is in mg (amount) or mg/min (rate), per kg
    of body weight when ``per_weight`` is true. Doses are masses of the free base.
    """
    known = read_dose(value, kind) if isinstance(value, str) else None
    if known is not None:
        return known
    quantity = as_quantity(value, name)
    expected = "[mass]" if kind == "amount" else "[mass] / [time]"
    example = "'25 mg' or '0.5 mg/kg'" if kind == "amount" else "'20 mg/h' or '0.35 mg/kg/h'"
    weight_unit = _per_weight_unit(quantity)
    per_weight = weight_unit is not None
    absolute = quantity * _registry().Quantity(1, weight_unit) if per_weight else quantity
    if _dimension_key(absolute) != expected:
        _refuse_bare(quantity, name, value, f"a dose {kind}", "mg" if kind == "amount" else "mg/h")
        other = "a rate" if kind == "amount" else "an amount"
        hint = ""
        if _dimension_key(absolute) == ("[mass] / [time]" if kind == "amount" else "[mass]"):
            hint = f" This looks like {other}; pass it as `{'rate' if kind == 'amount' else 'amount'}`."
        raise UnitError(
            f"`{name}` must be a dose {kind} in {expected}, absolute or per kg of body weight "
            f"(e.g. {example}); got {quantity}.{hint}"
        )
    unit = "mg" if kind == "amount" else "mg/min"
    converted = absolute.to(unit).magnitude
    _check_overflow(quantity, converted, name, unit)
    return scalar(converted, name), per_weight


def concentration_factor(species: str | None, unit: Any) -> float | None:
    """pint's factor from µmol/L of ``species`` to a ``unit`` of :data:`KNOWN_CONCENTRATIONS`,
    without pint; ``None`` for any other unit (then :func:`convert` asks pint)."""
    known = KNOWN_CONCENTRATIONS.get(unit) if isinstance(unit, str) else None
    if known is None or (not known[1] and _species(species) not in SPECIES):
        return None
    factor, molar = known
    return factor if molar else (1.0 * SPECIES[_species(species)].molar_mass) * factor


def _species(analyte: str | None) -> str | None:
    """The species of an analyte name (``"ketamine@site"`` is ``ketamine``)."""
    return None if analyte is None else analyte.partition("@")[0]


def convert(values: Any, unit_from: str, species: str | None, unit: Any, *,
            name: str = "unit", expected: str | None = None) -> pint.Quantity:
    """``values`` (floats in ``unit_from``) as a Quantity in ``unit``: the one mass ↔ molar
    converter (concentrations, amounts, AUCs, results, nca and effects).

    Moles and mass convert with the molar mass of ``species`` (``"ketamine@site"`` means the
    species ``ketamine``). The conversion is one scalar factor computed by pint, so an array
    costs one multiplication and allocates only the returned array. An unknown or incompatible
    ``unit`` raises :class:`UnitError` naming ``name`` (``expected`` describes what is accepted).
    """
    factor = _registry().Quantity(1.0, unit_from)
    target = parse_unit(unit, name).dimensionality
    source = factor.dimensionality
    mass_to_molar = "[mass]" in source and "[substance]" in target and "[mass]" not in target
    molar_to_mass = "[substance]" in source and "[mass]" in target and "[substance]" not in target
    if mass_to_molar or molar_to_mass:
        mass = _molar_mass(species)
        factor = factor / mass if mass_to_molar else factor * mass
    factor = to_unit(factor, unit, name, expected)
    return _registry().Quantity(np.multiply(values, factor.magnitude), factor.units)


def convert_values(values: Any, unit_from: str, species: str | None, unit: Any, *,
                   name: str = "unit", expected: str | None = None) -> Any:
    """``convert(...).magnitude``: from µmol/L to a unit of :data:`KNOWN_CONCENTRATIONS` by one
    multiplication without pint (the same factor, so the same floats); otherwise through pint."""
    factor = concentration_factor(species, unit) if unit_from == "umol/L" else None
    if factor is None:
        return convert(values, unit_from, species, unit, name=name, expected=expected).magnitude
    return np.multiply(values, factor)


def _molar_mass(species: str | None) -> pint.Quantity:
    name = _species(species)
    if name not in SPECIES:
        raise UnitError(
            f"converting between mass and molar units needs a known analyte; got {species!r}. "
            "Give concentrations in the unit you want, or name the analyte."
        )
    return _registry().Quantity(SPECIES[name].molar_mass, "g/mol")


def parse_unit(unit: Any, name: str) -> Any:
    """A unit of the package registry from a string (``"ng/mL"``) or a pint Unit.

    An undefined unit raises :class:`UnitError` naming ``name``.
    """
    pint = _pint()
    if isinstance(unit, str) and not unit.strip():
        raise UnitError(f"`{name}` must be a unit such as 'ng/mL', 'h' or 'mg'; got the empty "
                        f"string {unit!r}.")
    stray = "".join(c for c in _stray(unit) if c.isascii()) if isinstance(unit, str) else ""
    if stray:  # pint drops these silently; its own pretty forms ('h·ng/ml', 'm²') are kept
        raise UnitError(f"`{name}` must be a unit such as 'ng/mL', 'h' or 'mg'; got {unit!r}, which has "
                        f"{stray!r}, not part of any unit. Remove it.")
    try:
        parsed = _registry().Unit(str(unit))
    except (pint.errors.PintError, ValueError, TypeError, AttributeError, AssertionError) as err:
        raise UnitError(
            f"`{name}` must be a unit such as 'ng/mL', 'h' or 'mg'; got {unit!r} ({err}). "
            "Check the spelling (pint syntax: 'ug/kg/min', 'nmol/mL')."
        ) from err
    return parsed


def to_unit(value: Any, unit: Any, name: str, expected: str | None = None) -> pint.Quantity:
    """``value`` (a Quantity) in ``unit``; an unknown or incompatible ``unit`` raises UnitError.

    ``name`` is the argument that chose ``unit`` (e.g. ``"unit"``, ``"time_unit"``);
    ``expected`` describes the units accepted, for the message (default: ``value``'s dimension).
    """
    target = parse_unit(unit, name)
    quantity = as_quantity(value, name)
    pint = _pint()
    try:
        return quantity.to(target)
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"`{name}` must be {expected or f'a unit of {_dimension_key(quantity)} like {quantity.units:~P}'}; "
            f"got {unit!r}, which is {_dimension_key(1 * target)}. Choose a unit of the same "
            "kind."
        ) from None
