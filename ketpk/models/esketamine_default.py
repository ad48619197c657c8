"""Default S(+)-ketamine model: Otto 2021 disposition with a route layer for ten routes.

Disposition: Otto 2021 (S-ketamine 3 compartments fixed to Fanta 2015, S-norketamine
2 compartments, all S-ketamine cleared forms S-norketamine), healthy adults — see
:mod:`ketpk.models.otto2021` — with the central (arterial) volume and the arterio-venous link
shared with the racemic default and calibrated (:mod:`ketpk.models._default_disposition`). Routes: :mod:`ketpk.models._route_layer`; presystemic
S-norketamine enters the S-norketamine central compartment mass-for-mass, like systemic
formation in Otto's model.

Route table: appended below from the parameter values (``A`` = ASSUMPTION; every value's
source or reasoning is in ``model.describe()``). D = zero-order phase, fpre = dose fraction
reaching the circulation as norketamine formed presystemically, fsw = swallowed fraction.

Mucosal routes (sublingual, buccal, intranasal): a fraction fsw of the dose is swallowed and
follows the oral route (F_oral, fpre_oral, D_oral, ka_oral); the mucosal share's parent
fraction is F - fsw·F_oral.
"""

from __future__ import annotations

from ..model import DrugModel
from ..routes import iv_route
from . import otto2021
from ._default_disposition import CENTRAL_VOLUME, VENOUS_LINK
from ._route_layer import RouteValue, assumed, complete, route_layer, route_parameters, route_table

_SPECIFIC: dict[str, RouteValue] = {
    "F_im": assumed("0.93", "IM bioavailability",
                    "racemic adult value (Clements 1982 J Pharm Sci 71:539, via secondary summaries) "
                    "applied to S-ketamine: passive muscle absorption is not enantioselective"),
    "F_oral": RouteValue("0.09", "oral S-ketamine bioavailability (parent)",
                         "Peltoniemi 2016 Clin Pharmacokinet 55:1059 review range 8-11 % (via Bell & "
                         "Kalso 2018); Fanta 2015 Eur J Clin Pharmacol 71:441 popPK 0.08"),
    "fpre_oral": RouteValue("0.49", "oral dose fraction reaching the circulation as S-norketamine "
                            "formed presystemically",
                            "calibrated to the S-norketamine Cmax of the swallowed shares of Huge 2010 "
                            "(Eur J Pain 14:387, intranasal) and Simons 2022 (Front Pain Res 3:946486, "
                            "oral thin film) (scripts/calibrate.py); before calibration 0.81, from the "
                            "Fanta 2015 simulated steady-state S-NK/S-K AUC ratio 16.5 (now 10.6); "
                            "F + fpre = 0.58 "
                            "lies between Perez-Ruixo 2021 (0.51) and Ashraf 2018 (≈1, Fmet = 1)"),
    "ka_oral": RouteValue("0.97 1/h", "oral absorption rate constant",
                          "Perez-Ruixo 2021 Table 3, ka_po (esketamine oral solution)"),
    "F_sublingual": RouteValue("0.26", "sublingual S-ketamine bioavailability (parent, whole dose)",
                               "Simons 2022 Front Pain Res 3:946486, F 26 ± 1 % (oral thin film)"),
    "fsw_sublingual": RouteValue("0.737", "fraction of a sublingual dose swallowed",
                                 "Simons 2022: the film not absorbed locally (1 - F1, F1 = 0.263) "
                                 "is swallowed"),
    "ka_sublingual": RouteValue("0.094 1/min", "sublingual mucosal absorption rate constant",
                                "calibrated to the arterial S-ketamine Cmax and AUC0-6h of Simons 2022 "
                                "(50 and 100 mg oral thin film) (scripts/calibrate.py); Simons' own "
                                "KA1 0.04 /min (Table 4, via nlmixr2lib) goes with Simons' disposition"),
    "F_intranasal": RouteValue("0.487", "intranasal esketamine bioavailability (parent, whole dose)",
                               "Perez-Ruixo 2021 Clin Pharmacokinet 60:501 at 56 mg (two 28-mg "
                               "devices): nasal FRn_eff 0.437 + swallowed 0.563 × F_oral 0.09 = 0.487 "
                               "[DER]; Spravato label mean ≈ 0.48 (Perez-Ruixo's own 0.54 uses its "
                               "swallowed F 0.186)"),
    "ka_intranasal": RouteValue("1.55 1/h", "intranasal (nasal mucosa) absorption rate constant",
                                "calibrated to the intranasal S-ketamine Cmax of Huge 2010 and the "
                                "Spravato label Tmax (20-40 min after the last device) with the venous "
                                "link (scripts/calibrate.py); Perez-Ruixo 2021's ka_n 2.93 /h (Table 3) "
                                "goes with its venous model without a link"),
    "fsw_intranasal": RouteValue("0.563", "fraction of an intranasal dose swallowed",
                                 "Perez-Ruixo 2021: 1 - FRn_eff at 56 mg = 1 - 0.54 × (1 + 0.62)/2"),
    "F_rectal": assumed("0.27", "rectal S-ketamine bioavailability",
                        "no S-ketamine rectal data; racemic 0.30 (Yanagihara 2003) read as half the "
                        "rectal venous drainage bypassing the liver: F = fa × (0.5 + 0.5 × F_oral) "
                        "gives fa = 0.5 for the racemate; with F_oral = 0.09: 0.5 × 0.545 = 0.27"),
    "fpre_rectal": assumed("0.20", "rectal dose fraction reaching the circulation as S-norketamine",
                           "the portal-drained half of the absorbed fraction (fa = 0.5) converts like "
                           "oral: 0.5 × 0.5 × fpre_oral = 0.20"),
    "F_inhaled": RouteValue("0.70", "inhaled (nebulised) S-ketamine bioavailability",
                            "Jonkman 2017 Anesthesiology 127:675, dose-independent F 0.70 ± 0.05 "
                            "(lower at high concentrations, not modelled)"),
}

VALUES = complete(_SPECIFIC)
__doc__ = f"{__doc__}\n{route_table(VALUES)}\n"

ESKETAMINE_DEFAULT = DrugModel(
    id="esketamine.multiroute",
    name="S(+)-ketamine default: Otto 2021 disposition (calibrated V1, arterio-venous link) + ten-route layer",
    drug="esketamine",
    citation=otto2021.CITATION,
    parameters=(CENTRAL_VOLUME,) + otto2021.PARAMETERS[1:] + (VENOUS_LINK,) + route_parameters(VALUES),
    structure=otto2021.OTTO2021.structure,
    routes=route_layer(VALUES, iv=iv_route(source="Otto 2021 (IV data)"),
                       central="ketamine.central", metabolite="norketamine.central",
                       species="s_ketamine"),
    population="adults; disposition from 48 healthy adults (Otto 2021), route values from the "
               "cited route studies",
    sampling="venous",
    venous_link="k_av",
    covariate_range=otto2021.OTTO2021.covariate_range,
    variability=otto2021.OTTO2021.variability,
    residual_error=otto2021.OTTO2021.residual_error,
    notes=otto2021.OTTO2021.notes + (
        "Route layer: every route value cites its source or is labelled ASSUMPTION; see the "
        "module docstring table and ketpk.models._route_layer.",
        "Sampling site: the compartments are arterial plasma (V1 calibrated, shared with the "
        "racemic default); venous plasma (the default, sampling='venous') follows with the "
        "calibrated first-order delay k_av; simulate(..., sampling='arterial') gives arterial "
        "plasma (Simons 2022, Jonkman 2017, Kamp 2020 sampled arterial blood).",
    ),
    evidence="composite",
)

MODELS = (ESKETAMINE_DEFAULT,)
