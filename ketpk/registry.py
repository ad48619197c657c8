"""One lookup and one row shape for every named library (models, protocols, target protocols,
effect models, interactions, validation studies): :func:`lookup` finds a name, or raises one
wording for all of them (close matches, then what is available), and every library's
``available()`` returns a list of :class:`Entry` rows.

>>> from ketpk.registry import lookup
>>> lookup({"otto2021": 1}, "otto2021", "model")
1
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import ModelNotFoundError

__all__ = ["Entry", "did_you_mean", "lookup"]

T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """One row of a library's ``available()``: ``id`` is what the library's ``get`` takes,
    ``drug`` the drug form it is for (None: any form), ``citation`` its source as text and
    ``summary`` one line. A library's rows may add fields of their own (e.g. a model's routes)."""

    id: str
    drug: str | None
    citation: str
    summary: str


def did_you_mean(name: object, names: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A ``" Did you mean 'a', 'b'?"`` hint naming up to three close matches, or ``""``."""
    close = _close(name, names, cutoff)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _close(name: object, names: Iterable[str], cutoff: float) -> list[str]:
    """Up to three of ``names`` close to ``name`` (difflib ratio >= ``cutoff``), closest first."""
    return difflib.get_close_matches(str(name), list(names), n=3, cutoff=cutoff)


def lookup(table: Mapping[str, T], name: Any, what: str, *, names: Iterable[str] | None = None,
           cutoff: float = 0.6, error: type[Exception] = ModelNotFoundError) -> T:
    """``table[name]``, or ``error`` worded the same for every library:
    ``unknown <what> 'name'; did you mean 'a'? available: a, b.``

    Close matches and the list come from ``names`` (default: the table's keys, in order).

    >>> lookup({"otto2021": 1, "kamp2020": 2}, "oto2021", "model")
    Traceback (most recent call last):
    ketpk.errors.ModelNotFoundError: unknown model 'oto2021'; did you mean 'otto2021'? available: otto2021, kamp2020.
    """
    try:
        return table[name]
    except (KeyError, TypeError):
        known = list(table if names is None else names)
        close = _close(name, known, cutoff)
        hint = f" did you mean {', '.join(map(repr, close))}?" if close else ""
        raise error(f"unknown {what} {name!r};{hint} available: {', '.join(known) or 'none'}.") from None
