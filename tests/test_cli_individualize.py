"""``ketpk individualize``: dataset in, parameters printed, forecast CSV and plot out."""

from __future__ import annotations

import shlex

from ketpk.cli import main
from ketpk.cli_individualize import add_parser

ROWS = ["ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,WT",
        "{id},0,1,576,24,1,.,1,80", "{id},2,0,0,0,1,80,0,80", "{id},8,0,0,0,1,120,0,80",
        "{id},8,0,0,0,4,150,0,80", "{id},20,0,0,0,1,140,0,80", "{id},20,0,0,0,4,{nk},0,80"]


def _dataset(path, ids=(1,)):
    lines = [ROWS[0]] + [row.format(id=i, nk=200 + 30 * i) for i in ids for row in ROWS[1:]]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_one_patient_prints_parameters_and_writes_forecast(tmp_path, capsys):
    data = _dataset(tmp_path / "patient.csv")
    code = main(["individualize", "--model", "esketamine.otto2021", "--dataset", str(data),
                 "--end", "48 h", "--csv", str(tmp_path / "f.csv"), "--plot", str(tmp_path / "f.png")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "not a dosing device" in out and "converged" in out
    for name in ("V1", "CL", "V_NK", "CL_NK"):
        assert f"  {name} " in out
    text = (tmp_path / "f.csv").read_text().splitlines()
    body = [line for line in text if not line.startswith("#")]
    assert body[0].startswith("time [min],ketamine individual [ng/mL]") and len(body) == 1 + 289
    assert (tmp_path / "f.png").stat().st_size > 10_000


def test_every_patient_of_a_dataset_and_errors(tmp_path, capsys):
    data = _dataset(tmp_path / "all.csv", ids=(1, 2, 3))
    code = main(["individualize", "--dataset", str(data), "--csv", str(tmp_path / "p.csv")])
    out = capsys.readouterr().out
    assert code == 0
    lines = [line for line in out.splitlines() if line[:2] in ("1 ", "2 ", "3 ")]
    assert len(lines) == 3 and len({line.split()[-1] for line in lines}) == 3  # CL_NK differs
    code = main(["individualize", "--dataset", str(data), "--id", "9"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("ketpk: error: --id '9'") and len(err.strip().splitlines()) == 1
    code = main(["individualize", "--dataset", str(tmp_path / "missing.csv")])
    assert code == 1 and "Traceback" not in capsys.readouterr().err


def test_help_example_parses(tmp_path):
    import argparse

    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    example = "individualize --model esketamine.otto2021 --dataset patient.csv --end '48 h' --csv f.csv"
    args = parser.parse_args(shlex.split(example))
    assert args.dataset == "patient.csv" and args.end == "48 h"
