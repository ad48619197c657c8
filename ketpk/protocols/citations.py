"""References of the protocol library (DOIs/PMIDs as printed on the papers' records)."""

from __future__ import annotations

from ..citations import Citation

SIGTERMANS_2009 = Citation(
    authors="Sigtermans MJ, van Hilten JJ, Bauer MCR, Arbous MS, Marinus J, Sarton EY, Dahan A",
    year=2009, title="Ketamine produces effective and long-term pain relief in patients with "
    "Complex Regional Pain Syndrome Type 1", journal="Pain 145(3):304-311",
    doi="10.1016/j.pain.2009.06.023")
DAHAN_2011 = Citation(
    authors="Dahan A, Olofsen E, Sigtermans M, et al.", year=2011,
    title="Population pharmacokinetic-pharmacodynamic modeling of ketamine-induced pain relief of "
    "chronic pain", journal="Eur J Pain 15(3):258-267", doi="10.1016/j.ejpain.2010.06.016",
    pmid="20638877")
SCHWARTZMAN_2009 = Citation(
    authors="Schwartzman RJ, Alexander GM, Grothusen JR, Paylor T, Reichenberger E, Perreault M",
    year=2009, title="Outpatient intravenous ketamine for the treatment of complex regional pain "
    "syndrome: a double-blind placebo controlled study", journal="Pain 147(1-3):107-115",
    doi="10.1016/j.pain.2009.08.015")
GOLDBERG_2010 = Citation(
    authors="Goldberg ME, Torjman MC, Schwartzman RJ, Mager DE, Wainer IW", year=2010,
    title="Pharmacodynamic profiles of ketamine (R)- and (S)- with 5-day inpatient infusion for the "
    "treatment of complex regional pain syndrome", journal="Pain Physician 13(4):379-387",
    doi="10.36076/ppj.2010/13/379")
AMR_2010 = Citation(
    authors="Amr YM", year=2010,
    title="Multi-day low dose ketamine infusion as adjuvant to oral gabapentin in spinal cord injury "
    "related chronic pain: a prospective, randomized, double blind trial",
    journal="Pain Physician 13(3):245-249", pmid="20495588")
MITCHELL_2002 = Citation(
    authors="Mitchell AC, Fallon MT", year=2002,
    title="A single infusion of intravenous ketamine improves pain relief in patients with critical "
    "limb ischaemia: results of a double blind randomised controlled trial",
    journal="Pain 97(3):275-281", doi="10.1016/S0304-3959(02)00033-7")
HARDY_2012 = Citation(
    authors="Hardy J, Quinn S, Fazekas B, Plummer J, Eckermann S, Agar M, Spruyt O, Rowett D, "
    "Currow DC", year=2012,
    title="Randomized, double-blind, placebo-controlled study to assess the efficacy and toxicity of "
    "subcutaneous ketamine in the management of cancer pain", journal="J Clin Oncol 30(29):3611-3617",
    doi="10.1200/JCO.2012.42.1081", pmid="22965960")
VRANKEN_2005 = Citation(
    authors="Vranken JH, et al.", year=2005,
    title="Iontophoretic administration of S(+)-ketamine in patients with intractable central pain: "
    "a placebo-controlled trial", journal="Pain 118(1-2):224-231", doi="10.1016/j.pain.2005.08.020")
ZARATE_2006 = Citation(
    authors="Zarate CA Jr, Singh JB, Carlson PJ, et al.", year=2006,
    title="A randomized trial of an N-methyl-D-aspartate antagonist in treatment-resistant major "
    "depression", journal="Arch Gen Psychiatry 63(8):856-864", doi="10.1001/archpsyc.63.8.856",
    pmid="16894061")
LENZE_2016 = Citation(
    authors="Lenze EJ, Farber NB, Kharasch E, Schweiger J, Yingling M, Olney J, Newcomer JW",
    year=2016, title="Ninety-six hour ketamine infusion with co-administered clonidine for "
    "treatment-resistant depression: a pilot randomised controlled trial",
    journal="World J Biol Psychiatry 17(3):230-238", pmid="26919405")
POPOVA_2019 = Citation(
    authors="Popova V, Daly EJ, Trivedi M, et al.", year=2019,
    title="Efficacy and safety of flexibly dosed esketamine nasal spray combined with a newly "
    "initiated oral antidepressant in treatment-resistant depression: a randomized double-blind "
    "active-controlled study", journal="Am J Psychiatry 176(6):428-438",
    doi="10.1176/appi.ajp.2019.19020172")
AL_SHIRAWI_2017 = Citation(
    authors="Al Shirawi MI, Kennedy SH, Ho KT, Byrne R, Downar J", year=2017,
    title="Oral ketamine in treatment-resistant depression: a clinical effectiveness case series",
    journal="J Clin Psychopharmacol 37(4):464-467", doi="10.1097/JCP.0000000000000717")
NOPPERS_2011 = Citation(
    authors="Noppers I, Olofsen E, Niesters M, Aarts L, Mooren R, Dahan A, Kharasch E, Sarton E",
    year=2011, title="Effect of rifampicin on S-ketamine and S-norketamine plasma concentrations in "
    "healthy volunteers after intravenous S-ketamine administration",
    journal="Anesthesiology 114(6):1435-1445", doi="10.1097/ALN.0b013e318219ba08")
OLOFSEN_2012 = Citation(
    authors="Olofsen E, Noppers I, Niesters M, Kharasch E, Aarts L, Sarton E, Dahan A", year=2012,
    title="Estimation of the contribution of norketamine to ketamine-induced acute pain relief and "
    "neurocognitive impairment in healthy volunteers", journal="Anesthesiology 117(2):353-364",
    doi="10.1097/ALN.0b013e31825b6c91")
BRINCK_2018 = Citation(
    authors="Brinck ECV, Tiippana E, Heesen M, Bell RF, Straube S, Moore RA, Kontinen V", year=2018,
    title="Perioperative intravenous ketamine for acute postoperative pain in adults",
    journal="Cochrane Database Syst Rev 12:CD012033", doi="10.1002/14651858.CD012033.pub4",
    pmid="30570761")
SIGTERMANS_2009_ANESTHESIOLOGY = Citation(
    authors="Sigtermans M, Dahan A, Mooren R, Bauer M, Kest B, Sarton E, Olofsen E", year=2009,
    title="S(+)-ketamine effect on experimental pain and cardiac output: a population "
    "pharmacokinetic-pharmacodynamic modeling study in healthy volunteers",
    journal="Anesthesiology 111(4):892-903", doi="10.1097/ALN.0b013e3181b437b1", pmid="19741495")
BOWDLE_1998 = Citation(
    authors="Bowdle TA, Radant AD, Cowley DS, Kharasch ED, Strassman RJ, Roy-Byrne PP", year=1998,
    title="Psychedelic effects of ketamine in healthy volunteers: relationship to steady-state "
    "plasma concentrations", journal="Anesthesiology 88(1):82-88",
    doi="10.1097/00000542-199801000-00015", pmid="9447860")
