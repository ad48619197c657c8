"""The public surface (issue 11): ketpk.__all__ pinned, docstrings on every public callable
(with units on the top-level ones), and every docstring example run as a doctest."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re

import pytest

import ketpk

#: ketpk.__all__ as documented; a helper adding a public name adds it here too.
PUBLIC = {
    "__version__", "Q_", "ureg", "simulate", "summarize", "PopulationSummary", "models", "protocols",
    "read_event_table", "simulate_dataset", "DatasetResult", "nca", "compare_routes",
    "compare_regimens", "equivalent_dose", "effects", "tci", "population", "scenarios",
    "uncertainty", "Subject", "Bolus", "Infusion", "Regimen", "DrugModel", "Parameter", "Route",
    "Citation", "SimulationResult", "ExactSolver", "OdeSolver", "KetpkError", "UnitError",
    "ParameterError", "RegimenError", "ModelNotFoundError", "SolverError", "FileError",
    "MissingExtraError", "KetpkWarning", "CovariateRangeWarning", "ProtocolLimitWarning",
    "UnphysicalValueWarning", "individualize", "Posterior", "find_dose", "Target", "titration",
    "TimeGrid",
}

#: A unit (or the word Quantity) in a docstring: what a physical front door must state.
_UNIT = re.compile(r"\b(min|h|mg|ng/mL|µmol|umol|µmol/L|nmol/mL|kg|year|L|L/min|1/min|g/mol|cm|"
                   r"Quantity|Quantities)\b")


def _modules():
    names = [info.name for info in pkgutil.walk_packages(ketpk.__path__, "ketpk.")
             if not info.name.endswith("__main__")]  # __main__ runs the CLI
    return [ketpk] + [importlib.import_module(name) for name in names]


def test_all_is_pinned_and_every_name_exists():
    assert set(ketpk.__all__) == PUBLIC and len(ketpk.__all__) == len(PUBLIC)
    for name in ketpk.__all__:
        assert getattr(ketpk, name) is not None


def test_every_public_callable_has_a_docstring():
    missing = [f"{m.__name__}.{name}" for m in _modules() for name in getattr(m, "__all__", ())
               if callable(getattr(m, name, None)) and not (inspect.getdoc(getattr(m, name)) or "").strip()]
    assert missing == []


def test_top_level_callables_state_their_units():
    physical = [name for name in ketpk.__all__ if callable(getattr(ketpk, name)) and name != "ureg"
                and not (inspect.isclass(getattr(ketpk, name))
                         and issubclass(getattr(ketpk, name), (Exception, Warning)))]
    silent = [name for name in physical if not _UNIT.search(inspect.getdoc(getattr(ketpk, name)) or "")]
    assert physical and silent == []


@pytest.mark.filterwarnings("ignore::ketpk.CovariateRangeWarning")
def test_docstring_examples_run():
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    results = {m.__name__: doctest.testmod(m, optionflags=flags, report=False) for m in _modules()}
    failed = {name: r.failed for name, r in results.items() if r.failed}
    assert failed == {} and sum(r.attempted for r in results.values()) >= 20
