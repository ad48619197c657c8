"""Published ketamine concentration–effect models (driven by S-ketamine effect-site Ce, except
Herd 2008, estimated on total racemic ketamine).

Sources and what was retrieved (from each paper's abstract or thesis, as named below):

* Olofsen 2022 [abstract]: C50 and t½ke0 for antinociception and external perception, R-ketamine
  no contribution, S-norketamine "small antagonistic effect". γ and the S-norketamine parameter
  were not retrieved: γ is an assumption and the S-norketamine antagonism is left out (see notes).
* Simons 2022 Part 2 [abstract + Simons thesis p. 45]: sigmoid Emax on effect-site Ce, the
  agonist/antagonist metabolite forms, C50 1.2–1.7 nmol/mL (antinociception, 3 assays) and
  0.3 nmol/mL (drug high); final model S-ketamine only. t½ke0 and γ not retrieved: assumptions.
* Dahan 2011 [abstract]: CRPS-1 pain relief, C50 10.5 ng/mL, onset/offset t½ 10.9 days. The
  equation was not retrieved; the effect-compartment + sigmoid Emax form here is an assumption.
* Herd 2008 [abstract]: sedation of children (0-5 score, 5 = spontaneously awake) on serum
  racemic ketamine: effect compartment t½ 11 s, Emax model with E0 = 5, fractional Emax 0.939,
  EC50 0.56 mg/L, Hill 3.71. Every parameter of the sedation model was retrieved (its logistic
  models for arousal, recall and remembering are not built: their slopes were not). With
  racemic.herd2007 it reproduces Dallimore 2008's simulated 15 min of sedation < 2 after
  1.5-2.125 mg/kg (14.5-15.25 min, tests/test_effects.py); Dallimore's "level 4 only after 70 min"
  (1.5 mg/kg, adult) is not reproduced by the typical subject (30 min), perhaps because it
  describes a population with EC50 CV 136 %.

R-ketamine: every model here follows Olofsen 2022 (no R-ketamine contribution). Dahan 2024
(ACS Pharmacol Transl Sci; research_gaps.md §6.1) found R-ketamine ~52% less potent than S but not
inactive for pressure-pain threshold, so for racemic regimens these models may under-predict
analgesia.
"""

from __future__ import annotations


from ..citations import Citation
from ..registry import Entry, lookup
from ..model import Parameter
from .emax import EffectModel

__all__ = ["EFFECT_MODELS", "get", "available"]

_GAMMA_NOTE = ("γ not retrieved; γ = 1 (hyperbolic Emax) is the neutral choice without information "
               "on steepness. Time above C50 does not depend on γ; peak effect and time above other "
               "thresholds do")
_EMAX_NOTE = "effect reported as a fraction of the maximal effect; the endpoint-unit Emax was not retrieved"
_R_OLOFSEN = ("no contribution (Olofsen 2022). Conflicts with Dahan 2024 (R-ketamine ~52% less potent "
              "than S, not inactive); this model follows Olofsen 2022")


def _gamma() -> Parameter:
    return Parameter("gamma", "1", "sigmoid steepness γ", "not retrieved", assumption=_GAMMA_NOTE)


def _emax() -> Parameter:
    return Parameter("Emax", "1", "maximal effect (fraction)", "scaling", assumption=_EMAX_NOTE)


OLOFSEN2022_CITATION = Citation(
    authors="Olofsen E, Kamp J, Henthorn TK, van Velzen M, Niesters M, Sarton E, Dahan A", year=2022,
    title="Ketamine psychedelic and antinociceptive effects are connected",
    journal="Anesthesiology 136(5):792-801", doi="10.1097/ALN.0000000000004176")

SIMONS2022_CITATION = Citation(
    authors="Simons P, Olofsen E, van Velzen M, van Lemmen M, van Dasselaar T, Mohr P, Hammes F, "
            "van der Schrier R, Niesters M, Dahan A", year=2022,
    title="S-ketamine oral thin film—Part 2: population pharmacodynamics of S-ketamine, "
          "S-norketamine and S-hydroxynorketamine",
    journal="Front Pain Res 3:946487", doi="10.3389/fpain.2022.946487")

DAHAN2011_CITATION = Citation(
    authors="Dahan A, Olofsen E, Sigtermans M, et al.", year=2011,
    title="Population pharmacokinetic-pharmacodynamic modeling of ketamine-induced pain relief of "
          "chronic pain", journal="Eur J Pain 15(3):258-267", doi="10.1016/j.ejpain.2010.06.016")

OLOFSEN2022 = EffectModel(
    id="olofsen2022",
    endpoint="antinociception (pressure pain threshold) and external perception (Bowdle): one model",
    citation=OLOFSEN2022_CITATION,
    t_half_ke0=Parameter("t_half_ke0", "8.3 min", "blood–effect-site equilibration half-life",
                         "abstract, median (95% CI 5.1-13.0 min)"),
    c50=Parameter("C50", "0.51 nmol/mL", "S-ketamine effect-site C50", "abstract, median (95% CI 0.38-0.66)"),
    gamma=_gamma(), emax=_emax(),
    validity="17 healthy men, escalating 3-h IV infusions of S-ketamine (70 mg) or racemic ketamine "
             "(140 mg), arterial plasma; acute experimental endpoints over hours",
    r_ketamine=_R_OLOFSEN,
    notes=("S-norketamine's 'small antagonistic effect' (abstract) is left out: its form and "
           "parameter were not retrieved, so the predicted effect is slightly high where "
           "S-norketamine is high (late after infusion, oral dosing)",),
)

_SIMONS_VALIDITY = ("20 healthy adults (10 F), 50 or 100 mg S-ketamine oral thin film (sublingual or "
                    "buccal), arterial plasma, effects over 6 h; final model S-ketamine only (no "
                    "S-norketamine or S-hydroxynorketamine contribution detected)")
_SIMONS_KE0 = ("t½ke0 not retrieved (abstract truncated); 8.3 min taken from Olofsen 2022, same group "
               "and endpoints (pressure pain, Bowdle questionnaire), within Olofsen 2012's 0-11.8 min")


def _simons_ke0() -> Parameter:
    return Parameter("t_half_ke0", "8.3 min", "blood–effect-site equilibration half-life",
                     "Olofsen 2022 abstract", assumption=_SIMONS_KE0)


SIMONS2022_ANTINOCICEPTION = EffectModel(
    id="simons2022.antinociception",
    endpoint="antinociception (electrical, pressure and heat pain assays)",
    citation=SIMONS2022_CITATION,
    t_half_ke0=_simons_ke0(),
    c50=Parameter("C50", "1.45 nmol/mL", "S-ketamine effect-site C50", "abstract: range 1.2-1.7 nmol/mL",
                  assumption="the abstract gives 1.2-1.7 nmol/mL over three assays without the split "
                             "per assay; the midpoint is used"),
    gamma=_gamma(), emax=_emax(), validity=_SIMONS_VALIDITY, r_ketamine=_R_OLOFSEN,
)

SIMONS2022_DRUG_HIGH = EffectModel(
    id="simons2022.drug_high",
    endpoint="drug high (11-point VAS, Bowdle questionnaire)",
    citation=SIMONS2022_CITATION,
    t_half_ke0=_simons_ke0(),
    c50=Parameter("C50", "0.3 nmol/mL", "S-ketamine effect-site C50", "abstract"),
    gamma=_gamma(), emax=_emax(), validity=_SIMONS_VALIDITY, r_ketamine=_R_OLOFSEN,
)

DAHAN2011 = EffectModel(
    id="dahan2011.crps_relief",
    endpoint="CRPS-1 chronic pain relief (fraction of maximal relief)",
    citation=DAHAN2011_CITATION,
    t_half_ke0=Parameter("t_half_ke0", "10.9 day", "onset/offset half-life of relief",
                         "abstract, 10.9 ± 4.0 days (95% CI 5.3-20.5)"),
    c50=Parameter("C50", "10.5 ng/mL", "S-ketamine C50", "abstract, 10.5 ± 4.8 ng/mL (95% CI 4.37-21.2)"),
    gamma=_gamma(),
    emax=Parameter("Emax", "1", "maximal relief (fraction)", "scaling",
                   assumption="Emax not retrieved; relief reported as a fraction of the maximal "
                              "relief. The abstract reports a 67 ± 10% chance of an analgesic effect "
                              "(placebo 23 ± 9%), i.e. a responder model whose form is unknown"),
    validity="60 CRPS-1 patients (30 on S-ketamine), 100-h IV infusion titrated from 5 to 20 mg/h/70 kg; "
             "relief lasted ~50 days after the infusion; S-ketamine only",
    r_ketamine="not studied (S-ketamine only); for racemic regimens this follows Olofsen 2022 "
               "(no R contribution), which Dahan 2024 contradicts",
    notes=("equation not retrieved: effect compartment with ke0 = ln2/10.9 d and sigmoid Emax on "
           "S-ketamine is the assumed form (pk_gaps.md §2.4), not the published model",
           "the PK model is the one you pass (e.g. Otto 2021, healthy volunteers); Dahan 2011's own "
           "CRPS PK parameters were not retrieved"),
    evidence="assumed form",
)

HERD2008_CITATION = Citation(
    authors="Herd DW, Anderson BJ, Keene NA, Holford NHG", year=2008,
    title="Investigating the pharmacodynamics of ketamine in children",
    journal="Paediatr Anaesth 18(1):36-42", pmid="18095964")

#: Herd 2008 sedation score at baseline (spontaneously awake without stimulus), abstract E0.
HERD2008_BASELINE_SCORE = 5.0

HERD2008 = EffectModel(
    id="herd2008.sedation",
    endpoint="sedation of children, as the fractional fall of the 0-5 sedation score from E0 = 5 "
             "(5 = spontaneously awake, 0 = unresponsive): score = 5 × (1 − effect)",
    citation=HERD2008_CITATION,
    t_half_ke0=Parameter("t_half_ke0", "11 s", "effect-compartment equilibration half-time",
                         "abstract (95% CI 0.07-20 s)"),
    c50=Parameter("C50", "0.56 mg/L", "total (R+S) ketamine effect-site EC50", "abstract (BSV CV 136%)"),
    gamma=Parameter("gamma", "3.71", "Hill coefficient", "abstract"),
    emax=Parameter("Emax", "0.939", "fractional Emax (fraction of the baseline score E0 = 5)",
                   "abstract (BSV CV 24%)"),
    validity="43 children in a paediatric emergency department (PD subset of 60), 8.15 (SD 3.5) y, "
             "34.9 (SD 15.8) kg, 1-1.5 mg/kg racemic ketamine IV; serum sampled 14-152 min; "
             "paired with the Herd 2007 PK model (racemic.herd2007) of the same children; typical "
             "values (the EC50 CV 136% and Emax CV 24% between children are not simulated)",
    r_ketamine="estimated on total racemic (R+S) ketamine; enantiomers not resolved, so it needs a "
               "racemic model and does not apply to S-ketamine regimens",
    driver="ketamine",
)

EFFECT_MODELS: dict[str, EffectModel] = {
    m.id: m for m in (OLOFSEN2022, SIMONS2022_ANTINOCICEPTION, SIMONS2022_DRUG_HIGH, DAHAN2011, HERD2008)
}


def get(effect_id: str | EffectModel) -> EffectModel:
    """The effect model ``effect_id`` (an :class:`EffectModel` passes through)."""
    if isinstance(effect_id, EffectModel):
        return effect_id
    return lookup(EFFECT_MODELS, effect_id, "effect model", cutoff=0.5)


def available() -> list[Entry]:
    """Every effect model as an :class:`~ketpk.registry.Entry` (``summary`` its endpoint; an
    effect model serves either drug form)."""
    return [Entry(m.id, None, str(m.citation), m.endpoint) for m in EFFECT_MODELS.values()]
