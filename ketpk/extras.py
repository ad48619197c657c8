"""Optional dependencies (pip extras): import one on first use, or say which extra installs it."""

from __future__ import annotations

import importlib
from typing import Any

from .errors import MissingExtraError

__all__ = ["require"]


def require(module: str, extra: str, purpose: str) -> Any:
    """Import ``module`` or raise :class:`MissingExtraError` naming ``pip install "ketpk[extra]"``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{purpose} needs the optional package {module!r}, which is not installed; install it "
            f'with `pip install "ketpk[{extra}]"` (or `pip install {module}`).') from None
