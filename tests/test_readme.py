"""The README's commands run: the CLI demo (in-process), the quick start, and the CI command."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from ketpk.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_first_command_installs_then_runs_the_cli_writing_csv_and_png(tmp_path, monkeypatch, capsys):
    first = blocks("bash")[0].splitlines()[0]
    install, _, command = first.partition(" && ")
    assert install == "python3 -m pip install -e ."
    argv = shlex.split(command)
    assert argv[0] == "ketpk"
    monkeypatch.chdir(tmp_path)
    assert main(argv[1:]) == 0, capsys.readouterr().err
    csv_name, png_name = argv[argv.index("--csv") + 1], argv[argv.index("--plot") + 1]
    lines = (tmp_path / csv_name).read_text().splitlines()
    assert [x for x in lines if not x.startswith("#")][0].startswith("subject,time [h],S-ketamine [ng/mL]")
    assert (tmp_path / png_name).read_bytes()[:4] == b"\x89PNG"
    ignored = (ROOT / ".gitignore").read_text().split()
    assert csv_name in ignored and png_name in ignored


def test_second_command_is_what_ci_runs():
    second = blocks("bash")[0].splitlines()[1]
    assert second == "bash scripts/setup-tests.sh"
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == second
    setup = (ROOT / "scripts" / "setup-tests.sh").read_text()
    assert "apt-get install" in setup and "chromium chromium-driver" in setup
    assert 'pip install -q -e ".[test]"' in setup and "python3 -m pytest" in setup


def test_quick_start_runs(tmp_path, monkeypatch, capsys):
    code = blocks("python")[0]
    assert len([line for line in code.splitlines() if line.strip()]) <= 10
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README quick start", "exec"), {})
    assert (tmp_path / "curves.csv").exists() and (tmp_path / "curves.png").exists()
    assert "Cmax" in capsys.readouterr().out


def test_readme_figures_exist_and_are_made_by_the_script():
    script = (ROOT / "scripts" / "make_figures.py").read_text()
    for figure in re.findall(r"\((docs/figures/[\w.]+\.png)\)", README):
        assert (ROOT / figure).exists(), figure
        assert Path(figure).name in script


def test_every_python_block_runs_in_order_with_the_toml_card(tmp_path):
    """The README reads top to bottom: its Python blocks share one namespace, the TOML card is
    saved as my_model.toml. Run in a subprocess so that register() does not touch this process."""
    import os
    import subprocess
    import sys

    (tmp_path / "my_model.toml").write_text(blocks("toml")[0])
    script = "\n".join(blocks("python"))
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "CAP BINDS" in done.stdout and "| infusion |" in done.stdout
    assert (tmp_path / "schwartzman.csv").exists()
