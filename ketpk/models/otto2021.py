"""Otto 2021: S(+)-ketamine (3 compartments) and S-norketamine (2 compartments), IV.

Otto ME, Bergmann KR, Jacobs G, van Esdonk MJ. Predictive performance of parent-metabolite
population pharmacokinetic models of (S)-ketamine in healthy volunteers. Eur J Clin Pharmacol
2021;77(8):1181-1192. doi:10.1007/s00228-021-03104-1. Values: Otto Table 3 and the supplementary
NONMEM code (as transcribed, with table row, in nlmixr2lib ``Otto_2021_s_ketamine.R``). The
S-ketamine disposition was fixed to Fanta 2015 (doi:10.1007/s00228-015-1826-y).

All S-ketamine eliminated from the central compartment becomes S-norketamine (fm fixed to 1),
moved mass-for-mass into an apparent S-norketamine volume, as in the paper.
"""

from __future__ import annotations

from ..citations import Citation
from ..model import Allometric, DrugModel, OmegaBlock, Parameter, Params, ResidualError, SystemBuilder
from ..routes import iv_route

_WT = (Allometric(1.0),)
_WT75 = (Allometric(0.75),)

CITATION = Citation(
    authors="Otto ME, Bergmann KR, Jacobs G, van Esdonk MJ",
    year=2021,
    title="Predictive performance of parent-metabolite population pharmacokinetic models of "
          "(S)-ketamine in healthy volunteers",
    journal="Eur J Clin Pharmacol 77(8):1181-1192",
    doi="10.1007/s00228-021-03104-1",
)

PARAMETERS = (
    Parameter("V1", "133 L", "S-ketamine central volume (70 kg)", "Table 3, fixed to Fanta 2015", _WT),
    Parameter("CL", "95.2 L/h", "S-ketamine clearance (70 kg), all forming S-norketamine",
              "Table 3, fixed to Fanta 2015", _WT75),
    Parameter("Vp1", "187 L", "S-ketamine peripheral volume 1", "Table 3, fixed to Fanta 2015"),
    Parameter("Q1", "23.2 L/h", "S-ketamine inter-compartmental clearance 1", "Table 3, fixed to Fanta 2015"),
    Parameter("Vp2", "98.8 L", "S-ketamine peripheral volume 2", "Table 3, fixed to Fanta 2015"),
    Parameter("Q2", "157 L/h", "S-ketamine inter-compartmental clearance 2", "Table 3, fixed to Fanta 2015"),
    Parameter("V_NK", "98.638 L", "S-norketamine central volume (apparent, 70 kg)", "Table 3", _WT),
    Parameter("CL_NK", "57.72 L/h", "S-norketamine clearance (70 kg)", "Table 3", _WT75),
    Parameter("Vp_NK", "160.04 L", "S-norketamine peripheral volume", "Table 3"),
    Parameter("Q_NK", "42.778 L/h", "S-norketamine inter-compartmental clearance", "Table 3"),
)


def add_disposition(s: SystemBuilder, p: Params, *, parent: str = "ketamine",
                    metabolite: str = "norketamine", species: tuple[str, str] = ("s_ketamine", "s_norketamine"),
                    analytes: tuple[tuple[str, ...], tuple[str, ...]] = (("ketamine",), ("norketamine",)),
                    CL=None, CL_NK=None) -> None:
    """Add the Otto 2021 parent (3 cmt) and metabolite (2 cmt) to ``s``.

    States are ``<parent>.central``, ``<parent>.peripheral1/2``, ``<metabolite>.central`` and
    ``<metabolite>.peripheral``. ``CL`` and ``CL_NK`` (L/min) default to ``p.CL`` and ``p.CL_NK``;
    the racemic composite passes scaled R-enantiomer clearances.
    """
    central, nk = f"{parent}.central", f"{metabolite}.central"
    s.compartment(central, species[0], volume=p.V1, analytes=analytes[0])
    s.compartment(f"{parent}.peripheral1", species[0], volume=p.Vp1)
    s.compartment(f"{parent}.peripheral2", species[0], volume=p.Vp2)
    s.compartment(nk, species[1], volume=p.V_NK, analytes=analytes[1])
    s.compartment(f"{metabolite}.peripheral", species[1], volume=p.Vp_NK)
    s.exchange(central, f"{parent}.peripheral1", p.Q1)
    s.exchange(central, f"{parent}.peripheral2", p.Q2)
    s.clearance(central, p.CL if CL is None else CL, to=nk, basis="mass")
    s.exchange(nk, f"{metabolite}.peripheral", p.Q_NK)
    s.clearance(nk, p.CL_NK if CL_NK is None else CL_NK)


def _structure(p: Params) -> SystemBuilder:
    s = SystemBuilder(p.n)
    add_disposition(s, p)
    return s


OTTO2021 = DrugModel(
    id="esketamine.otto2021",
    name="Otto 2021 S(+)-ketamine + S-norketamine, IV (Fanta 2015 parent)",
    drug="esketamine",
    citation=CITATION,
    parameters=PARAMETERS,
    structure=_structure,
    routes={"iv": iv_route(source="Otto 2021 (IV data only)")},
    population="48 healthy adults (26 male), 68-71 kg mean; CHDR1311 and CHDR1016",
    sampling="venous",
    covariate_range={"weight": (50.0, 95.0)},
    variability=(
        OmegaBlock(("V1", "CL"), ((0.084177, 0.02261), (0.02261, 0.026048)), source="Table 3, OMEGA BLOCK(2)"),
        OmegaBlock(("V_NK", "CL_NK"), ((0.040426, 0.04456), (0.04456, 0.10319)), source="Table 3, OMEGA BLOCK(2)"),
    ),
    residual_error=(
        ResidualError("ketamine", proportional=0.2361, source="Table 3 (sigma^2 0.055736)"),
        ResidualError("norketamine", proportional=0.1426, source="Table 3 (sigma^2 0.020338)"),
    ),
    notes=(
        "Peripheral volumes and flows are not weight-scaled, as in the NONMEM code.",
        "Weight range 50-95 kg is the approximate span of the study (mean 68-71 kg, SD 7-9 kg); "
        "the paper gives no formal validated range.",
    ),
)

MODELS = (OTTO2021,)
