"""One lookup and one row shape for every named library (models, protocols, target protocols,
effect models, routes): :func:`lookup` finds a name (with close matches in the error) and every
library's ``available()`` returns a list of :class:`Entry` rows.

>>> from ketpk.registry import lookup
>>> lookup({"otto2021": 1}, "otto2021", "no model {name!r}.{hint}")
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
    close = difflib.get_close_matches(str(name), list(names), n=3, cutoff=cutoff)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def lookup(table: Mapping[str, T], name: Any, message: str, *, names: Iterable[str] | None = None,
           cutoff: float = 0.6, error: type[Exception] = ModelNotFoundError) -> T:
    """``table[name]``, or ``error(message)`` with ``{name}`` and ``{hint}`` filled in.

    The hint names close matches among ``names`` (default: the table's keys).

    >>> lookup({"otto2021": 1}, "oto2021", "no model {name!r}.{hint}")
    Traceback (most recent call last):
    ketpk.errors.ModelNotFoundError: no model 'oto2021'. Did you mean 'otto2021'?
    """
    try:
        return table[name]
    except (KeyError, TypeError):
        hint = did_you_mean(name, table if names is None else names, cutoff=cutoff)
        raise error(message.format(name=name, hint=hint)) from None
