"""The ``ketpk`` command line, called in-process through ``main(argv)``."""

from __future__ import annotations

import csv
import os

import numpy as np
import pytest

import ketpk
from ketpk.cli import main
from ketpk.fileio import read_csv

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
    assert rows[0][:3] == ["subject", "time [h]", "S-ketamine [ng/mL]"]
    assert len(rows) == 1 + 37  # 0..360 min every 10 min
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "c.png"]  # no temp files left
    umask = os.umask(0)
    os.umask(umask)
    for path in (csv_path, png):  # ordinary permissions, not a temp file's 0600
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask


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
    (["simulate", "--model", "esketamine.nope", "--dose", "25 mg"], "unknown model 'esketamine.nope'"),
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


def test_protocols_lists_the_library_and_describes_one(capsys):
    code, out, err = run(capsys, "protocols")
    assert code == 0, err
    for entry in ketpk.protocols.available():
        assert f"\n{entry.name} " in out and entry.summary.replace("*", "") in out
    assert "*" not in out  # no Markdown emphasis in a terminal
    code, out, err = run(capsys, "protocols", "--describe", "schwartzman2009", "--weight", "100 kg")
    assert code == 0, err
    assert ketpk.protocols.get("schwartzman2009").citation.doi in out
    assert "CAP BINDS" in out and "total 1000 mg" in out  # 10 x 4 h at the 25 mg/h cap


def test_simulate_protocol_uses_its_drug_form_and_options(tmp_path, capsys):
    csv_path, png = tmp_path / "s.csv", tmp_path / "s.png"
    code, out, err = run(capsys, "simulate", "--protocol", "schwartzman2009", "--option", "days=2",
                         "--weight", "70 kg", "--end", "2 d", "--step", "30 min",
                         "--csv", str(csv_path), "--plot", str(png))
    assert code == 0, err
    assert "model racemic.multiroute" in out and "schwartzman2009  ketamine" in out
    assert "s_ketamine" not in out  # enantiomer analytes only with --analytes
    rows = list(csv.reader(line for line in csv_path.open() if not line.startswith("#")))
    assert len(rows) == 1 + 97 and "R-ketamine [ng/mL]" in rows[0]  # the CSV keeps every analyte
    assert png.read_bytes()[:4] == b"\x89PNG"
    code, out, err = run(capsys, "simulate", "--protocol", "schwartzman2009", "--option", "days=2",
                         "--weight", "70 kg", "--end", "2 d", "--step", "30 min", "--analytes", "all")
    assert code == 0 and "R-norketamine" in out


def test_simulate_protocol_without_drug_picks_the_protocols_form(capsys):
    code, out, err = run(capsys, "simulate", "--protocol", "sigtermans2009", "--weight", "70 kg",
                         "--end", "100 h", "--step", "1 h")
    assert code == 0, err
    assert "model esketamine.multiroute" in out and "sigtermans2009" in out


def test_population_writes_percentiles_and_bands(tmp_path, capsys):
    csv_path, png = tmp_path / "p.csv", tmp_path / "p.png"
    code, out, err = run(capsys, "population", "--drug", "esketamine", "--dose", "0.25 mg/kg",
                         "--duration", "40 min", "--n", "40", "--seed", "3", "--end", "4 h",
                         "--step", "10 min", "--csv", str(csv_path), "--plot", str(png))
    assert code == 0, err
    assert "40 virtual subjects (seed 3" in out and "ketamine Cmax [ng/mL] across subjects: P5" in out
    provenance, header, table = read_csv(csv_path)
    assert header[:4] == ["time [h]", "ketamine P5 [ng/mL]", "ketamine P50 [ng/mL]", "ketamine P95 [ng/mL]"]
    assert provenance["seed"] == "3" and "Otto" in provenance["citation"]
    assert provenance["model_id"] == "esketamine.multiroute" and provenance["ketpk_version"]
    assert table.shape[0] == 25 and table[4, 0] == pytest.approx(40 / 60)  # hours
    p5, p50, p95 = table[4, 1:4]  # 40 min, end of infusion
    assert 0 < p5 < p50 < p95
    assert png.read_bytes()[:4] == b"\x89PNG"
    code, again, _ = run(capsys, "population", "--drug", "esketamine", "--dose", "0.25 mg/kg",
                         "--duration", "40 min", "--n", "40", "--seed", "3", "--end", "4 h",
                         "--step", "10 min")
    assert again == out.replace(f"wrote {csv_path}\n", "").replace(f"wrote {png}\n", "")  # seeded


def test_population_takes_a_protocol_analytes_age_and_sex(tmp_path, capsys):
    csv_path = tmp_path / "p.csv"
    code, out, err = run(capsys, "population", "--protocol", "olofsen2012", "--n", "20",
                         "--analytes", "norketamine", "--age", "40 year", "--sex", "male",
                         "--end", "3 h", "--step", "30 min", "--csv", str(csv_path))
    assert code == 0, err
    assert "norketamine Cmax" in out and "ketamine Cmax" not in out.replace("norketamine", "")
    assert "age 40 year, male" in out
    _, header, table = read_csv(csv_path)
    assert header == ["time [h]", *(f"norketamine P{p} [ng/mL]" for p in (5, 50, 95))]
    summary = ketpk.summarize("esketamine", ketpk.protocols.get("olofsen2012"),
                              ketpk.Q_(np.arange(0, 181, 30.0), "min"), analytes=["norketamine"],
                              subjects=ketpk.population.sample("esketamine", 20, seed=1, age="40 year",
                                                               female=0.0))
    assert table[:, 2] == pytest.approx(summary.percentile("norketamine", 50).magnitude, rel=1e-8)


def test_compare_routes_takes_an_infusion_and_writes_the_citation(tmp_path, capsys):
    csv_path = tmp_path / "r.csv"
    code, out, err = run(capsys, "compare-routes", "--drug", "racemic", "--rate", "20 mg/h",
                         "--duration", "1 h", "--routes", "iv,sc", "--end", "4 h",
                         "--csv", str(csv_path))
    assert code == 0, err
    comparison = ketpk.compare_routes("racemic", ketpk.Infusion("0 min", rate="20 mg/h", duration="1 h"),
                                      ["iv", "sc"], times=ketpk.Q_(np.arange(0, 241.0), "min"))
    cmax = ketpk.nca.cmax(comparison.results["sc"], "ketamine").magnitude
    assert f"{cmax:.4g}" in out
    provenance, header, _ = read_csv(csv_path)
    assert header[:2] == ["label", "time [h]"]
    assert any(k.startswith("citation[") and "Otto" in v for k, v in provenance.items())


def test_protocol_options_print_rounded_with_one_spelling_of_micrograms(capsys):
    code, out, err = run(capsys, "protocols", "--describe", "sigtermans2009")
    assert code == 0, err
    assert "target=0.317 mg/kg/h" in out and "0.3171428" not in out
    assert "ug/" not in out and "µg/kg/min" in out


@pytest.mark.parametrize("argv, fragment", [
    (["protocols", "--describe", "sigtermann2009"], "unknown protocol 'sigtermann2009'; did you mean 'sigtermans2009'"),
    (["simulate", "--protocol", "sigtermans2009", "--drug", "racemic", "--weight", "70 kg"],
     "doses esketamine"),
    (["simulate", "--protocol", "sigtermans2009"], "--weight"),
    (["simulate", "--protocol", "schwartzman2009", "--dose", "25 mg"], "not both"),
    (["simulate", "--protocol", "schwartzman2009", "--option", "days"], "KEY=VALUE"),
    (["simulate", "--protocol", "schwartzman2009", "--option", "speed=2", "--weight", "70 kg"],
     "no option 'speed'"),
    (["simulate", "--drug", "racemic", "--dose", "25 mg", "--option", "days=2"], "needs --protocol"),
    (["simulate", "--drug", "racemic", "--dose", "25 mg", "--analytes", "hnk"], "not simulated"),
    (["population", "--drug", "esketamine", "--dose", "20 mg", "--n", "0"], "--n"),
    (["population", "--drug", "esketamine", "--dose", "20 mg", "--percentiles", "95,5"], "ascending"),
    (["population", "--drug", "esketamine", "--dose", "20 mg", "--percentiles", "5,x"], "numbers"),
    (["population", "--drug", "esketamine", "--dose", "20 mg", "--percentiles", "5,95",
      "--plot", "{tmp}/p.png"], "odd number"),
])
def test_protocol_and_population_errors_are_one_line(capsys, tmp_path, argv, fragment):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert fragment in one_line_error(err)
    assert list(tmp_path.iterdir()) == []


def test_warnings_are_printed_as_single_lines(capsys):
    code, _, err = run(capsys, "simulate", "--drug", "esketamine", "--dose", "10 mg",
                       "--weight", "140 kg", "--end", "1 h", "--step", "10 min")
    assert code == 0
    assert err.startswith("ketpk: warning: ") and "outside the range" in err


def test_python_dash_m_runs_the_same_entry_point():
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


def test_every_help_example_runs(tmp_path, monkeypatch, capsys):
    import shlex

    from ketpk.cli import _EPILOG

    text = _EPILOG.replace("\\\n", " ")
    commands = [shlex.split(line)[1:] for line in text.splitlines() if line.strip().startswith("ketpk ")]
    assert {c[0] for c in commands} == {"models", "simulate", "compare-routes", "protocols", "population"}
    monkeypatch.chdir(tmp_path)
    for argv in commands:
        code, _, err = run(capsys, *argv)
        assert code == 0, (argv, err)
    assert {p.suffix for p in tmp_path.iterdir()} == {".csv", ".png"}
