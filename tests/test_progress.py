"""Progress bars: off under pytest and off a terminal by default, tqdm or the built-in bar when on."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

from ketpk import Infusion, ParameterError, Q_, population, summarize
from ketpk.progress import bar, wanted

TIMES = Q_(np.arange(0, 241, 10.0), "min")
DOSE = Infusion("0 min", rate="20 mg/h", duration="1 h")


def test_default_is_off_in_tests_and_forced_values_win():
    assert wanted(None) is False  # pytest sets PYTEST_CURRENT_TEST; stderr is captured
    assert wanted(True) is True and wanted(False) is False
    with pytest.raises(ParameterError, match="progress"):
        wanted("yes")


def test_tqdm_bar_counts_to_the_total():
    stream = io.StringIO()
    meter = bar(10, "run", progress=True, stream=stream)
    assert type(meter).__module__.startswith("tqdm")
    for _ in range(10):
        meter.update(1)
    meter.close()
    assert "10/10" in stream.getvalue()


def test_builtin_bar_when_tqdm_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    stream = io.StringIO()
    meter = bar(4, "run", progress=True, unit="times", stream=stream)
    meter.update(4)
    meter.close()
    assert "100%" in stream.getvalue() and "4/4 times" in stream.getvalue()


def test_summarize_shows_progress_only_when_asked(capsys):
    subjects = population.sample("esketamine", 30, seed=1)
    quiet = summarize("esketamine", DOSE, TIMES, subjects=subjects)
    assert capsys.readouterr().err == ""
    loud = summarize("esketamine", DOSE, TIMES, subjects=subjects, progress=True)
    err = capsys.readouterr().err
    assert "30 subjects" in err and f"{TIMES.size}/{TIMES.size}" in err
    assert np.array_equal(quiet.percentiles_umol_per_l["ketamine"], loud.percentiles_umol_per_l["ketamine"])
