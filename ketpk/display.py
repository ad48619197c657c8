"""How results, models, protocols, comparisons and summaries show themselves in a terminal and a
notebook: a plain ``__repr__`` that fits one screen and a ``_repr_html_`` card (facts, a metrics
table, the citation, the assumption count and, where it helps, an inline figure).

A class gets both from :class:`Card` by defining ``card()``; matplotlib is imported only when a
notebook asks for the HTML of a card with a figure.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Card", "CardData", "text_table", "html_table", "cell", "time_span", "unit_text",
           "quantity_text", "value_text", "regimen_text"]

_MAX_ROWS = 12  # table rows shown in the plain text (one screen)
_WIDTH = 100  # characters per line of the plain text


@dataclass
class CardData:
    """What a card shows: a title, ``(name, text)`` facts, table rows (dicts), ``detail`` rows
    (notebook only) and a figure maker (notebook only)."""

    title: str
    facts: Sequence[tuple[str, str]] = ()
    rows: Sequence[Mapping[str, Any]] = ()
    detail: Sequence[Mapping[str, Any]] = ()
    figure: Callable[[], Any] | None = None
    hint: str = ""


_SYMBOLS = {"ml": "mL", "l": "L", "dl": "dL", "ul": "µL", "nl": "nL", "ug": "µg", "umol": "µmol",
            "hr": "h"}
_ORDER = {"[length]": 0, "[mass]": 1, "[substance]": 1, "[time]": 2}  # mL first, then kg, then h


def unit_text(unit: Any) -> str:
    """A unit as ketpk writes it: ``ng/mL``, ``ng·h/mL``, ``mg/kg/h``, ``µg`` (one spelling)."""
    from .units import Q_, ureg

    items = []
    for name, power in Q_(1.0, unit).unit_items():
        symbol = ureg.get_symbol(name)
        rank = min((_ORDER.get(d, 3) for d in ureg.get_dimensionality(name)), default=3)
        text = _SYMBOLS.get(symbol, symbol) + ("" if abs(power) == 1 else f"^{abs(power):g}")
        items.append((rank, power > 0, text))
    up = [t for r, positive, t in sorted(items) if positive]
    down = [t for r, positive, t in sorted(items) if not positive]
    return "/".join(["·".join(up) or "1", *down]) if items else ""


def quantity_text(value: Any, digits: int = 3) -> str:
    """A scalar Quantity rounded to ``digits`` significant digits with :func:`unit_text`
    (``0.317 mg/kg/h``, ``1200 mg``: never an exponent)."""
    return _number_unit(value.magnitude, unit_text(value.units), digits)


def _number_unit(number: Any, unit: str, digits: int) -> str:
    text = np.format_float_positional(float(number), precision=digits, unique=False,
                                      fractional=False, trim="-")
    return text + (f" {unit}" if unit else "")


def value_text(value: Any, digits: int = 3, unit: str | None = None) -> str:
    """An option value as text: Quantities and strings with units via :func:`quantity_text`
    (in ``unit`` if given, e.g. ``"ug/kg/min"``), tuples item by item, anything else as ``str``.
    A string of a known unit (:func:`ketpk.units.split_known`) is written without pint."""
    from .units import Q_, dose_in, split_known

    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(value_text(v, digits, unit) for v in value) + ")"
    known = split_known(value) if isinstance(value, str) else None
    if known is not None and known.unit:
        number = dose_in(value, unit) if unit else known.number
        if number is not None:  # µg as unit_text writes it
            return _number_unit(number, (unit or known.unit).replace("ug", "µg"), digits)
    if isinstance(value, str):
        try:
            parsed = Q_(value)
        except Exception:  # noqa: BLE001 - not a quantity: shown as written
            return value
        if not hasattr(parsed, "unit_items") or not list(parsed.unit_items()):
            return value  # a bare number or word
        value = parsed
    if hasattr(value, "units"):
        return quantity_text(value.to(unit) if unit else value, digits)
    return str(value)


def regimen_text(regimen: Any, route: bool = True) -> str:
    """A regimen in a few words for titles: ``"25 mg oral"``, ``"0.5 mg/kg iv over 40 min"``,
    a protocol's name, or ``"3 doses by iv, oral"`` (``route=False``: without the route)."""
    if regimen is None:
        return "no dose"
    if getattr(regimen, "name", None):
        return str(regimen.name)
    doses = list(regimen) if hasattr(regimen, "__iter__") else [regimen]
    if len(doses) != 1:
        return f"{len(doses)} doses by {', '.join(dict.fromkeys(d.route for d in doses))}"
    dose = doses[0]
    by = f" {dose.route}" if route else ""
    if hasattr(dose, "duration"):
        size = value_text(dose.amount) if dose.amount is not None else value_text(dose.rate)
        over = f" over {value_text(dose.duration)}" if dose.duration is not None else ""
        return f"{size}{by}{over}" if route else f"{size} infused{over}"
    return f"{value_text(dose.amount)}{by}"


def time_span(times_min: np.ndarray) -> str:
    """``"0–12 h, 145 times"`` for an output grid in minutes."""
    unit, scale = ("min", 1.0) if times_min[-1] < 120 else ("h", 60.0)
    return f"{times_min[0] / scale:g}–{times_min[-1] / scale:g} {unit}, {times_min.size} times"


def cell(value: Any) -> str:
    """A table cell: numbers to 4 significant digits, Quantities as magnitudes (unit in header)."""
    if hasattr(value, "magnitude"):
        value = np.asarray(value.magnitude)
        value = float(np.nanmedian(value)) if value.ndim else float(value)
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    if isinstance(value, tuple):
        return str(len(value))
    return str(value)


def _headers(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    first = rows[0]
    return [f"{k} [{unit_text(v.units)}]" if hasattr(v, "units") and str(v.units) != "dimensionless"
            else k for k, v in first.items()]


def text_table(rows: Sequence[Mapping[str, Any]], limit: int = _MAX_ROWS) -> str:
    """Rows (dicts of cells) as aligned text, units in the headers, at most ``limit`` rows."""
    if not rows:
        return "(no rows)"
    head = _headers(rows)
    body = [[cell(v) for v in row.values()] for row in rows[:limit]]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in [head, *body]]
    if len(rows) > limit:
        lines.append(f"... {len(rows) - limit} more rows")
    return "\n".join(lines)


def html_table(rows: Sequence[Mapping[str, Any]], limit: int = 200) -> str:
    """Rows as an HTML table, units in the headers."""
    if not rows:
        return "<p>(no rows)</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in _headers(rows))
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell(v))}</td>" for v in row.values()) + "</tr>"
                   for row in rows[:limit])
    more = f"<p>... {len(rows) - limit} more rows</p>" if len(rows) > limit else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def figure_html(figure: Any) -> str:
    """A matplotlib Figure (or Axes) as an inline PNG ``<img>``; the figure is closed."""
    import matplotlib.pyplot as plt

    figure = getattr(figure, "figure", figure)
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format="png", dpi=80)
    finally:
        plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}"/>'


def render_text(card: CardData) -> str:
    lines = textwrap.wrap(card.title, _WIDTH, subsequent_indent="  ")
    width = max((len(k) for k, _ in card.facts), default=0)
    for key, value in card.facts:
        wrapped = textwrap.wrap(value, _WIDTH - width - 4) or [""]
        lines.append(f"  {key.ljust(width)}  {wrapped[0]}")
        lines += [" " * (width + 4) + more for more in wrapped[1:]]
    if card.rows:
        lines += ["  " + line for line in text_table(card.rows).splitlines()]
    if card.hint:
        lines.append(f"  ({card.hint})")
    return "\n".join(lines)


def render_html(card: CardData) -> str:
    facts = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>"
                    f"{html.escape(v)}</td></tr>" for k, v in card.facts)
    parts = [f"<div class='ketpk-card'><strong>{html.escape(card.title)}</strong>",
             f"<table>{facts}</table>"]
    if card.rows:
        parts.append(html_table(card.rows))
    if card.detail:
        parts.append(html_table(card.detail))
    if card.figure is not None:
        parts.append(figure_html(card.figure()))
    if card.hint:
        parts.append(f"<p><small>{html.escape(card.hint)}</small></p>")
    parts.append("</div>")
    return "".join(parts)


class Card:
    """Mixin: ``__repr__`` (one screen of text) and ``_repr_html_`` from the class's ``card()``."""

    __slots__ = ()

    def card(self) -> CardData:
        """What to show; defined by each class."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return render_text(self.card())

    def _repr_html_(self) -> str:
        return render_html(self.card())
