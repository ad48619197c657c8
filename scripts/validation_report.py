"""Regenerate docs/validation.md and docs/figures/validation.png from the validation registry.

Run from the repository root:  PYTHONPATH=$PWD python3 scripts/validation_report.py
"""

from __future__ import annotations

from pathlib import Path

from ketpk.fileio import atomic_path
from ketpk.plotting import save_figure
from ketpk.validation import report

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    results = report.all_results()
    text = report.markdown(results)
    with atomic_path(ROOT / "docs" / "validation.md") as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    save_figure(report.figure(results[:2]), ROOT / "docs" / "figures" / "validation.png")
    print("wrote docs/validation.md and docs/figures/validation.png")


if __name__ == "__main__":
    main()
