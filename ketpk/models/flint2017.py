"""Flint 2017: S(+)-ketamine and S-norketamine in children in intensive care, IV.

Flint RB, Brouwer CNM, Kränzlin ASC, Lie-A-Huen L, Bos AP, Mathôt RAA. Pharmacokinetics of
S-ketamine during prolonged sedation at the pediatric intensive care unit. Pediatr Anesth
2017;27(11):1098-1107. doi:10.1111/pan.13239. Values: Table 3, as transcribed with their rows in
nlmixr2lib ``Flint_2017_s_ketamine.R`` (pk_models.md §5 [NL]).

S-K 2 compartments; all S-K cleared forms S-norketamine, moved mass-for-mass into one apparent
S-NK compartment (Vsnk/Fm fixed to 1 L, Fm not identifiable). Allometric scaling to 70 kg with
fixed exponents 0.75 (clearances) and 1 (volumes).

Time effect: the paper multiplies Clsnk/Fm by (1 + 0.0087·t), t in hours after the first dose.
:func:`ketpk.simulate_dataset` runs it as published: the parameter TAFD reads the time after the
first dose record at every record (covariate ``tafd``), so Clsnk/Fm changes from record to record
and is piecewise constant between them, as NONMEM's $PK evaluates it (add EVID 2 records for a
finer step). :func:`ketpk.simulate` has no records: there the effect is evaluated once, at TAFD
(default 0 h, the paper's baseline Clsnk/Fm), which is exact at TAFD and an approximation
elsewhere, labelled an assumption on every result; S-NK is then over-predicted late in long
infusions (Clsnk/Fm is 1.42x baseline at 48 h). ``model.with_parameters(TAFD="48 h")`` evaluates
the clearance at another time.
"""

from __future__ import annotations

import numpy as np

from ..citations import Citation
from ..model import Allometric, DrugModel, FromColumn, OmegaBlock, Parameter, Params, ResidualError, SystemBuilder
from ..routes import iv_route

_V = (Allometric(1.0),)
_CL = (Allometric(0.75),)
_T3 = "Table 3"

CITATION = Citation(
    authors="Flint RB, Brouwer CNM, Kränzlin ASC, Lie-A-Huen L, Bos AP, Mathôt RAA",
    year=2017,
    title="Pharmacokinetics of S-ketamine during prolonged sedation at the pediatric intensive care unit",
    journal="Pediatr Anesth 27(11):1098-1107",
    doi="10.1111/pan.13239",
)

PARAMETERS = (
    Parameter("Clsk", "112 L/h", "S-K clearance (70 kg), all forming S-NK", f"{_T3}, Clsk", _CL),
    Parameter("V1sk", "7.73 L", "S-K central volume (70 kg)", f"{_T3}, V1sk", _V),
    Parameter("Qsk", "196 L/h", "S-K inter-compartmental clearance (70 kg)", f"{_T3}, Qsk", _CL),
    Parameter("V2sk", "545 L", "S-K peripheral volume (70 kg)", f"{_T3}, V2sk", _V),
    Parameter("Clsnk", "53.2 L/h", "S-NK apparent clearance Clsnk/Fm (70 kg) at the first dose",
              f"{_T3}, Clsnk/Fm", _CL),
    Parameter("Vsnk", "1 L", "S-NK apparent volume Vsnk/Fm (70 kg), fixed", f"{_T3} footnote a, fixed", _V),
    Parameter("TIME_CLSNK", "0.0087 1/h", "linear increase of Clsnk/Fm per hour after the first dose",
              f"{_T3}, time on Clsnk (0.870 %/h)"),
    Parameter("TAFD", "0 h", "time after first dose at which the time effect on Clsnk/Fm is evaluated",
              "ketpk: record by record in simulate_dataset (covariate tafd), else this value",
              (FromColumn("tafd", "min"),),
              assumption="outside simulate_dataset, Clsnk/Fm × (1 + 0.0087/h · t) is held at t = TAFD "
                         "(0 h = the published baseline) instead of growing with time; S-NK late in "
                         "long infusions is over-predicted (×1.42 clearance at 48 h)"),
)


def _derive(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Clsnk/Fm at the evaluation time TAFD."""
    return {"Clsnk_t": v["Clsnk"] * (1 + v["TIME_CLSNK"] * v["TAFD"])}


def _structure(p: Params) -> SystemBuilder:
    s = SystemBuilder(p.n)
    s.compartment("ketamine.central", "s_ketamine", volume=p.V1sk, analytes=("ketamine",))
    s.compartment("ketamine.peripheral", "s_ketamine", volume=p.V2sk)
    s.compartment("norketamine.central", "s_norketamine", volume=p.Vsnk, analytes=("norketamine",))
    s.exchange("ketamine.central", "ketamine.peripheral", p.Qsk)
    s.clearance("ketamine.central", p.Clsk, "norketamine.central", basis="mass")
    s.clearance("norketamine.central", p.Clsnk_t)
    return s


FLINT2017 = DrugModel(
    id="esketamine.flint2017",
    name="Flint 2017 S(+)-ketamine + S-norketamine, PICU children, IV",
    drug="esketamine",
    citation=CITATION,
    parameters=PARAMETERS,
    structure=_structure,
    routes={"iv": iv_route(source="Flint 2017 (continuous infusion 0.3-3.6 mg/kg/h, loading boluses)")},
    population="25 ventilated children in a PICU, 0.02-12.5 y (median 0.42), 3.4-35 kg (median 7.0); "
               "continuous infusion 9.6-140.7 h with lorazepam co-sedation",
    sampling="venous",
    covariate_range={"weight": (3.4, 35.0), "age": (0.02, 12.5)},
    derive=_derive,
    variability=(
        OmegaBlock(("Clsk", "Clsnk"), ((0.14965, 0.16762), (0.16762, 0.73326)),
                   source="Table 3: CV 40.2 % and 104 %, r = 0.506; omega^2 = ln(1 + CV^2)"),
    ),
    residual_error=(
        ResidualError("ketamine", proportional=0.419, source="Table 3 (41.9 %)"),
        ResidualError("norketamine", proportional=0.475, source="Table 3 (47.5 %)"),
    ),
    notes=(
        "Parameters are standardised to 70 kg; give the child's weight (the default 70 kg subject "
        "lies outside the 3.4-35 kg studied).",
        "S-norketamine concentrations are apparent (scaled by the unknown Fm); S-K mass moves into "
        "S-NK mass without a molar-mass correction, as in the paper.",
        "Sampling site is not stated in the material available; 'venous' is recorded because the "
        "registry needs one.",
    ),
)

MODELS = (FLINT2017,)
