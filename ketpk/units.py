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

import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import UnitError

if TYPE_CHECKING:
    import pint

__all__ = ["ureg", "Q_", "CANONICAL", "COVARIATE_UNITS", "to_covariate", "as_quantity", "to_canonical", "parse_dose", "parse_unit", "to_unit"]

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


#: Canonical units of subject covariates (the model's covariate effects and ranges use these).
COVARIATE_UNITS: dict[str, str] = {"weight": "kg", "age": "year"}
_COVARIATE_DIMENSION = {"weight": "[mass]", "age": "[time]"}


#: A unit users write, per dimension, for error messages.
_EXAMPLE_UNIT = {"[time]": "min or h", "[mass]": "kg for body weight, mg for doses"}


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

    Accepts a pint Quantity (of any registry) or a string such as ``"25 mg"``. Anything else,
    a bare number above all, raises :class:`UnitError` naming ``name``.
    """
    pint = sys.modules.get("pint")  # a Quantity can only exist once pint is imported
    if pint is not None and isinstance(value, pint.Quantity):
        if value._REGISTRY is _registry():
            return value
        return _registry().Quantity(value.magnitude, str(value.units))
    if isinstance(value, str):
        pint = _pint()
        try:
            quantity = _registry().Quantity(value)
        except (pint.errors.PintError, ValueError, TypeError, AttributeError) as err:
            raise UnitError(
                f"`{name}` could not be read as a quantity; got {value!r} ({err}). "
                "Write a number and a unit, e.g. '25 mg' or '0.35 mg/kg/h'."
            ) from err
        if not isinstance(quantity, pint.Quantity):
            raise UnitError(f"`{name}` needs a unit; got {value!r}. Write e.g. '25 mg'.")
        return quantity
    raise UnitError(
        f"`{name}` must be a pint Quantity or a string with a unit such as '25 mg'; "
        f"got {value!r} of type {type(value).__name__}. A bare number is ambiguous: "
        f"use ketpk.Q_({value!r}, '<unit>') or a string."
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
        raise UnitError(
            f"`{name}` must have dimension {dimension} (e.g. {_EXAMPLE_UNIT.get(dimension, CANONICAL[dimension]) or '1'}); "
            f"got {quantity} with dimension {_dimension_key(quantity)}. Give it in a unit of that kind."
        )
    return quantity


def _magnitude(quantity: pint.Quantity, unit: str) -> Any:
    magnitude = quantity.to(unit).magnitude
    return np.asarray(magnitude, dtype=float) if np.ndim(magnitude) else float(magnitude)


def to_covariate(value: Any, covariate: str, name: str | None = None) -> Any:
    """A ``covariate`` (``"weight"`` [mass] or ``"age"`` [time]; Quantity or string) as a float
    or array in its unit of :data:`COVARIATE_UNITS` (kg, year); ``name`` (default: the
    covariate) is the argument named in errors."""
    checked = _checked(value, _COVARIATE_DIMENSION[covariate], name or covariate)
    return _magnitude(checked, COVARIATE_UNITS[covariate])


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
    return _magnitude(_checked(value, dimension, name), CANONICAL[dimension])


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
    quantity = as_quantity(value, name)
    expected = "[mass]" if kind == "amount" else "[mass] / [time]"
    example = "'25 mg' or '0.5 mg/kg'" if kind == "amount" else "'20 mg/h' or '0.35 mg/kg/h'"
    weight_unit = _per_weight_unit(quantity)
    per_weight = weight_unit is not None
    absolute = quantity * _registry().Quantity(1, weight_unit) if per_weight else quantity
    if _dimension_key(absolute) != expected:
        other = "a rate" if kind == "amount" else "an amount"
        hint = ""
        if _dimension_key(absolute) == ("[mass] / [time]" if kind == "amount" else "[mass]"):
            hint = f" This looks like {other}; pass it as `{'rate' if kind == 'amount' else 'amount'}`."
        raise UnitError(
            f"`{name}` must be a dose {kind} in {expected}, absolute or per kg of body weight "
            f"(e.g. {example}); got {quantity}.{hint}"
        )
    magnitude = float(absolute.to("mg" if kind == "amount" else "mg/min").magnitude)
    return magnitude, per_weight


def parse_unit(unit: Any, name: str) -> Any:
    """A unit of the package registry from a string (``"ng/mL"``) or a pint Unit.

    An undefined unit raises :class:`UnitError` naming ``name``.
    """
    pint = _pint()
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
