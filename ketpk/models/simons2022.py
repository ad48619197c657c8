"""Simons 2022: S(+)-ketamine, S-norketamine and S-hydroxynorketamine, IV and oral thin film.

Simons P, Olofsen E, van Velzen M, et al. S-ketamine oral thin film - Part 1: population
pharmacokinetics of S-ketamine, S-norketamine and S-hydroxynorketamine. Front Pain Res
2022;3:946486. doi:10.3389/fpain.2022.946486. Values: Table 4, as transcribed with their table
rows in nlmixr2lib ``Simons_2022_s_ketamine.R`` (pk_gaps.md §2.1 [NL]); the paper works in
minutes, litres and nmol/mL.

Structure (Figure 2): S-K 3 compartments; everything S-K clears (CLK1) passes a 2-compartment
metabolism delay chain (each compartment 2/MTT) of which fm = 0.8 forms S-NK (molar, the rest
is lost); S-NK 2 compartments with VN1 = VK1; its clearance CLN1 passes a second 2-compartment
chain of which fm = 0.7 forms S-HNK (2 compartments). The oral thin film (OTF) dose enters two
paths at once: mucosal (F1, zero-order over D1 into a depot, KA1 into S-K central) and swallowed
(F2 of the full dose, zero-order over D2 into a gut depot, KA2, then one gut→liver delay
compartment at 1/MTTG into the hepatic K→NK chain; swallowed S-K never reaches systemic S-K).
"""

from __future__ import annotations

from ..citations import Citation
from ..model import (
    Allometric, DrugModel, OmegaBlock, Parameter, ParameterUncertainty, Params, ResidualError, Route,
    SystemBuilder,
)
from ..routes import iv_route, table_route
from ..units import read_known

_V = (Allometric(1.0),)
_CL = (Allometric(0.75),)
_T4 = "Table 4"
_ALLOMETRY = ("Table 4 gives values '@ 70 kg' without exponents; 0.75 (clearances) and 1 "
              "(volumes) are the standard values nlmixr2lib also assumes")

CITATION = Citation(
    authors="Simons P, Olofsen E, van Velzen M, van Lemmen M, Mooren R, van Dasselaar T, Mohr P, "
            "Hammes F, van der Schrier R, Niesters M, Dahan A",
    year=2022,
    title="S-ketamine oral thin film - Part 1: population pharmacokinetics of S-ketamine, "
          "S-norketamine and S-hydroxynorketamine",
    journal="Front Pain Res 3:946486",
    doi="10.3389/fpain.2022.946486",
)

PARAMETERS = (
    Parameter("F1", "0.263", "oral-mucosal bioavailability of the film dose", f"{_T4}, F1 26.3%"),
    Parameter("D1", "13.1 min", "zero-order mucosal input duration", f"{_T4}, D1"),
    Parameter("KA1", "0.04 1/min", "mucosal absorption rate constant", f"{_T4}, KA1"),
    Parameter("F2", "1.16", "fraction of the film dose entering hepatic metabolism by the swallowed "
              "path (> 1: absorbs the metabolite volume scale, not a physical F)", f"{_T4}, F2 116%"),
    Parameter("D2", "29.9 min", "zero-order gastrointestinal input duration", f"{_T4}, D2"),
    Parameter("KA2", "0.049 1/min", "gastrointestinal absorption rate constant", f"{_T4}, KA2"),
    Parameter("MTTG", "10.7 min", "gut→liver mean transit time (one compartment)", f"{_T4}, MTT GUT"),
    Parameter("VK1", "11.6 L", "S-K central volume (also S-NK central volume VN1)", f"{_T4}, VK1", _V),
    Parameter("VK2", "39.0 L", "S-K peripheral volume 1", f"{_T4}, VK2", _V),
    Parameter("VK3", "174 L", "S-K peripheral volume 2", f"{_T4}, VK3", _V),
    Parameter("CLK1", "1.48 L/min", "S-K clearance into the K→NK metabolism chain", f"{_T4}, CLK1", _CL),
    Parameter("CLK2", "2.43 L/min", "S-K inter-compartmental clearance VK1–VK2", f"{_T4}, CLK2", _CL),
    Parameter("CLK3", "1.21 L/min", "S-K inter-compartmental clearance VK1–VK3", f"{_T4}, CLK3", _CL),
    Parameter("MTT_KNK", "20.1 min", "mean transit time of the 2-compartment K→NK chain",
              f"{_T4}, MTT K→NK"),
    Parameter("FM_NK", "0.8", "fraction of metabolised S-K forming S-NK (fixed)",
              "Methods and Figure 2 ('20% loss'), fixed"),
    Parameter("VN2", "221 L", "S-NK peripheral volume", f"{_T4}, VN2", _V),
    Parameter("CLN1", "1.00 L/min", "S-NK clearance into the NK→HNK chain", f"{_T4}, CLN1", _CL),
    Parameter("CLN2", "2.63 L/min", "S-NK inter-compartmental clearance", f"{_T4}, CLN2", _CL),
    Parameter("MTT_NKHNK", "1.12 min", "mean transit time of the 2-compartment NK→HNK chain",
              f"{_T4}, MTT NK→HNK"),
    Parameter("FM_HNK", "0.7", "fraction of metabolised S-NK forming S-HNK (fixed)",
              "Methods and Figure 2 ('30% loss'), fixed"),
    Parameter("VH1", "4.4 L", "S-HNK central volume", f"{_T4}, VH1", _V),
    Parameter("VH2", "87.5 L", "S-HNK peripheral volume", f"{_T4}, VH2", _V),
    Parameter("CLH1", "0.933 L/min", "S-HNK elimination clearance", f"{_T4}, CLH1", _CL),
    Parameter("CLH2", "1.70 L/min", "S-HNK inter-compartmental clearance", f"{_T4}, CLH2", _CL),
)

#: Table 4's standard error of each estimated theta (SEE, in the estimate's unit; F1 and F2 in
#: fractions), as transcribed in nlmixr2lib ``Simons_2022_s_ketamine.R``; FM_NK and FM_HNK are
#: fixed and carry none. RSE = SEE / estimate.
_SEE = {"F1": "0.012", "D1": "1.0 min", "KA1": "0.002 1/min", "F2": "0.06", "D2": "3.5 min",
        "KA2": "0.007 1/min", "MTTG": "1.7 min", "VK1": "0.9 L", "VK2": "2.9 L", "VK3": "11 L",
        "CLK1": "0.06 L/min", "CLK2": "0.24 L/min", "CLK3": "0.08 L/min", "MTT_KNK": "1.0 min",
        "VN2": "13 L", "CLN1": "0.04 L/min", "CLN2": "0.15 L/min", "MTT_NKHNK": "0.51 min",
        "VH1": "2.0 L", "VH2": "6.5 L", "CLH1": "0.068 L/min", "CLH2": "0.25 L/min"}
_RSE = {p.name: read_known(_SEE[p.name])[0] / p.canonical for p in PARAMETERS if p.name in _SEE}

_MUCOSAL, _SWALLOWED, _GUT_DELAY = "ketamine.depot_mucosal", "ketamine.depot_swallowed", "ketamine.gut_liver"
_CHAIN_K = ("ketamine.metabolism1", "ketamine.metabolism2")
_CHAIN_NK = ("norketamine.metabolism1", "norketamine.metabolism2")


def _chain(s: SystemBuilder, stages: tuple[str, str], species: str, mtt, product: str, fm) -> None:
    """Two delay compartments, each draining at 2/MTT; the last yields ``fm`` mol of product."""
    for stage in stages:
        s.compartment(stage, species)
    s.transfer(stages[0], 2.0 / mtt, stages[1])
    s.transfer(stages[1], 2.0 / mtt, {product: fm})


def _structure(p: Params) -> SystemBuilder:
    s = SystemBuilder(p.n)
    s.compartment("ketamine.central", "s_ketamine", volume=p.VK1, analytes=("ketamine",))
    s.compartment("ketamine.peripheral1", "s_ketamine", volume=p.VK2)
    s.compartment("ketamine.peripheral2", "s_ketamine", volume=p.VK3)
    s.compartment("norketamine.central", "s_norketamine", volume=p.VK1, analytes=("norketamine",))
    s.compartment("norketamine.peripheral", "s_norketamine", volume=p.VN2)
    s.compartment("hydroxynorketamine.central", "s_hydroxynorketamine", volume=p.VH1,
                  analytes=("hydroxynorketamine",))
    s.compartment("hydroxynorketamine.peripheral", "s_hydroxynorketamine", volume=p.VH2)
    # film depots: mucosal -> central; swallowed -> gut->liver delay -> hepatic K->NK chain
    s.compartment(_MUCOSAL, "s_ketamine")
    s.compartment(_SWALLOWED, "s_ketamine")
    s.compartment(_GUT_DELAY, "s_ketamine")
    _chain(s, _CHAIN_K, "s_ketamine", p.MTT_KNK, "norketamine.central", p.FM_NK)
    _chain(s, _CHAIN_NK, "s_norketamine", p.MTT_NKHNK, "hydroxynorketamine.central", p.FM_HNK)
    s.transfer(_MUCOSAL, p.KA1, "ketamine.central")
    s.transfer(_SWALLOWED, p.KA2, _GUT_DELAY)
    s.transfer(_GUT_DELAY, 1.0 / p.MTTG, _CHAIN_K[0])
    s.exchange("ketamine.central", "ketamine.peripheral1", p.CLK2)
    s.exchange("ketamine.central", "ketamine.peripheral2", p.CLK3)
    s.clearance("ketamine.central", p.CLK1, _CHAIN_K[0])
    s.exchange("norketamine.central", "norketamine.peripheral", p.CLN2)
    s.clearance("norketamine.central", p.CLN1, _CHAIN_NK[0])
    s.exchange("hydroxynorketamine.central", "hydroxynorketamine.peripheral", p.CLH2)
    s.clearance("hydroxynorketamine.central", p.CLH1)
    return s


_F2_UNPHYSICAL = (
    "F2 = 1.16 (Simons 2022 Table 4, 116 %) is not a physical fraction: with F1 the film puts "
    "more than the dose into the body; it absorbs the scale of the metabolite volumes, so the "
    "published value is kept and S-K from the swallowed path is read with that caveat.")


def _film_route(name: str, placement: str) -> Route:
    """The OTF: two inputs of the full dose, each with its own zero-order phase, into the film
    depots of the structure (both placements share them): the route table's mucosal kinds F and
    D, and the swallowed share's F and D."""
    return table_route(
        name, {"F": "F1", "D": "D1"}, swallowed={"F": "F2", "D": "D2"}, central=_MUCOSAL,
        swallowed_targets=_SWALLOWED,
        description=f"oral thin film, {placement}: mucosal F1 over D1 then KA1 into S-K central, plus "
                    "swallowed F2 over D2, KA2 and MTTG into hepatic S-K metabolism (Table 4)",
        sources=("Simons 2022 Table 4 and Figure 2",),
        assumptions=(_F2_UNPHYSICAL,) + (() if name == "sublingual" else (
            "buccal placement uses the sublingual film parameters: Simons pooled sublingual "
            "(n=15) and buccal (n=5) films because no PK difference was seen",)),
        unphysical=(_F2_UNPHYSICAL,),
    )


SIMONS2022 = DrugModel(
    id="esketamine.simons2022",
    name="Simons 2022 S(+)-ketamine + S-norketamine + S-hydroxynorketamine, IV and oral thin film",
    drug="esketamine",
    citation=CITATION,
    parameters=PARAMETERS,
    structure=_structure,
    routes={
        "iv": iv_route(source="Simons 2022 (20 mg IV over 20 min after each film)"),
        "sublingual": _film_route("sublingual", "sublingual"),
        "buccal": _film_route("buccal", "buccal"),
    },
    population="20 healthy adults (10 F), 19-32 y, 73 ± 12 kg (53-93 kg); Leiden (Table 1)",
    sampling="arterial",
    covariate_range={"weight": (53.0, 93.0)},
    variability=(
        OmegaBlock.diagonal(
            {"VK1": 0.057, "CLK1": 0.029, "CLK3": 0.026, "CLN1": 0.050, "MTT_KNK": 0.021,
             "VH1": 1.22, "CLH1": 0.103, "CLH2": 0.287},
            source="Table 4, inter-subject omega^2 (VK1 eta shared by VN1)"),
    ),
    occasion_variability=(
        OmegaBlock.diagonal(
            {"F1": 0.060, "D1": 0.154, "KA1": 0.062, "F2": 0.057, "D2": 0.611, "KA2": 0.376,
             "MTTG": 0.937, "VH2": 0.152},
            source="Table 4, inter-occasion nu^2 (two visits per subject)"),
    ),
    uncertainty=ParameterUncertainty(
        _RSE, source="Table 4, SEE of each estimated theta divided by the estimate (RSE); the "
                     "fixed fm values carry none"),
    residual_error=(
        ResidualError("ketamine", proportional=0.1095,
                      source="Table 4 prints 0.012; read as a variance (SD 0.1095) as nlmixr2lib does"),
        ResidualError("norketamine", proportional=0.102, additive=0.058, source="Table 4"),
        ResidualError("hydroxynorketamine", proportional=0.079, additive=0.020, source="Table 4"),
    ),
    notes=(
        f"Allometric exponents are an assumption: {_ALLOMETRY}.",
        "Metabolite formation is molar (fm mol of metabolite per mol metabolised), as the paper "
        "works in nmol/mL; nlmixr2lib carries S-K mg equivalents and divides every analyte by the "
        "S-K molar mass, which is the same bookkeeping.",
        "Sampling was arterial: early concentrations run higher than venous ones.",
        "Inter-occasion variability (two visits) of F1, D1, KA1, F2, D2, KA2, MTTG and VH2 is "
        "drawn per occasion (population.sample(occasions=K); each film session an occasion, "
        "ketpk.occasions). The IOV of MTT K→NK (nu^2 0.751, printed on the S-NK additive-error "
        "row) and of CLH1 (0.008) is not included.",
        "Subject-specific outliers of Table 4 (subject 4 KA1 and MTT K→NK, subject 9 CLH2) are not "
        "part of the population model.",
        "No 'oral' route: the swallowed path of the film feeds only hepatic metabolism (Figure 2), "
        "so a swallowed-only dose would give no systemic S-K in this model.",
    ),
)

MODELS = (SIMONS2022,)
