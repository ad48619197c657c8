"""One lookup for every named library (models, protocols, target protocols, effect models, routes).

>>> from ketpk.registry import lookup
>>> lookup({"otto2021": 1}, "otto2021", "no model {name!r}.{hint}")
1
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from .errors import ModelNotFoundError

__all__ = ["did_you_mean", "lookup"]

T = TypeVar("T")


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
