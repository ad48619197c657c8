"""The registry of published observed ketamine studies (one :class:`Study` per arm).

Every value is an observed statistic as printed in the cited paper (abstract or table); where
only a secondary source or a third-party digitisation was available, ``source_note`` says so.
Regimens are as published; what a paper leaves out (infusion length, body weight) is an
``assumption`` of the study entry, stated there.
"""

from __future__ import annotations

from ..citations import Citation
from ..models.otto2021 import CITATION as OTTO_2021
from ..models.simons2022 import CITATION as SIMONS_2022
from ..protocols.citations import ZARATE_2006
from ..regimen import Bolus, Infusion, Regimen
from .studies import Observation as O
from .studies import Statistic, Study

__all__ = ["STUDIES", "study"]


def _sd(v, sd, n=None):
    return Statistic("mean_sd", v, (sd,), n)


def _gm(v, gsd, n=None):
    return Statistic("geomean_gsd", v, (gsd,), n)


def _med(v, lo, hi, n=None):
    return Statistic("median_range", v, (lo, hi), n)


def _pt(v, n=None):
    return Statistic("point", v, (), n)


PHARMACOTHERAPY_2022 = Citation(
    authors="authors not retrieved (author manuscript PMC9118341)", year=2022,
    title="intranasal vs intravenous racemic ketamine pharmacokinetics (Table 6; title not retrieved)",
    journal="Pharmacotherapy 42(4):298-310", doi="10.1002/phar.2669")
CHONG_2006 = Citation(
    authors="Chong C, Schug S, Page-Sharp M, Ilett K", year=2006,
    title="Bioavailability of ketamine after oral or sublingual administration (meeting abstract)",
    journal="Pain Med 7(5):469",
    pmid="none found: a meeting abstract (Pain Med 2006 Sep-Oct;7(5):469), searched by title and "
         "authors; its text at ketamine.com/bioavailability.html")
ROLAN_2014 = Citation(
    authors="Rolan P, Lim S, Sunderland V, Liu Y, Molnar V", year=2014,
    title="The absolute bioavailability of racemic ketamine from a novel sublingual formulation",
    journal="Br J Clin Pharmacol 77(6):1011-1016", doi="10.1111/bcp.12264")
YANAGIHARA_2003 = Citation(
    authors="Yanagihara Y, Ohtani M, Kariya S, Uchino K, Hiraishi T, Ashizawa N, Aoyama T, "
            "Yamamura Y, Yamada Y, Iga T", year=2003,
    title="Plasma concentration profiles of ketamine and norketamine after administration of "
          "various ketamine preparations to healthy Japanese volunteers",
    journal="Biopharm Drug Dispos 24(1):37-43", doi="10.1002/bdd.336")
HASAN_2021 = Citation(
    authors="Hasan M, Modess C, Roustom T, et al.", year=2021,
    title="Chiral pharmacokinetics and metabolite profile of prolonged-release ketamine tablets "
          "in healthy human subjects",
    journal="Anesthesiology 135(2):326-339", doi="10.1097/ALN.0000000000003829")
WANG_2019 = Citation(
    authors="Wang J, Huang J, Yang S, Cui C, Ye L, Wang S, Yang G, Pei Q", year=2019,
    title="Pharmacokinetics and safety of esketamine in Chinese patients undergoing painless "
          "gastroscopy in comparison with ketamine: a randomized, open-label clinical study",
    journal="Drug Des Devel Ther 13:4135-4144", doi="10.2147/DDDT.S224553")
PERSSON_2002 = Citation(
    authors="Persson J, et al.", year=2002,
    title="Pharmacokinetics and non-analgesic effects of S- and R-ketamines in healthy volunteers "
          "with normal and reduced metabolic capacity",
    journal="Eur J Clin Pharmacol 57(12):869-875",
    pmid="none found in the retrievable sources (searched by title; library record: Springer, "
         "February 2002, with the abstract)")
KAMP_2020 = Citation(
    authors="Kamp J, et al.", year=2020,
    title="Pharmacokinetics of ketamine and its major metabolites norketamine, hydroxynorketamine "
          "and dehydronorketamine: a model-based analysis", journal="Br J Anaesth 125(5):750-761",
    doi="10.1016/j.bja.2020.06.067", pmid="32838982")
HUGE_2010 = Citation(
    authors="Huge V, Lauchart M, Magerl W, Schelling G, Beyer A, Thieme D, Azad SC", year=2010,
    title="Effects of low-dose intranasal (S)-ketamine in patients with neuropathic pain",
    journal="Eur J Pain 14(4):387-394", doi="10.1016/j.ejpain.2009.08.002")
HIRLINGER_1984 = Citation(
    authors="Hirlinger WK, Dick W", year=1984,
    title="Intramuscular ketamine analgesia in emergency patients. II. Clinical study of "
          "traumatized patients", journal="Anaesthesist 33(6):272-275", pmid="6476334")
GRANT_1981 = Citation(
    authors="Grant IS, Nimmo WS, Clements JA", year=1981,
    title="Pharmacokinetics and analgesic effects of i.m. and oral ketamine",
    journal="Br J Anaesth 53(8):805-810 (DOI not checked)", doi="10.1093/bja/53.8.805")
FANTA_2015 = Citation(
    authors="Fanta S, Kinnunen M, Backman JT, Kalso E", year=2015,
    title="Population pharmacokinetics of S-ketamine and norketamine in healthy volunteers after "
          "intravenous and oral dosing", journal="Eur J Clin Pharmacol 71(4):441-447",
    doi="10.1007/s00228-015-1826-y")
WEBER_2004 = Citation(
    authors="Weber F, Wulf H, Gruber M, Biallas R", year=2004,
    title="S-ketamine and s-norketamine plasma concentrations after nasal and i.v. administration "
          "in anesthetized children", journal="Paediatr Anaesth 14(12):983-988",
    doi="10.1111/j.1460-9592.2004.01358.x")
MALINOVSKY_1996 = Citation(
    authors="Malinovsky JM, Servin F, Cozian A, Lepage JY, Pinaud M", year=1996,
    title="Ketamine and norketamine plasma concentrations after i.v., nasal and rectal "
          "administration in children", journal="Br J Anaesth 77(2):203-207",
    doi="10.1093/bja/77.2.203")
SPRAVATO = Citation(
    authors="Janssen Pharmaceuticals", year=2019,
    title="SPRAVATO (esketamine) nasal spray, prescribing information, section 12.3 (via J&J "
          "Medical Information and label summaries)", journal="US FDA label",
    pmid="label NDA 211243")

_PT_AUC_IN = ("AUC window not retrieved: the printed F 11-17 % (AUC-based) disagrees with the "
              "Cmax/D of the same arms (consistent with F ≈ 0.3-0.45, Yanagihara 2003), so the "
              "intranasal AUCs look truncated (AUC0-t over a short sampling); not compared")
_PT_AUC_NK = ("AUC window not retrieved: NK/K AUC 0.19 after IV, against ≥ 0.9 in every other "
              "IV study (Kamp 2020, Otto 2021), looks truncated; not compared")
_NOT_GIVEN = "body weight not given in the retrieved text: 70 kg assumed"
_H = 1 / 60  # one minute in hours
_KAMP_NOTE = ("mean curves digitised by a third party (GitHub indand21/ketamine_therapeutic_window, "
              "docs/validation/digitized, 'Kamp 2020 Br J Anaesth 125:750, Fig 1'); the 3 × 60-min "
              "escalation (racemic 0.28/0.57/1.14 mg/kg/h; S 0.14/0.28/0.57 mg/kg/h) is from "
              "Olofsen 2022 via the same repository: regimen UNVERIFIED against the paper")
_KAMP_RAC = Regimen([Infusion(f"{k} h", rate=f"{r} mg/kg/h", duration="1 h")
                     for k, r in enumerate((0.28, 0.57, 1.14))])
_KAMP_S = Regimen([Infusion(f"{k} h", rate=f"{r} mg/kg/h", duration="1 h")
                   for k, r in enumerate((0.14, 0.28, 0.57))])
_UMOL = {"s_ketamine": 237.73, "r_ketamine": 237.73, "s_norketamine": 223.70, "r_norketamine": 223.70}


def _kamp(analyte: str, points: dict[float, float]) -> tuple[O, ...]:
    """Digitised Kamp 2020 means (nmol/mL) as ng/mL concentrations at ``points`` (h)."""
    return tuple(O("conc", analyte, _pt(round(c * _UMOL[analyte], 1), 20), time_h=t,
                   note="digitised mean") for t, c in points.items())


STUDIES: tuple[Study, ...] = (
    # -- racemic, adults ------------------------------------------------------------------------
    Study("pharmacotherapy2022_iv10", PHARMACOTHERAPY_2022, "racemic",
          "adults (population not retrieved)", Bolus("0 min", "10 mg"), "10 mg IV", "iv", "venous",
          70.0, (
              O("cmax", "ketamine", _gm(296, 1.71, 9), time_h=24, first_h=2 * _H,
                note="Tmax 2 min (GSD 1): the first sample, taken at 2 min"),
              O("auc", "ketamine", _pt(113, 9), note="AUC (µg·h/L), geometric mean, GSD not printed"),
              O("cmax", "norketamine", _gm(2.8, 1.86, 8), time_h=24,
                exclude="printed 2.8 ng/mL contradicts the printed Cmax/D 2.7 (ng/mL)/mg and the "
                        "NK/K ratio 0.089 × 296 = 26 ng/mL; transcription error, not compared"),
              O("auc", "norketamine", _pt(22, 8), exclude=_PT_AUC_NK),
          ), source_note="Table 6 of the author manuscript (PMC9118341/table/T6), geometric means",
          assumptions=("IV given as a bolus (infusion length not retrieved; Tmax 2 min)", _NOT_GIVEN,
                       "venous sampling assumed (not stated in the retrieved table)")),
    *(Study(f"pharmacotherapy2022_in{d}", PHARMACOTHERAPY_2022, "racemic",
            "adults (population not retrieved)", Bolus("0 min", f"{d} mg", "intranasal"),
            f"{d} mg intranasal", "intranasal", "venous", 70.0, (
                O("cmax", "ketamine", _gm(k, kg, nk), time_h=24),
                O("tmax", "ketamine", _gm(tk, tkg, nk), time_h=24),
                O("cmax", "norketamine", _gm(n, ng, nn), time_h=24),
                O("tmax", "norketamine", _gm(tn, tng, nn), time_h=24),
                O("auc", "ketamine", _pt(auc, nk), exclude=_PT_AUC_IN),
            ), source_note="Table 6 (PMC9118341/table/T6), geometric mean (GSD); Tmax in min "
                           "converted to h",
            assumptions=("device and spray count not retrieved: one intranasal dose at 0 min",
                         _NOT_GIVEN, "venous sampling assumed"))
      for d, k, kg, nk, tk, tkg, n, ng, nn, tn, tng, auc in (
          (10, 22.9, 1.97, 7, 23 / 60, 3.0, 17.8, 1.89, 5, 79 / 60, 1.86, 19),
          (30, 60.8, 1.90, 10, 14 / 60, 3.8, 68.1, 1.80, 10, 60 / 60, 1.76, 46),
          (50, 77.6, 2.29, 10, 16 / 60, 4.4, 105, 1.63, 10, 56 / 60, 1.83, 64))),
    *(Study(f"chong2006_{route}", CHONG_2006, "racemic", "6 inpatients with neuropathic pain",
            Bolus("0 min", "25 mg", route), f"25 mg {route} (crossover with 10 mg IV)", route, "venous",
            70.0, (
                O("cmax", "ketamine", _sd(k, ks, 6), time_h=8),
                O("tmax", "ketamine", _sd(tk, tks, 6), time_h=8),
                O("cmax", "norketamine", _sd(n, ns, 6), time_h=8),
                O("tmax", "norketamine", _sd(tn, tns, 6), time_h=8),
                O("F", "ketamine", _sd(f, fs, 6), note="AUC0-8h/dose vs IV"),
            ), source_note="abstract table (mean ± SD)",
            assumptions=(_NOT_GIVEN, "venous sampling assumed (not stated)",
                         "F from AUC0-8h; the model's F uses AUC0-inf"))
      for route, k, ks, tk, tks, n, ns, tn, tns, f, fs in (
          ("oral", 22.8, 12.8, 0.96, 0.8, 82, 34, 1.6, 0.9, 0.23, 0.09),
          ("sublingual", 28.6, 6.6, 0.76, 0.51, 66, 29, 1.9, 1.0, 0.32, 0.17))),
    Study("rolan2014_sl25", ROLAN_2014, "racemic", "8 healthy men",
          Bolus("0 min", "25 mg", "sublingual"), "25 mg sublingual wafer (crossover with 10 mg IV "
          "over 30 min)", "sublingual", "venous", 70.0, (
              O("tmax", "ketamine", _med(0.75, 0.25, 1.0, 8), time_h=24),
              O("F", "ketamine", _pt(0.29, 8), note="median; 90 % CI 27-31 % is the CI of the "
                                                     "median, not the spread"),
          ), source_note="abstract", assumptions=(_NOT_GIVEN, "venous sampling assumed")),
    *(Study(f"yanagihara2003_{route}", YANAGIHARA_2003, "racemic", "3 healthy Japanese volunteers",
            Bolus("0 min", f"{dose} mg", route), text, route, "venous", 60.0,
            (O("F", "ketamine", _pt(f, 3), note="'approximately', from AUC0-8h"),),
            source_note="abstract",
            assumptions=("body weight not given: 60 kg assumed (Japanese adults)",
                         "venous sampling assumed"))
      for route, dose, text, f in (
          ("oral", 50, "2 × 25 mg tablets", 0.20), ("sublingual", 50, "2 × 25 mg sublingual tablets", 0.30),
          ("rectal", 50, "50 mg suppository", 0.30), ("intranasal", 25, "25 mg nasal spray", 0.45))),
    Study("hasan2021_iv5", HASAN_2021, "racemic", "15 healthy white adults",
          Infusion("0 min", amount="5 mg", duration="30 min"), "5 mg IV infusion", "iv", "venous",
          70.0, (
              O("clearance", "s_ketamine", _sd(1620 / 70, 380 / 70, 15),
                note="metabolic CL 1620 ± 380 mL/min at 70 kg; renal share (≈ 7 % S) ignored"),
              O("clearance", "r_ketamine", _sd(1530 / 70, 380 / 70, 15),
                note="metabolic CL 1530 ± 380 mL/min at 70 kg"),
          ), source_note="abstract (serum)",
          assumptions=(_NOT_GIVEN + " (CL per kg = CL/70)", "infusion length not in the "
                       "abstract: 30 min assumed (clearance does not depend on it)")),
    Study("wang2019_rac", WANG_2019, "racemic", "32 Chinese adults, painless gastroscopy",
          Infusion("0 min", amount="1 mg/kg", duration="10 s"), "racemate 1 mg/kg IV over 10 s",
          "iv", "venous", 60.0, (
              O("clearance", "s_ketamine", _sd(18.4, 3.4, 16)),
              O("clearance", "r_ketamine", _sd(15.8, 3.1, 16)),
          ), source_note="abstract", assumptions=("body weight not given: 60 kg assumed",)),
    Study("hirlinger1984_im05", HIRLINGER_1984, "racemic", "20 traumatized emergency patients "
          "(10 per dose)", Bolus("0 min", "0.5 mg/kg", "im"), "0.5 mg/kg IM", "im", "venous", 70.0,
          (O("cmax", "ketamine", _pt(147, 10), time_h=2, note="highest median plasma level, at 30 min"),),
          source_note="abstract (English)", assumptions=(_NOT_GIVEN, "venous sampling assumed")),
    Study("hirlinger1984_im10", HIRLINGER_1984, "racemic", "20 traumatized emergency patients "
          "(10 per dose)", Bolus("0 min", "1 mg/kg", "im"), "1.0 mg/kg IM", "im", "venous", 70.0,
          (O("cmax", "ketamine", _pt(474, 10), time_h=2, note="highest median plasma level, at 15 min"),),
          source_note="abstract (English)", assumptions=(_NOT_GIVEN, "venous sampling assumed")),
    Study("grant1981_oral05", GRANT_1981, "racemic", "adult volunteers", Bolus("0 min", "0.5 mg/kg", "oral"),
          "0.5 mg/kg oral", "oral", "venous", 70.0,
          (O("cmax", "ketamine", _sd(45, 10), time_h=8),),
          source_note="SECONDARY: Cmax as quoted in Zanos 2018 Pharmacol Rev 70:621, Table 1; the "
                      "primary table was not retrieved",
          assumptions=(_NOT_GIVEN, "venous sampling assumed")),
    Study("zarate2006_iv", ZARATE_2006, "racemic", "adults with treatment-resistant depression",
          Infusion("0 min", amount="0.5 mg/kg", duration="40 min"), "0.5 mg/kg IV over 40 min", "iv",
          "venous", 70.0, (O("cmax", "ketamine", _pt(185), time_h=4),),
          source_note="SECONDARY: Cmax as quoted in Zanos 2018 Pharmacol Rev 70:621, Table 1",
          assumptions=(_NOT_GIVEN,)),
    Study("kamp2020_racemic", KAMP_2020, "racemic", "healthy volunteers (Leiden)", _KAMP_RAC,
          "racemic IV 0.28, 0.57, 1.14 mg/kg/h, 60 min each", "iv", "arterial", 70.0,
          _kamp("s_ketamine", {1.0: 0.2701, 2.0: 0.5239, 3.0: 1.0457, 3.5: 0.4102, 5.0: 0.2467})
          + _kamp("r_ketamine", {1.0: 0.3959, 2.0: 0.597, 3.0: 1.1492, 3.5: 0.4609, 5.0: 0.2701})
          + _kamp("s_norketamine", {1.0: 0.1102, 2.0: 0.2878, 3.0: 0.6272, 5.0: 0.5294})
          + _kamp("r_norketamine", {1.0: 0.1386, 2.0: 0.3642, 3.0: 0.7586, 5.0: 0.6041}),
          source_note=_KAMP_NOTE, assumptions=(_NOT_GIVEN,)),
    # -- esketamine, adults ---------------------------------------------------------------------
    Study("kamp2020_esketamine", KAMP_2020, "esketamine", "healthy volunteers (Leiden)", _KAMP_S,
          "esketamine IV 0.14, 0.28, 0.57 mg/kg/h, 60 min each", "iv", "arterial", 70.0,
          _kamp("s_ketamine", {1.0: 0.3208, 2.0: 0.536, 3.0: 1.0335, 3.5: 0.4102, 5.0: 0.2406})
          + _kamp("s_norketamine", {1.0: 0.1137, 2.0: 0.3038, 3.0: 0.6396, 5.0: 0.5383}),
          source_note=_KAMP_NOTE, assumptions=(_NOT_GIVEN,)),
    Study("otto2021_chdr1311", OTTO_2021, "esketamine", "17 healthy adults (CHDR1311)",
          Infusion("0 min", amount="10 mg", duration="30 min"), "10 mg S-ketamine IV over 30 min",
          "iv", "venous", 68.0,
          tuple(O("conc", "s_ketamine", _pt(c, 17), time_h=t, note="digitised median")
                for t, c in ((0.5, 56), (1, 27), (2, 15.5), (5, 6.0), (10, 1.8)))
          + tuple(O("conc", "s_norketamine", _pt(c, 17), time_h=t, note="digitised median")
                  for t, c in ((0.5, 10), (1, 23), (3, 16), (10, 6.5))),
          source_note="medians digitised from Figures 3b/4b by the nlmixr2lib maintainers "
                      "(vignette Otto_2021_s_ketamine.Rmd, ±10 % reading precision)",
          assumptions=("68 kg (the vignette's typical subject)",)),
    Study("wang2019_esk", WANG_2019, "esketamine", "32 Chinese adults, painless gastroscopy",
          Infusion("0 min", amount="0.5 mg/kg", duration="10 s"), "esketamine 0.5 mg/kg IV over 10 s",
          "iv", "venous", 60.0, (O("clearance", "s_ketamine", _sd(18.1, 3.2, 16)),),
          source_note="abstract", assumptions=("body weight not given: 60 kg assumed",)),
    Study("persson2002_s", PERSSON_2002, "esketamine", "10 healthy men",
          Infusion("0 min", amount="6.07 mg", duration="30 min"), "7 mg S-ketamine HCl (6.07 mg base) "
          "IV over 30 min", "iv", "venous", 70.0,
          (O("clearance", "s_ketamine", _pt(24.0, 10), note="0.024 L/min/kg"),),
          source_note="abstract", assumptions=(_NOT_GIVEN, "arterial and venous samples were taken; "
                                               "the site of the clearance is not stated (the same at "
                                               "both sites for a model whose venous link is a pure "
                                               "delay)")),
    Study("fanta2015_oral", FANTA_2015, "esketamine", "11 healthy volunteers",
          Bolus("0 min", "0.25 mg/kg", "oral"), "S-ketamine 0.25 mg/kg oral (crossover with "
          "0.125 mg/kg IV)", "oral", "venous", 70.0,
          (O("F", "s_ketamine", _med(0.08, 0.064, 0.10, 11),
             note="population estimate 8 % with 11 % IIV: range = ± 2 IIV"),),
          source_note="abstract (model-based F from observed IV and oral data)",
          assumptions=(_NOT_GIVEN,)),
    *(Study(f"huge2010_in{k}", HUGE_2010, "esketamine", "16 patients with neuropathic pain "
            "(8 per dose)", Bolus("0 min", f"0.{k} mg/kg", "intranasal"), f"S-ketamine 0.{k} mg/kg "
            "intranasal", "intranasal", "venous", 70.0, (
                O("cmax", "s_ketamine", _sd(c, cs, 8), time_h=6),
                O("tmax", "s_ketamine", _sd(t / 60, ts / 60, 8), time_h=6),
                O("cmax", "s_norketamine", _sd(n, ns, 8), time_h=6),
                O("tmax", "s_norketamine", _sd(tn / 60, tns / 60, 8), time_h=6),
            ), source_note="abstract (mean ± SD)",
            assumptions=(_NOT_GIVEN, "venous sampling assumed", "spray count not in the abstract: "
                         "one intranasal dose"))
      for k, c, cs, t, ts, n, ns, tn, tns in ((2, 27.7, 5.9, 10, 6.3, 18.3, 14.9, 81, 59),
                                              (4, 34.3, 22.2, 13.8, 4.8, 34.3, 5.5, 75, 40))),
    *(Study(f"simons2022_otf{d}", SIMONS_2022, "esketamine", "20 healthy adults",
            Bolus("0 min", f"{d} mg", "sublingual"), f"S-ketamine {d} mg oral thin film "
            "(sublingual 15, buccal 5)", "sublingual", "arterial", 70.0, (
                O("cmax", "s_ketamine", _pt(k, 20), time_h=6),
                O("cmax", "s_norketamine", _pt(n, 20), time_h=6),
                O("auc", "s_ketamine", _pt(a, 20), time_h=6, note="AUC0-6h, printed in ng·min/mL"),
            ), source_note="Table 2 means as transcribed by nlmixr2lib (no SD in the transcription)",
            assumptions=(_NOT_GIVEN,))
      for d, k, n, a in ((50, 96, 276, round(8363 / 60, 1)), (100, 144, 426, round(13347 / 60, 1)))),
    Study("spravato_56", SPRAVATO, "esketamine", "adults (label)",
          Regimen([Bolus("0 min", "28 mg", "intranasal"), Bolus("5 min", "28 mg", "intranasal")]),
          "56 mg: two 28-mg devices, 5 min apart", "intranasal", "venous", 70.0, (
              O("tmax", "s_ketamine", _med(0.5, 20 / 60, 40 / 60), time_h=24, origin_h=5 * _H,
                note="'20-40 min after the last spray' (range)"),
              O("F", "s_ketamine", _pt(0.48), note="mean absolute bioavailability ≈ 48 %"),
          ), source_note="label-level statements via J&J Medical Information and label summaries",
          assumptions=(_NOT_GIVEN,)),
    # -- children ---------------------------------------------------------------------------------
    *(Study(f"weber2004_{route}", WEBER_2004, "esketamine", "20 children 1-7 y, 11-25 kg, "
            "sevoflurane anaesthesia", Bolus("0 min", "2 mg/kg", route), f"S-ketamine 2 mg/kg {route}",
            route, "venous", 18.0, (
                O("cmax", "s_ketamine", _sd(c, cs, 10), time_h=1, first_h=2 * _H),
                O("cmax", "s_norketamine", _sd(n, ns, 10), time_h=1),
            ), age_y=4.0, child=True, source_note="abstract (mean ± SD; samples to 60 min)",
            assumptions=("18 kg, 4 y (middle of the reported ranges)",))
      for route, c, cs, n, ns in (("intranasal", 355, 172, 90, 128), ("iv", 1860, 883, 429, 277))),
    *(Study(f"malinovsky1996_{route}{d}", MALINOVSKY_1996, "racemic", "32 children 2-9 y, 10-30 kg, "
            "halothane anaesthesia (8 per group)", Bolus("0 min", f"{d} mg/kg", route), f"racemic {d} mg/kg {route}",
            route, "venous", 20.0, (O("cmax", "ketamine", _pt(c, 8), time_h=6, note="mean peak, SD not in the abstract"),
                                    O("F", "ketamine", _pt(f, 8))),
            age_y=5.0, child=True, source_note="abstract",
            assumptions=("20 kg, 5 y (middle of the reported ranges)",))
      for route, d, c, f in (("intranasal", 3, 496, 0.50), ("intranasal", 9, 2104, 0.50),
                             ("rectal", 9, 632, 0.25))),
)


def study(study_id: str) -> Study:
    """The registry study with this id."""
    from ..errors import ParameterError
    from ..registry import lookup

    return lookup({s.id: s for s in STUDIES}, study_id, "validation study", error=ParameterError)
