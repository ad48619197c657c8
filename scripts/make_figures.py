"""Regenerate the README figures in docs/figures/ by running the examples that draw them.

Usage: python3 scripts/make_figures.py   (from the repository root; headless)
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
#: example script -> (PNG it writes to examples/output/, name under docs/figures/)
FIGURES = {
    "01_quickstart.py": ("quickstart.png", "quickstart.png"),
    "02_compare_routes.py": ("compare_routes.png", "compare_routes.png"),
    "03_sigtermans_vs_schwartzman.py": ("sigtermans_vs_schwartzman.png", "regimens.png"),
}


def main() -> None:
    target = ROOT / "docs" / "figures"
    target.mkdir(parents=True, exist_ok=True)
    for script, (produced, name) in FIGURES.items():
        runpy.run_path(str(ROOT / "examples" / script), run_name="__main__")
        shutil.copyfile(ROOT / "examples" / "output" / produced, target / name)
        print(f"docs/figures/{name} <- examples/{script}")
    # the page of `ketpk app`, as the browser test sees it (needs chromium and chromium-driver)
    env = {**os.environ, "KETPK_APP_SCREENSHOT": "docs/figures/app.png", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/test_app.py", "-k", "numbers"],
                   cwd=ROOT, env=env, check=True)
    print("docs/figures/app.png <- tests/test_app.py (headless chromium)")


if __name__ == "__main__":
    main()
