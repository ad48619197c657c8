"""Write or check a generated Markdown page (shared by model_table.py and protocol_table.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def cell(text: object) -> str:
    """``text`` safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_or_check(argv: list[str], target: Path, render: Callable[[], str], script: str, done: str) -> int:
    """With ``--check``: exit code 1 if ``target`` differs from ``render()``; else rewrite it."""
    text = render()
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date; run python3 scripts/{script}", file=sys.stderr)
            return 1
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({done})")
    return 0
