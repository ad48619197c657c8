"""ketpk: pharmacokinetics of racemic and S(+)-ketamine and norketamine.

A research and teaching tool, never a dosing device: its curves are model predictions from
published population studies, not advice for any patient.

>>> import ketpk
>>> result = ketpk.simulate("esketamine", ketpk.Infusion(start="0 min", amount="10 mg",
...                         duration="30 min"), times=ketpk.Q_([30, 60], "min"))
>>> result.concentration("ketamine", unit="ng/mL").units
<Unit('nanogram / milliliter')>
"""

from __future__ import annotations

from . import models, population, scenarios
from .citations import Citation
from .errors import (
    CovariateRangeWarning,
    FileError,
    KetpkError,
    KetpkWarning,
    MissingExtraError,
    ModelNotFoundError,
    ParameterError,
    ProtocolLimitWarning,
    UnphysicalValueWarning,
    RegimenError,
    SolverError,
    UnitError,
)
from .model import DrugModel, Parameter, Route
from .regimen import Bolus, Infusion, Regimen
from .result import SimulationResult
from .simulate import simulate
from .solvers import ExactSolver, OdeSolver
from .subject import Subject
from .timegrid import TimeGrid
from .units import Q_, ureg

#: The package version (pyproject.toml reads it from here; importlib.metadata would cost ~15 ms).
__version__ = "0.1.0"

__all__ = (
    "__version__",
    "Q_",
    "ureg",
    "simulate",
    "summarize",
    "PopulationSummary",
    "models",
    "protocols",
    "titration",
    "read_event_table",
    "simulate_dataset",
    "DatasetResult",
    "nca",
    "compare_routes",
    "compare_regimens",
    "equivalent_dose",
    "effects",
    "tci",
    "population",
    "scenarios",
    "uncertainty",
    "Subject",
    "TimeGrid",
    "Bolus",
    "Infusion",
    "Regimen",
    "DrugModel",
    "Parameter",
    "Route",
    "Citation",
    "SimulationResult",
    "ExactSolver",
    "OdeSolver",
    "KetpkError",
    "UnitError",
    "ParameterError",
    "RegimenError",
    "ModelNotFoundError",
    "SolverError",
    "FileError",
    "MissingExtraError",
    "KetpkWarning",
    "CovariateRangeWarning",
    "ProtocolLimitWarning",
    "UnphysicalValueWarning",
    "individualize",
    "Posterior",
    "find_dose",
    "Target",
)


_LAZY_NAMES = {"individualize": "posterior", "Posterior": "posterior", "find_dose": "dosefinding",
               "Target": "dosefinding", "compare_regimens": "compare", "compare_routes": "compare",
               "equivalent_dose": "compare", "DatasetResult": "dataset", "read_event_table": "dataset",
               "simulate_dataset": "dataset", "PopulationSummary": "summary", "summarize": "summary"}


def __getattr__(name: str):
    # Submodules (``ketpk.protocols``, ``ketpk.nca``, ...) and these names load on first use, so
    # that `import ketpk` (and a plain simulate) stays fast: the libraries of cited regimens,
    # the estimation (scipy.optimize, about 1 s to import), the comparisons, datasets, summaries.
    import importlib

    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    if not name.startswith("_"):  # never ``__main__`` (the CLI) or private modules
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module 'ketpk' has no attribute {name!r}")
