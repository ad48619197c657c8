"""Clinical what-ifs: cited modifiers applied to any model (``model.with_scenario(...)``).

A scenario changes a model's typical values and records a label with its evidence; the label
travels into every result (``result.assumptions``). Interactions act on the intrinsic hepatic
clearance (CLint,H) and the gut-wall intrinsic clearance (CLint,G) of the parent drug:

* a model with a hepatic structure is changed through it: Ashraf 2018 (``CLINT_H_SK``,
  ``CLINT_GW_SK``), Perez-Ruixo 2021 (``kel`` and ``kmet`` of the hepato-portal compartment;
  ``Fgut`` read as a well-stirred gut wall, ``Fgut' = 1/(1 + g·(1/Fgut − 1))``);
* any other listed model through a well-stirred reading of its clearance ``CL`` and oral ``F``
  (:func:`well_stirred_reading`): hepatic extraction ``E = 1 − F_oral/F_G`` with ``F_G`` the
  Ashraf 2018 gut-wall availability, all parent clearance hepatic; a fold ``h`` on CLint,H gives
  ``E' = hE/(1 − E + hE)``, ``CL' = CL·E'/E`` and ``F_oral' = F_G'·(1 − E')``.

Each perpetrator's folds ``h`` (liver) and ``g`` (gut wall) are calibrated in closed form on the
Ashraf 2018 typical subject (the model built from the same Turku volunteer studies) so that its
study's AUC ratio is reproduced: oral AUC ratio = (F_G'/F_G)/h, IV AUC ratio = CL/CL'.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from . import models
from .errors import ParameterError
from .registry import lookup
from .model import DrugModel
from .units import Q_

__all__ = ["Study", "Interaction", "HepaticImpairment", "INTERACTIONS", "interaction", "resolve", "well_stirred_reading",
           "reference_liver"]


@dataclass(frozen=True, slots=True)
class Study:
    """A published interaction study: AUC0-∞ ratio (perpetrator / control) of the parent.

    ``ratio_range`` is the study's own CI or range where the abstract gives one, else None.
    ``norketamine`` is a published norketamine ratio (perpetrator / control) not used for
    calibration: ``("NK/K AUC", 0.46)`` (metabolite-to-parent AUC ratio) or ``("NK AUC", 0.82)``.
    """

    citation: str
    doi: str
    route: str
    dose: str
    n: int
    ratio: float
    ratio_range: tuple[float, float] | None = None
    finding: str = ""
    norketamine: tuple[str, float] | None = None


_HAGELBERG2010 = Study(
    "Hagelberg NM, Peltoniemi MA, Saari TI, Kurkinen KJ, Laine K, Neuvonen PJ, Olkkola KT. "
    "Clarithromycin, a potent inhibitor of CYP3A, greatly increases exposure to oral S-ketamine. "
    "Eur J Pain 2010;14(6):625-629", "10.1016/j.ejpain.2009.10.003", "oral", "0.2 mg/kg", 10, 2.6,
    finding="clarithromycin × 4 d: S-ketamine AUC0-∞ 2.6-fold, Cmax 3.6-fold; "
            "norketamine/ketamine AUC −54 % (abstract)", norketamine=("NK/K AUC", 0.46))
_PELTONIEMI2011 = (
    "Peltoniemi MA, Saari TI, Hagelberg NM, Reponen P, Turpeinen M, Laine K, Neuvonen PJ, Olkkola KT. "
    "Exposure to oral S-ketamine is unaffected by itraconazole but greatly increased by ticlopidine. "
    "Clin Pharmacol Ther 2011;90(2):296-302", "10.1038/clpt.2011.140")
_RIFAMPICIN2012 = (
    "Peltoniemi MA, Saari TI, Hagelberg NM, Laine K, Kurkinen KJ, Neuvonen PJ, Olkkola KT. "
    "Rifampicin has a profound effect on the pharmacokinetics of oral S-ketamine and less on "
    "intravenous S-ketamine. Basic Clin Pharmacol Toxicol 2012;111(5):325-332",
    "10.1111/j.1742-7843.2012.00908.x")

_STUDIES: dict[str, Study] = {
    "clarithromycin": _HAGELBERG2010,
    "ticlopidine": Study(*_PELTONIEMI2011, "oral", "0.2 mg/kg", 11, 2.4,
                         finding="ticlopidine 250 mg bid × 6 d: S-ketamine AUC0-∞ 2.4-fold (abstract)"),
    "itraconazole": Study(*_PELTONIEMI2011, "oral", "0.2 mg/kg", 11, 1.0,
                          finding="itraconazole 200 mg daily × 6 d 'did not increase the exposure to "
                                  "S-ketamine' (abstract; ratio read as 1, no number given)"),
    "rifampicin_iv": Study(*_RIFAMPICIN2012, "iv", "0.1 mg/kg", 11, 0.86,
                           finding="rifampicin 600 mg × 6 d: IV S-ketamine AUC0-∞ −14 % (abstract)"),
    "rifampicin_oral": Study(*_RIFAMPICIN2012, "oral", "0.3 mg/kg", 11, 0.14,
                             finding="rifampicin 600 mg × 6 d: oral S-ketamine AUC0-∞ −86 % (abstract)"),
    "rifampicin_noppers": Study(
        "Noppers I, Olofsen E, Niesters M, Aarts L, Mooren R, Dahan A, Kharasch E, Sarton E. Effect "
        "of rifampicin on S-ketamine and S-norketamine plasma concentrations in healthy volunteers "
        "after intravenous S-ketamine administration. Anesthesiology 2011;114(6):1435-1445",
        "10.1097/ALN.0b013e318218a881", "iv", "20 or 40 mg/70 kg/h × 2 h", 20, 0.90,
        finding="rifampicin 600 mg × 5 d: S-ketamine AUC −10 %, S-norketamine AUC −50 % (abstract)"),
    "grapefruit_juice": Study(
        "Peltoniemi MA, Saari TI, Hagelberg NM, Laine K, Neuvonen PJ, Olkkola KT. S-ketamine "
        "concentrations are greatly increased by grapefruit juice. Eur J Clin Pharmacol "
        "2012;68(6):979-986", "10.1007/s00228-012-1214-9", "oral", "0.2 mg/kg", 12, 3.0, (2.4, 3.6),
        finding="grapefruit juice 200 mL tid × 5 d: AUC0-∞ 3.0-fold (range 2.4-3.6), t½ +24 %, "
                "norketamine/ketamine AUC −57 % (abstract)", norketamine=("NK/K AUC", 0.43)),
    "st_johns_wort": Study(
        "Peltoniemi MA, Saari TI, Hagelberg NM, Laine K, Neuvonen PJ, Olkkola KT. St John's wort "
        "greatly decreases the plasma concentrations of oral S-ketamine. Fundam Clin Pharmacol "
        "2012;26(6):743-750", "10.1111/j.1472-8206.2011.00954.x", "oral", "0.3 mg/kg", 12, 0.42,
        finding="St John's wort × 14 d: AUC0-∞ −58 %, Cmax −66 %; norketamine AUC −18 % (abstract)",
        norketamine=("NK AUC", 0.82)),
}


@dataclass(frozen=True, slots=True)
class ReferenceLiver:
    """Typical Ashraf 2018 subject (70 kg): flows in L/h, availabilities as fractions."""

    q_gut: float        # QGUT (L/h)
    clint_gut: float    # CLint,GW × fu,GW (L/h)
    e_h: float          # hepatic extraction

    @property
    def f_g(self) -> float:
        return self.q_gut / (self.q_gut + self.clint_gut)

    def f_g_scaled(self, g: float) -> float:
        """Gut-wall availability with CLint,GW × g."""
        return self.q_gut / (self.q_gut + g * self.clint_gut)

    def oral_ratio(self, h: float, g: float) -> float:
        """Oral AUC ratio (F_G'/F_G)/h (well-stirred: AUC_oral = F_G·dose/(fu·CLint,H))."""
        return self.f_g_scaled(g) / self.f_g / h

    def iv_ratio(self, h: float) -> float:
        """IV AUC ratio CL/CL' = E/E'."""
        return self.e_h / (h * self.e_h / (1 - self.e_h + h * self.e_h))


@lru_cache(maxsize=1)
def reference_liver() -> ReferenceLiver:
    """The Ashraf 2018 typical subject's gut wall and liver (calibration reference)."""
    p = models.get("esketamine.ashraf2018").individual({}, {}, 1)
    h_per_min = 60.0
    qgut = float(p.QVI[0] * p.CLP[0] / (p.QVI[0] + p.CLP[0])) * h_per_min
    return ReferenceLiver(qgut, float(p.CLINT_GW_SK[0] * p.FU_GW_SK[0]) * h_per_min, float(p.E_H[0]))


def _solve(f: Callable[[float], float], target: float) -> float:
    """x in [1e-3, 1e3] with f(x) = target (f monotone)."""
    from scipy.optimize import brentq  # scipy.optimize loads only when a fold is first needed

    return float(brentq(lambda x: np.log(f(x) / target), 1e-3, 1e3, xtol=1e-12))


@dataclass(frozen=True)
class Interaction:
    """A perpetrator drug: folds on CLint,H and CLint,G of the parent, calibrated to studies.

    ``sites`` says where it acts: ``("liver",)`` or ``("liver", "gut")`` (the same fold on both,
    when one oral study cannot separate them) or ``"separate"`` (IV and oral studies give one
    fold each). ``checks`` are further studies not used for calibration.
    """

    name: str
    mechanism: str
    sites: str
    calibration: tuple[Study, ...]
    checks: tuple[Study, ...] = ()
    site_reason: str = ""

    @property
    def folds(self) -> tuple[float, float]:
        """(h, g): the calibrated folds on CLint,H and CLint,G (1 = no change)."""
        return _folds(self)

    @property
    def label(self) -> str:
        h, g = self.folds
        studies = "; ".join(f"{s.citation}. doi:{s.doi}" for s in self.calibration)
        return (f"interaction {self.name} ({self.mechanism}): CLint,H × {h:.3g}, CLint,G × {g:.3g}, "
                f"calibrated on Ashraf 2018 to the published AUC ratio{'s' if len(self.calibration) > 1 else ''} "
                f"({', '.join(f'{s.route} {s.ratio:g}' for s in self.calibration)}); {self.site_reason} "
                f"[{studies}]")

    def apply(self, model: DrugModel) -> DrugModel:
        """``model`` with the perpetrator's folds applied (see the module docstring)."""
        h, g = self.folds
        return _modify(model, h, g, self.label)


@lru_cache(maxsize=None)
def _folds(inter: Interaction) -> tuple[float, float]:
    ref = reference_liver()
    by_route = {s.route: s.ratio for s in inter.calibration}
    if inter.sites == "liver":
        return 1.0 / by_route["oral"], 1.0
    if inter.sites == "liver+gut":
        f = _solve(lambda x: ref.oral_ratio(x, x), by_route["oral"])
        return f, f
    if inter.sites == "separate":
        h = _solve(ref.iv_ratio, by_route["iv"])
        g = _solve(lambda x: ref.oral_ratio(h, x), by_route["oral"])
        return h, g
    raise ParameterError(f"`sites` must be 'liver', 'liver+gut' or 'separate'; got {inter.sites!r}.")


_EQUAL = ("one oral study cannot separate gut wall from liver; the same fold is assumed on both "
          "(ASSUMPTION)")

INTERACTIONS: dict[str, Interaction] = {
    "clarithromycin": Interaction("clarithromycin", "CYP3A4 inhibitor", "liver+gut",
                                  (_STUDIES["clarithromycin"],), site_reason=_EQUAL),
    "itraconazole": Interaction("itraconazole", "CYP3A4 inhibitor, no effect observed", "liver+gut",
                                (_STUDIES["itraconazole"],), site_reason=_EQUAL),
    "ticlopidine": Interaction("ticlopidine", "CYP2B6 inhibitor", "liver", (_STUDIES["ticlopidine"],),
                               site_reason="CYP2B6 is hepatic (little in the gut wall); liver only "
                                           "(ASSUMPTION, as in Ashraf 2018's hepatic inhibition)"),
    "rifampicin": Interaction("rifampicin", "CYP3A4/CYP2B6 inducer", "separate",
                              (_STUDIES["rifampicin_iv"], _STUDIES["rifampicin_oral"]),
                              checks=(_STUDIES["rifampicin_noppers"],),
                              site_reason="the IV arm fixes the liver fold, the oral arm the gut wall"),
    "grapefruit_juice": Interaction("grapefruit juice", "intestinal (and hepatic) CYP3A4 inhibitor",
                                    "liver+gut", (_STUDIES["grapefruit_juice"],),
                                    site_reason="gut wall alone cannot give 3.0-fold when F_G = 0.74 "
                                                "and the half-life rose 24 %; " + _EQUAL),
    "st_johns_wort": Interaction("St John's wort", "CYP3A4 inducer", "liver+gut",
                                 (_STUDIES["st_johns_wort"],), site_reason=_EQUAL),
}


#: Steelandt 2015 typical unbound AUC ratios (cirrhosis / healthy) by Child-Pugh class.
_STEELANDT = {"A": 2.0, "B": 3.5}


@dataclass(frozen=True)
class HepaticImpairment:
    """Child-Pugh class A or B as a fold 1/ratio on CLint,H (liver only). EXTRAPOLATION.

    Steelandt J, Jean-Bart E, Goutelle S, Tod M. A prediction model of drug exposure in
    cirrhotic patients according to Child-Pugh classification. Clin Pharmacokinet
    2015;54(12):1245-1258. doi:10.1007/s40262-015-0288-9: for mild and moderate cirrhosis "the
    predicted unbound AUC ratio is typically approximately 2 and 3.5, respectively, for most
    drugs" (abstract). Not ketamine data: with a well-stirred liver the oral AUC rises by that
    ratio and the IV AUC by less; portal-systemic shunting and protein binding are not modelled;
    class C is refused (no value).
    """

    child_pugh: str

    def __post_init__(self) -> None:
        if self.child_pugh not in _STEELANDT:
            raise ParameterError(f"`child_pugh` must be 'A' or 'B' (class C has no value to "
                                 f"extrapolate from); got {self.child_pugh!r}.")

    @property
    def label(self) -> str:
        ratio = _STEELANDT[self.child_pugh]
        return (f"hepatic impairment Child-Pugh {self.child_pugh}: CLint,H × 1/{ratio:g} "
                f"(EXTRAPOLATION: Steelandt 2015 typical unbound AUC ratio {ratio:g} for most "
                "drugs, not ketamine data; Clin Pharmacokinet 54:1245, doi:10.1007/s40262-015-0288-9; "
                "the esketamine label reports higher AUC and half-life in Child-Pugh B without "
                "numbers retrieved here; shunting and protein binding not modelled)")

    def apply(self, model: DrugModel) -> DrugModel:
        """``model`` with CLint,H divided by the class's ratio."""
        return _modify(model, 1.0 / _STEELANDT[self.child_pugh], 1.0, self.label)


def interaction(name: str) -> Interaction:
    """The calibrated :class:`Interaction` called ``name`` (e.g. ``"clarithromycin"``)."""
    return lookup(INTERACTIONS, name, "interaction", error=ParameterError)


# -- how a fold reaches a model ------------------------------------------------------------

#: Parent clearance parameter of models read through the well-stirred liver.
_CLEARANCE = {
    "esketamine.multiroute": "CL", "esketamine.otto2021": "CL", "esketamine.noppers2011": "CL",
    "esketamine.flint2017": "Clsk", "racemic.multiroute": "CL", "racemic.kamp2020": "CL",
    "racemic.herd2007": "CL", "racemic.elkomy2015": "CL", "racemic.sherwin2015": "CL",
    "racemic.hornik2018": "CL", "racemic.clements1981": "k10", "racemic.hijazi2003": "k10",
    "racemic.domino1982": "k10",
}
#: Mucosal routes of the route layer whose swallowed share follows F_oral.
_SWALLOWED = ("sublingual", "buccal", "intranasal")


def _typical(model: DrugModel, name: str) -> float:
    return float(model.parameter(name).value.magnitude)


def _scaled(model: DrugModel, values: Mapping[str, float], label: str) -> DrugModel:
    """``model`` with typical values replaced (same units), sources marked with ``label``."""
    params = []
    for p in model.parameters:
        if p.name in values:
            p = replace(p, value=Q_(values[p.name], p.value.units),
                        source=f"{p.source}; changed by scenario")
        params.append(p)
    return replace(model, parameters=tuple(params), scenarios=model.scenarios + (label,))


def well_stirred_reading(model: DrugModel) -> tuple[float, float, str]:
    """(E, F_G, id): hepatic extraction and gut-wall availability read from a model (fractions).

    ``F_G`` is the Ashraf 2018 typical gut-wall availability; ``E = 1 − F_oral/F_G`` with the
    model's own ``F_oral`` or, without one, that of the default model ``id`` of the same drug.
    """
    f_g = reference_liver().f_g
    source = model if "F_oral" in {p.name for p in model.parameters} else models.get(model.drug)
    f_oral = _typical(source, "F_oral")
    if not 0 < f_oral < f_g:
        raise ParameterError(f"a well-stirred reading needs 0 < F_oral < F_G = {f_g:.3f}; model "
                             f"{model.id!r} has F_oral = {f_oral:g}. Lower F_oral or use a model "
                             "with a hepatic structure (esketamine.ashraf2018).")
    return 1.0 - f_oral / f_g, f_g, source.id


def _gut(f_g: float, g: float) -> float:
    """Well-stirred gut-wall availability after CLint,G × g."""
    return 1.0 / (1.0 + g * (1.0 / f_g - 1.0))


def _modify(model: DrugModel, h: float, g: float, label: str) -> DrugModel:
    names = {p.name for p in model.parameters}
    if {"CLINT_H_SK", "CLINT_GW_SK"} <= names:  # Ashraf 2018 hepatic structure
        return _scaled(model, {"CLINT_H_SK": h * _typical(model, "CLINT_H_SK"),
                               "CLINT_GW_SK": g * _typical(model, "CLINT_GW_SK")}, label)
    if {"kel", "kmet", "Fgut", "Vh"} <= names:  # Perez-Ruixo 2021 hepato-portal compartment
        return _scaled(model, {"kel": h * _typical(model, "kel"), "kmet": h * _typical(model, "kmet"),
                               "Fgut": _gut(_typical(model, "Fgut"), g)},
                       label + "; Perez-Ruixo 2021: kel and kmet × CLint,H fold, Fgut as a "
                               "well-stirred gut wall")
    if model.id not in _CLEARANCE:
        raise ParameterError(
            f"model {model.id!r} has no hepatic reading for an interaction; use one of "
            f"esketamine.ashraf2018, esketamine.perezruixo2021 or {', '.join(sorted(_CLEARANCE))}."
        )
    if any("CLint,H" in label for label in model.scenarios):
        raise ParameterError(
            f"model {model.id!r} already has a liver scenario; its well-stirred reading starts from "
            "the published F_oral, so apply one interaction or hepatic impairment to it (with "
            "esketamine.ashraf2018 or esketamine.perezruixo2021 they stack: their folds multiply).")
    e, f_g, source = well_stirred_reading(model)
    e_new = h * e / (1 - e + h * e)
    values = {_CLEARANCE[model.id]: _typical(model, _CLEARANCE[model.id]) * e_new / e}
    note = (f"; well-stirred reading of {model.id}: E {e:.3f} (F_oral of {source}, "
            f"F_G {f_g:.3f} of Ashraf 2018) → {e_new:.3f}, {_CLEARANCE[model.id]} × {e_new / e:.3g}")
    if "F_oral" in names:
        f_g_new = _gut(f_g, g)
        f_oral = _typical(model, "F_oral")
        f_oral_new = f_g_new * (1 - e_new)
        extracted = 1 - f_g * (1 - e)
        values["F_oral"] = f_oral_new
        values["fpre_oral"] = _typical(model, "fpre_oral") * (1 - f_g_new * (1 - e_new)) / extracted
        for route in _SWALLOWED:
            values[f"F_{route}"] = (_typical(model, f"F_{route}")
                                    + _typical(model, f"fsw_{route}") * (f_oral_new - f_oral))
        note += (f"; F_oral {f_oral:.3g} → {f_oral_new:.3g}, fpre_oral by the extracted fraction, "
                 f"the swallowed share of {', '.join(_SWALLOWED)} follows F_oral; rectal first pass "
                 "unchanged (its portal share is itself an assumption)")
    if model.drug == "racemic":
        note += ("; EXTRAPOLATION: the studies gave S-ketamine; R-ketamine is assumed to share "
                 "its enzymes and folds")
    return _scaled(model, values, label + note)


def resolve(scenario: Any) -> tuple[Any, ...]:
    """Scenario objects from ``None``, an object, an interaction name or a sequence of them."""
    if scenario is None:
        return ()
    items = scenario if isinstance(scenario, (list, tuple)) else (scenario,)
    return tuple(interaction(s) if isinstance(s, str) else s for s in items)

