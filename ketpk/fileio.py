"""Atomic file writes: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["atomic_path"]


@contextmanager
def atomic_path(path: str | os.PathLike, suffix: str = ".tmp") -> Iterator[str]:
    """Yield a temporary path next to ``path``; on success rename it onto ``path``.

    A failure (or an interrupted run) leaves no partial file at ``path``. The caller creates the
    temporary file with ``open``, so the result gets the usual permissions (umask), not 0600.
    """
    target = os.path.abspath(os.fspath(path))
    tmp = f"{target}.{secrets.token_hex(6)}{suffix}"
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
