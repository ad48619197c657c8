"""Default racemic model: a COMPOSITE of two enantiomer copies of Otto 2021, with a route layer.

No adult racemic ketamine + norketamine parameter table could be retrieved (Kamp BJA 2020,
Zhao 2012, Herd 2007, Abuhelwa 2022: values not available). This composite:

* splits every racemic dose 50:50 into S- and R-ketamine;
* gives S the Otto 2021 venous S-ketamine/S-norketamine model, except the central volume
  (42 L instead of 133 L, arterial, calibrated: see
  :mod:`ketpk.models._default_disposition`), with an arterio-venous link;
* gives R the same model with R-ketamine clearance ``fCL_R × CL`` (Wang 2019 R/S 0.86 within the
  racemate arm; Persson 2002 0.83, Hasan 2021 0.94) and R-norketamine clearance
  ``fCLNK_R × CL_NK`` (Goldberg 2011: S-NK eliminated faster than R-NK; no ratio published, the
  ketamine ratio 0.86 is applied);
* reports "ketamine" = S + R and "norketamine" = S-NK + R-NK, plus each enantiomer.

Checks: total ketamine CL 88 L/h/70 kg vs Pharmacotherapy 2022 10 mg IV AUC-based 88.5 L/h and
the Kamp 2020 meta-analysis 79 (69-90) L/h; every registry study (``ketpk validate``,
docs/validation.md). Route values and the central volume marked "calibrated to" come from
scripts/calibrate.py (docs/calibration.md); with Otto's 133 L the 2-min Cmax of a 10-mg IV bolus
was 0.24x the observed 296 ng/mL (Pharmacotherapy 2022), with the calibrated arterial 42 L and the
venous link it is 0.47x (venous).

Route table: appended below from the parameter values (``A`` = ASSUMPTION; every value's
source or reasoning is in ``model.describe()``). D = zero-order phase, fpre = dose fraction
reaching the circulation as norketamine formed presystemically, fsw = swallowed fraction.
"""

from __future__ import annotations

import dataclasses

from ..citations import Citation
from ..model import DrugModel, Parameter, Params, SystemBuilder
from ..routes import iv_route
from . import otto2021
from ._default_disposition import CENTRAL_VOLUME, VENOUS_LINK
from ._route_layer import RouteValue, assumed, complete, route_layer, route_parameters, route_table

_COMPOSITE = "composite assumption: "

ENANTIOMER_PARAMETERS = (
    Parameter("fCL_R", "0.86", "R-ketamine clearance relative to S-ketamine",
              "Wang 2019 Drug Des Devel Ther 13:4135: R-K 15.8 vs S-K 18.4 mL/min/kg in the racemate "
              "arm (Persson 2002 0.83, Hasan 2021 0.94)",
              assumption=_COMPOSITE + "R-ketamine disposition = S-ketamine's (Otto 2021) with "
                                      "clearance scaled by the published R/S ratio"),
    Parameter("fCLNK_R", "0.86", "R-norketamine clearance relative to S-norketamine",
              "Goldberg 2011 Chirality 23:138: S-NK eliminated faster than R-NK (no ratio given); "
              "the R/S ketamine clearance ratio (fCL_R) is applied",
              assumption=_COMPOSITE + "R-norketamine = S-norketamine model (Otto 2021) with clearance "
                                      "× 0.86; the digitised Kamp 2020 R-NK/S-NK ratio (≈1.2 from "
                                      "30 min on) is not reproduced (model 0.9-1.0)"),
)

_S = dict(parent="s_ketamine", metabolite="s_norketamine", species=("s_ketamine", "s_norketamine"),
          analytes=(("ketamine", "s_ketamine"), ("norketamine", "s_norketamine")))
_R = dict(parent="r_ketamine", metabolite="r_norketamine", species=("r_ketamine", "r_norketamine"),
          analytes=(("ketamine", "r_ketamine"), ("norketamine", "r_norketamine")))


def _structure(p: Params) -> SystemBuilder:
    s = SystemBuilder(p.n)
    otto2021.add_disposition(s, p, **_S)
    otto2021.add_disposition(s, p, **_R, CL=p.CL * p.fCL_R, CL_NK=p.CL_NK * p.fCLNK_R)
    return s


_SPECIFIC: dict[str, RouteValue] = {
    "ka_im": RouteValue("0.047 1/min", "IM absorption rate constant",
                        "calibrated to the 0.5 and 1 mg/kg IM median peaks of Hirlinger & Dick 1984 "
                        "(Anaesthesist 33:272) (scripts/calibrate.py)"),
    "F_im": RouteValue("0.93", "IM bioavailability",
                       "Clements 1982 J Pharm Sci 71:539 (adults), via secondary summaries; primary "
                       "not retrieved (Hornik 2018 children: 0.41)"),
    "F_oral": RouteValue("0.237", "oral racemic ketamine bioavailability (parent)",
                         "calibrated to Chong 2006 (Pain Med 7:469), Grant 1981 (Br J Anaesth 53:805) "
                         "and Yanagihara 2003 (Biopharm Drug Dispos 24:37) within the published adult "
                         "range 0.17 (Clements 1982) - 0.24 (Chong 2009) (scripts/calibrate.py), at "
                         "its upper bound: the racemate's AUC-based F (1.0089 × F_oral with the "
                         "enantioselective first pass) is 0.239"),
    "fpre_oral": RouteValue("0.51", "oral dose fraction reaching the circulation as norketamine "
                            "formed presystemically",
                            "calibrated to the oral and sublingual norketamine Cmax of Chong 2006 "
                            "(scripts/calibrate.py); Chong's 'parent + norketamine 59 % as ketamine "
                            "equivalents' read as F + fpre gave 0.39 before calibration"),
    "ka_oral": RouteValue("1.55 1/h", "oral absorption rate constant",
                          "calibrated to the oral Cmax and Tmax of Chong 2006 and Grant 1981 "
                          "(scripts/calibrate.py); Perez-Ruixo 2021's esketamine solution ka_po 0.97 /h "
                          "gave a later, flatter peak"),
    "F_sublingual": RouteValue("0.30", "sublingual racemic bioavailability (parent, whole dose)",
                               "Yanagihara 2003 ≈0.30; Rolan 2014 Br J Clin Pharmacol 77:1011 0.29; "
                               "Chong 2006 0.32"),
    "fsw_sublingual": RouteValue("0.62", "fraction of a sublingual dose swallowed",
                                 "Chong 2006 sublingual: parent + norketamine 54 % 'as ketamine "
                                 "equivalents' = F_sublingual + fsw × fpre_oral with the "
                                 "pre-calibration fpre_oral 0.39 [DER: 0.24/0.39]; not refitted"),
    "ka_sublingual": RouteValue("0.018 1/min", "sublingual mucosal absorption rate constant",
                                "calibrated to the sublingual Cmax and Tmax of Chong 2006 and Rolan "
                                "2014 (Br J Clin Pharmacol 77:1011) (scripts/calibrate.py)"),
    "F_intranasal": RouteValue("0.45", "intranasal racemic bioavailability (parent, whole dose)",
                               "Yanagihara 2003, 25 mg spray ≈0.45 (children 0.50, Malinovsky 1996; "
                               "Pharmacotherapy 2022: 0.11-0.17 at 10-50 mg)"),
    "ka_intranasal": RouteValue("0.050 1/min", "intranasal (nasal mucosa) absorption rate constant",
                                "calibrated to the 10/30/50-mg intranasal Cmax and Tmax of "
                                "Pharmacotherapy 2022 Table 6 (scripts/calibrate.py)"),
    "fsw_intranasal": assumed("0.46", "fraction of an intranasal dose swallowed",
                              "the esketamine nasal-spray value 1 - FRn (FRn 0.54 per device, "
                              "Perez-Ruixo 2021) applied to racemic sprays"),
    "F_rectal": RouteValue("0.30", "rectal racemic bioavailability",
                           "Yanagihara 2003, 50 mg suppository ≈0.30 (children 0.25, Malinovsky 1996)"),
    "fpre_rectal": assumed("0.10", "rectal dose fraction reaching the circulation as norketamine",
                           "F 0.30 read as absorbed fraction fa = 0.5 with half of the rectal venous "
                           "drainage reaching the portal vein [0.30 = fa(0.5 + 0.5 × 0.20)]; that "
                           "half converts like oral: 0.5 × 0.5 × fpre_oral"),
    "F_inhaled": assumed("0.70", "inhaled (nebulised) bioavailability",
                         "Jonkman 2017 S-ketamine value (0.70) applied to the racemate; no racemic "
                         "inhalation PK"),
}

VALUES = complete(_SPECIFIC)
__doc__ = f"{__doc__}\n{route_table(VALUES)}\n"

_HALVES = (("s_ketamine.central", 0.5), ("r_ketamine.central", 0.5))
#: S share of the parent that escapes oral first pass: F_S/(F_S + F_R) = 0.15/(0.15 + 0.19)
#: (Hasan 2021 Anesthesiology 135:326, racemic prolonged-release tablets, mean F per isomer).
S_SHARE_ORAL = 0.15 / (0.15 + 0.19)
_ENTERAL = (("s_ketamine.central", S_SHARE_ORAL), ("r_ketamine.central", 1.0 - S_SHARE_ORAL))

RACEMIC_DEFAULT = DrugModel(
    id="racemic.multiroute",
    name="Racemic ketamine default: COMPOSITE of S and R copies of Otto 2021 + ten-route layer",
    drug="racemic",
    citation=Citation(
        authors="ketpk composite of Otto ME, Bergmann KR, Jacobs G, van Esdonk MJ (2021) with R/S "
                "ratios from Wang 2019, Persson 2002, Hasan 2021",
        year=2021, title=otto2021.CITATION.title + " (enantiomer composite)",
        journal=otto2021.CITATION.journal, doi=otto2021.CITATION.doi),
    parameters=(CENTRAL_VOLUME,) + otto2021.PARAMETERS[1:] + (VENOUS_LINK,) + ENANTIOMER_PARAMETERS
    + route_parameters(VALUES),
    structure=_structure,
    routes=route_layer(VALUES, iv=iv_route(split=_HALVES, source="Otto 2021 (IV data)"),
                       central=_HALVES, enteral=_ENTERAL,
                       metabolite=(("s_norketamine.central", 0.5), ("r_norketamine.central", 0.5)),
                       species="ketamine"),
    population="adults (composite: S disposition from 48 healthy adults, Otto 2021)",
    sampling="venous",
    venous_link="k_av",
    covariate_range=otto2021.OTTO2021.covariate_range,
    variability=otto2021.OTTO2021.variability,
    residual_error=tuple(
        dataclasses.replace(error, analyte=prefix + error.analyte, assumption=(
            f"Otto 2021 S-{error.analyte} residual error applied to {prefix + error.analyte} of "
            "the racemate"))
        for prefix in ("", "s_", "r_") for error in otto2021.OTTO2021.residual_error),
    notes=(
        "COMPOSITE: no published adult racemic ketamine + norketamine table was retrievable; the "
        "racemate is two enantiomer copies of Otto 2021 (S) with scaled R clearances.",
        "Oral first pass is enantioselective: of the racemate's parent F_oral, S gets 44 % and R "
        "56 % (Hasan 2021: F S 0.15, R 0.19 from racemic tablets), on the oral route and the "
        "swallowed share of mucosal routes; other route values are shared by both enantiomers.",
        "Oral S-ketamine: in the racemate S escapes first pass about twice as well (F_S = 0.88 × "
        "F_oral ≈ 0.18; Hasan 2021 0.15) as pure S(+)-ketamine does (esketamine default 0.09; "
        "Fanta 2015 0.08). That is the reported R-ketamine inhibition of S-ketamine metabolism "
        "(Ihmsen 2001 Clin Pharmacol Ther 70:431, not retrieved here) acting on the first pass; "
        "systemic S clearance is the same in both forms (Wang 2019: 18.1 vs 18.4 mL/min/kg; Kamp "
        "2020 S-K curves of the two arms coincide), so no interaction acts after absorption.",
        "IIV (Otto 2021) acts on both enantiomers together (R values are S values × ratios).",
        "Sampling site: the compartments are arterial plasma; venous plasma (the default, "
        "sampling='venous') follows with the calibrated first-order delay k_av "
        "(ketpk.models._default_disposition); simulate(..., sampling='arterial') gives arterial "
        "plasma.",
    ) + otto2021.OTTO2021.notes,
    evidence="composite",
)

MODELS = (RACEMIC_DEFAULT,)
