"""The ``ketpk`` command line, called in-process through ``main(argv)``."""

from __future__ import annotations

import csv
import importlib.util

import pytest

import ketpk
from ketpk.cli import main

SIM = ["simulate", "--drug", "esketamine", "--dose", "0.5 mg/kg", "--duration", "40 min",
       "--weight", "70 kg", "--end", "6 h", "--step", "10 min"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ketpk: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_help_and_version_exit_zero(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "simulate" in out and "not a dosing device" in out
    code, out, _ = run(capsys, "simulate", "--help")
    assert code == 0 and "--weight" in out and "0.35 mg/kg/h" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("ketpk ")


def test_models_lists_every_registered_model(capsys):
    code, out, _ = run(capsys, "models")
    assert code == 0
    for summary in ketpk.models.available():
        assert summary.id in out
    code, out, _ = run(capsys, "models", "--describe", "esketamine")
    assert code == 0 and ketpk.models.get("esketamine").citation.doi in out


def test_simulate_writes_csv_and_plot(tmp_path, capsys):
    csv_path, png = tmp_path / "c.csv", tmp_path / "c.png"
    code, out, err = run(capsys, *SIM, "--csv", str(csv_path), "--plot", str(png))
    assert code == 0, err
    assert "Cmax [ng/mL]" in out and "norketamine" in out
    rows = list(csv.reader(line for line in csv_path.open() if not line.startswith("#")))
    assert rows[0][:3] == ["subject", "time [min]", "ketamine [ng/mL]"]
    assert len(rows) == 1 + 37  # 0..360 min every 10 min
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "c.png"]  # no temp files left


def test_simulate_repeated_infusion_by_rate(capsys, tmp_path):
    code, out, err = run(capsys, "simulate", "--model", "esketamine.otto2021", "--rate", "20 mg/h",
                         "--duration", "1 h", "--every", "4 h", "--count", "2", "--end", "10 h",
                         "--step", "5 min", "--unit", "nmol/mL")
    assert code == 0, err
    assert "Cmax [nmol/mL]" in out


@pytest.mark.parametrize("argv, fragment", [
    (["simulate", "--drug", "esketamine", "--dose", "25"], "`amount`"),
    (["simulate", "--drug", "esketamine", "--dose", "0.5 mg/kg"], "--weight"),
    (["simulate", "--drug", "esketamine"], "give a dose"),
    (["simulate", "--dose", "25 mg"], "choose a model"),
    (["simulate", "--model", "esketamine.nope", "--dose", "25 mg"], "no model"),
    (["simulate", "--drug", "ketamine", "--dose", "25 mg"], "invalid choice"),
    (["simulate", "--drug", "esketamine", "--dose", "25 mg", "--route", "nasal"], "route"),
    (["simulate", "--drug", "esketamine", "--dose", "25 mg", "--end", "-2 h"], "positive"),
    (["simulate", "--drug", "esketamine", "--dose", "25 mg", "--step", "5 kg"], "--step"),
    (["simulate", "--drug", "esketamine", "--dose", "25 mg", "--count", "3"], "--every"),
    (["simulate", "--drug", "esketamine", "--dose", "25 mg", "--csv", "/no/such/dir/x.csv"], "does not exist"),
    (["simulate", "--drug", "esketamine", "--dose", "25 mg", "--plot", "{tmp}/x.notaformat"], "suffix"),
    (["compare-routes", "--drug", "racemic"], "--dose"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_is_one_line_and_nonzero(capsys, tmp_path, argv, fragment):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run(capsys, *argv)
    assert code != 0
    assert fragment in one_line_error(err)
    assert list(tmp_path.iterdir()) == []


def test_compare_routes_prints_every_route_and_writes_files(tmp_path, capsys):
    csv_path, png = tmp_path / "r.csv", tmp_path / "r.png"
    code, out, err = run(capsys, "compare-routes", "--drug", "racemic", "--dose", "25 mg",
                         "--end", "12 h", "--step", "5 min", "--log", "--csv", str(csv_path),
                         "--plot", str(png))
    assert code == 0, err
    for route in ketpk.models.get("racemic").routes:
        assert f"\n{route} " in out
    assert csv_path.exists() and png.exists()


def test_optional_commands_run_or_say_they_are_not_available(capsys, tmp_path):
    for command, module in (("protocols", "protocols"), ("population", "population")):
        argv = [command] if command == "protocols" else [
            command, "--drug", "esketamine", "--dose", "20 mg", "--duration", "40 min", "--n", "20",
            "--end", "4 h", "--step", "10 min", "--csv", str(tmp_path / "p.csv")]
        code, out, err = run(capsys, *argv)
        if importlib.util.find_spec(f"ketpk.{module}") is None:
            assert code == 1 and "not available" in one_line_error(err)
        else:
            assert code == 0, err
            assert out.strip()


def test_warnings_are_printed_as_single_lines(capsys):
    code, _, err = run(capsys, "simulate", "--drug", "esketamine", "--dose", "10 mg",
                       "--weight", "140 kg", "--end", "1 h", "--step", "10 min")
    assert code == 0
    assert err.startswith("ketpk: warning: ") and "outside the range" in err


def test_python_dash_m_runs_the_same_entry_point():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-m", "ketpk", "models", "--drug", "esketamine"],
                          capture_output=True, text=True, env=env, cwd=root, timeout=60)
    assert done.returncode == 0 and "esketamine" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "ketpk", "simulate", "--dose", "x"],
                         capture_output=True, text=True, env=env, cwd=root, timeout=60)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
