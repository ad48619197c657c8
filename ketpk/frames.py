"""pandas DataFrames of ketpk results: one tidy long layout and its wide pivot.

pandas is the optional extra ``ketpk[pandas]``, imported here only, when a frame is built.
Long frames have the key columns (e.g. ``ID``, ``time``), then ``analyte``, ``value``, ``unit``:
one row per key row and analyte. Wide frames have the key columns and one ``"<analyte> [<unit>]"``
column per analyte. The provenance (ketpk version, model, citation, solver, seed, time unit,
assumptions) is in ``DataFrame.attrs``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .display import unit_text
from .extras import require

__all__ = ["curves_frame", "columns_frame", "records_frame", "concat"]


def _pandas() -> Any:
    return require("pandas", "pandas", "to_frame()")


def curves_frame(keys: Mapping[str, np.ndarray], series: Sequence[tuple[str, str, np.ndarray]],
                 attrs: Mapping[str, Any], wide: bool = False) -> Any:
    """A frame of curves sharing key columns.

    ``keys`` maps column names to arrays of one length N (e.g. ``ID`` and ``time``); ``series``
    lists ``(analyte, unit, values)`` with values of length N. Long (default) or ``wide``.
    """
    pd = _pandas()
    if wide:
        frame = pd.DataFrame({**keys, **{f"{a} [{u}]": np.asarray(v) for a, u, v in series}})
    else:
        n, k = len(next(iter(keys.values()))), len(series)
        frame = pd.DataFrame({
            **{name: np.tile(np.asarray(col), k) for name, col in keys.items()},
            "analyte": pd.Categorical(np.repeat([a for a, _, _ in series], n),
                                      categories=list(dict.fromkeys(a for a, _, _ in series))),
            "value": np.concatenate([np.asarray(v, dtype=float) for _, _, v in series]),
            "unit": pd.Categorical(np.repeat([u for _, u, _ in series], n)),
        })
    frame.attrs.update(attrs)
    return frame


def columns_frame(columns: Mapping[str, Any], attrs: Mapping[str, Any]) -> Any:
    """A frame of named equal-length columns, ``attrs`` attached."""
    frame = _pandas().DataFrame(dict(columns))
    frame.attrs.update(attrs)
    return frame


def records_frame(rows: Iterable[Mapping[str, Any]], attrs: Mapping[str, Any]) -> Any:
    """A frame of table rows (dicts). Quantities become plain numbers, their unit in the header."""
    pd = _pandas()
    out = []
    for row in rows:
        cells = {}
        for name, value in row.items():
            if hasattr(value, "magnitude") and hasattr(value, "units"):
                cells[f"{name} [{unit_text(value.units)}]"] = float(np.asarray(value.magnitude))
            elif isinstance(value, tuple):
                cells[name] = len(value) if name == "assumptions" else "; ".join(map(str, value))
            else:
                cells[name] = value
        out.append(cells)
    return columns_frame(pd.DataFrame(out), attrs)


def concat(frames: Sequence[Any], labels: Sequence[str], column: str, attrs: Mapping[str, Any]) -> Any:
    """Stack ``frames`` with a first column ``column`` holding each frame's label."""
    pd = _pandas()
    parts = [f.assign(**{column: label})[[column, *f.columns]] for f, label in zip(frames, labels)]
    frame = pd.concat(parts, ignore_index=True)
    for name in ("analyte", "unit"):
        if name in frame:
            frame[name] = frame[name].astype("category")
    frame.attrs.update(attrs)
    return frame
