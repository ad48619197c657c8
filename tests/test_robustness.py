"""Nothing half-done (no partial files, no mutated inputs) and determinism with provenance."""

from __future__ import annotations

import copy
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ketpk
from ketpk import Bolus, Infusion, KetpkError, Q_, Subject, models, population, simulate
from ketpk.fileio import atomic_path, read_csv, write_csv

T = Q_(np.linspace(0, 600, 61), "min")
ROOT = Path(__file__).resolve().parents[1]


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- no partial files ------------------------------------------------------------------------

def test_failed_csv_leaves_no_file_and_keeps_an_old_one(tmp_path):
    result = simulate("esketamine", Bolus("0 min", "5 mg"), T)
    with pytest.raises(KetpkError):
        result.to_csv(tmp_path / "new.csv", unit="mg")
    assert _files(tmp_path) == []
    old = tmp_path / "old.csv"
    old.write_text("precious\n")
    with pytest.raises(KetpkError):
        result.to_csv(old, analytes=["xyz"])
    assert old.read_text() == "precious\n" and _files(tmp_path) == ["old.csv"]


def test_a_writer_failing_mid_file_leaves_nothing(tmp_path):
    def rows():
        yield [1, 2]
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        write_csv(tmp_path / "x.csv", ["a", "b"], rows())
    assert _files(tmp_path) == []


def test_comparison_csv_failing_mid_stream_leaves_nothing(tmp_path):
    comp = ketpk.compare_routes("esketamine", "10 mg", ["iv", "oral"], times=T)
    with pytest.raises(ketpk.UnitError):
        comp.to_csv(tmp_path / "c.csv", unit="mg")  # fails inside the row generator
    assert _files(tmp_path) == []


def test_failed_plot_leaves_no_png(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib.figure

    from ketpk.plotting import save_figure

    figure = simulate("esketamine", Bolus("0 min", "5 mg"), T).plot().figure

    def broken(self, path, **kw):
        Path(path).write_bytes(b"\x89PNG half")
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken)
    with pytest.raises(RuntimeError):
        save_figure(figure, tmp_path / "p.png")
    assert _files(tmp_path) == []


def test_missing_folder_is_a_file_error_naming_the_path(tmp_path):
    result = simulate("esketamine", Bolus("0 min", "5 mg"), T)
    with pytest.raises(ketpk.FileError, match=r"`path` .*nope/x\.csv' cannot be written: the folder .* does not exist"):
        result.to_csv(tmp_path / "nope" / "x.csv")


def test_written_files_get_normal_permissions(tmp_path):
    with atomic_path(tmp_path / "f.txt") as tmp:
        Path(tmp).write_text("x")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "f.txt").stat().st_mode & 0o777 == 0o666 & ~mask


def test_cli_failure_writes_nothing(tmp_path):
    from ketpk.cli import main

    argv = ["simulate", "--drug", "esketamine", "--dose", "5 mg", "--unit", "mg",
            "--csv", str(tmp_path / "c.csv"), "--plot", str(tmp_path / "c.png")]
    assert main(argv) == 1
    assert _files(tmp_path) == []


# --- inputs are never mutated --------------------------------------------------------------

def _state(model, regimen, pop):
    """Everything a call could change: the model's fields, the regimen's doses, the arrays."""
    return (copy.copy(model.__dict__), regimen.doses, regimen.steady_state,
            {k: v.copy() for k, v in pop.covariates.items()}, {k: v.copy() for k, v in pop.etas.items()})


def _same(a, b):
    assert a[0].keys() == b[0].keys()
    for key in a[0]:
        assert a[0][key] is b[0][key] or a[0][key] == b[0][key], key
    assert a[1] == b[1] and a[2] == b[2]
    for x, y in ((a[3], b[3]), (a[4], b[4])):
        assert x.keys() == y.keys() and all(np.array_equal(x[k], y[k]) for k in x)


@pytest.mark.filterwarnings("ignore::ketpk.CovariateRangeWarning")
def test_calls_good_and_failing_do_not_mutate_model_regimen_or_population():
    model = models.get("esketamine")
    regimen = Bolus("0 min", "0.5 mg/kg") + Infusion("1 h", rate="0.2 mg/kg/h", duration="2 h")
    pop = population.sample(model, 5, seed=3)
    before = _state(model, regimen, pop)
    params_before = copy.deepcopy(model.parameters)
    calls = [
        lambda: simulate(model, regimen, T, subjects=pop),
        lambda: simulate(model, regimen, T, subjects=Subject(weight="70 kg"), solver="ode"),
        lambda: simulate(model, regimen, T),                                       # no weight
        lambda: simulate(model, regimen, Q_([0, 5, 2], "min"), subjects=pop),      # unsorted
        lambda: simulate(model, regimen + Bolus("0 min", "5 mg", "oral"), T, subjects=pop),
        lambda: simulate(models.get("esketamine.otto2021"), regimen + Bolus("0 min", "5 mg", "oral"), T,
                         subjects=pop),                                            # route lacking
        lambda: model.with_parameters(XYZ="1 L"),
        lambda: model.with_parameters(V1="-5 L"),
        lambda: regimen.total_amount(),
        lambda: regimen.with_steady_state(Bolus("0 min", "5 mg"), every="-1 h"),
        lambda: regimen.to_event_table(Subject(weight="70 kg"), time_unit="mg"),
        lambda: ketpk.compare_routes(model, regimen, ["iv", "orall"], subject=Subject(weight="70 kg")),
        lambda: pop.summarize(regimen, Q_([0, 5, 2], "min")),
        lambda: population.sample(model, 3, weight="-70 kg"),
    ]
    for call in calls:
        try:
            call()
        except KetpkError:
            pass
        _same(before, _state(model, regimen, pop))
    assert model.parameters == params_before


# --- determinism and provenance ---------------------------------------------------------------

_DRAW = """
import hashlib, numpy as np, ketpk
pop = ketpk.population.sample("esketamine", 200, seed=20240607)
res = ketpk.simulate("esketamine", ketpk.Bolus("0 min", "0.5 mg/kg"), ketpk.Q_(np.linspace(0, 600, 31), "min"),
                     subjects=pop, record="plasma")
h = hashlib.sha256()
for k in sorted(pop.covariates): h.update(pop.covariates[k].tobytes())
for k in sorted(pop.etas): h.update(pop.etas[k].tobytes())
for a in res.analytes: h.update(res.concentrations_umol_per_l[a].tobytes())
print(h.hexdigest(), res.metadata["seed"])
"""


def test_same_seed_is_bit_identical_across_processes():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    runs = [subprocess.run([sys.executable, "-c", _DRAW], capture_output=True, text=True, env=env, check=True)
            for _ in range(2)]
    first, second = (r.stdout.split() for r in runs)
    assert first == second and first[1] == "20240607"
    other = population.sample("esketamine", 200, seed=20240608)
    h = hashlib.sha256()
    for k in sorted(other.covariates):
        h.update(other.covariates[k].tobytes())
    assert h.hexdigest() != first[0]


def test_same_seed_same_population_in_process_and_from_a_generator():
    a = population.sample("racemic", 50, seed=11)
    b = population.sample("racemic", 50, seed=11)
    c = population.sample("racemic", 50, seed=np.random.default_rng(11))
    for x in (b, c):
        assert all(np.array_equal(a.covariates[k], x.covariates[k]) for k in a.covariates)
        assert all(np.array_equal(a.etas[k], x.etas[k]) for k in a.etas)


def test_fresh_entropy_is_recorded_and_replays():
    pop = population.sample("esketamine", 20)
    again = population.sample("esketamine", 20, seed=pop.seed)
    assert pop.seed is not None and pop.etas.keys() == again.etas.keys()
    assert all(np.array_equal(pop.etas[k], again.etas[k]) for k in pop.etas)


def test_results_and_csv_carry_version_model_solver_and_seed(tmp_path):
    pop = population.sample("esketamine", 3, seed=5)
    res = simulate("esketamine", Bolus("0 min", "5 mg"), T, subjects=pop, solver="ode")
    assert res.metadata["ketpk_version"] == ketpk.__version__
    assert res.metadata["model_id"] == "esketamine.multiroute"
    assert res.metadata["solver"] == "ode" and res.metadata["seed"] == 5
    summary = pop.summarize(Bolus("0 min", "5 mg"), T)
    assert summary.metadata["seed"] == 5 and summary.metadata["model_id"] == "esketamine.multiroute"
    path = tmp_path / "r.csv"
    res.to_csv(path)
    lines = path.read_text().splitlines()
    comments = [line for line in lines if line.startswith("#")]
    assert f"# ketpk_version: {ketpk.__version__}" in comments and "# seed: 5" in comments
    assert "# model_id: esketamine.multiroute" in comments and "# solver: ode" in comments
    assert lines[len(comments)].startswith("subject,time [h]")  # comments first, then the header
    provenance, header, table = read_csv(path)
    assert provenance["seed"] == "5" and provenance["model_id"] == "esketamine.multiroute"
    assert header[:2] == ["subject", "time [h]"] and table.shape == (3 * len(T), len(header))
    assert np.allclose(table[: len(T), 1], T.to("h").magnitude)
    assert np.allclose(table[: len(T), 2], res.concentration("ketamine").magnitude[0], rtol=1e-9)
