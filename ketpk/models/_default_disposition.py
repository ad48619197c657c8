"""Calibrated S-ketamine disposition values shared by the two defaults (racemic, esketamine).

Both defaults use Otto 2021's S-ketamine disposition (Fanta 2015 fixed values) for S-ketamine,
whether given as the racemate or as S(+)-ketamine: systemic S-ketamine disposition is the same
in both forms (Wang 2019: S clearance 18.1 vs 18.4 mL/min/kg; Kamp 2020: the S-ketamine curves
of the two arms coincide). Two values are calibrated (scripts/calibrate.py, docs/calibration.md)
to the registry studies of both forms together:

* ``V1``, the central volume, which here is ARTERIAL plasma's;
* ``k_av``, the arterio-venous link: arm venous plasma follows arterial plasma with a first-order
  delay (:meth:`ketpk.model.SystemBuilder.sample_delayed`), the simplest form of the venous delay
  compartments of Kamp 2020 (Anesthesiology 133:1192, doi:10.1097/ALN.0000000000003577: a
  central arterial compartment, peripheral compartments linked to two venous delay compartments)
  and the arm venous compartment of Henthorn 2018 (Anesthesiology 129:260,
  doi:10.1097/ALN.0000000000002231, simultaneous arterial and forearm venous S- and R-ketamine);
  neither paper's values could be retrieved, so the rate is calibrated. A pure delay moves no
  mass: arterial and venous AUC(0-inf) are equal, venous peaks are later and lower.
"""

from __future__ import annotations

from ..model import Parameter
from . import otto2021

CENTRAL_VOLUME = Parameter(
    "V1", "42 L", "central (arterial) volume of S-ketamine, and of each enantiomer of the racemate (70 kg)",
    "calibrated to the 2-min Cmax after 10 mg IV of Pharmacotherapy 2022 (Table 6), the arterial "
    "racemic and S-ketamine infusion curves of Kamp 2020 (Br J Anaesth 125:750, digitised), the "
    "venous S-ketamine infusion of Otto 2021 and the oral, sublingual, intranasal and IM studies of "
    "the validation registry (scripts/calibrate.py); between the Kamp 2020 meta-analysis model's "
    "25 L and Otto 2021's venous S-ketamine 133 L",
    otto2021.PARAMETERS[0].covariates)

VENOUS_LINK = Parameter(
    "k_av", "0.31 1/min", "arterio-venous link: rate at which arm venous plasma follows arterial plasma",
    "calibrated to the arterial studies (Kamp 2020 racemic and S-ketamine infusions; Simons 2022 "
    "S-ketamine oral thin film) against the venous ones (Pharmacotherapy 2022, Otto 2021, Chong "
    "2006, Huge 2010 and the rest of the registry) (scripts/calibrate.py): a 3-min time constant. "
    "The registry bounds it from below (0.05 /min costs far more), hardly from above (0.2-1.5 /min "
    "fit about as well); one fast delay cannot carry the slow arm-tissue component behind Persson "
    "2002's 40 % larger venous volumes and MRT. Structure after Kamp 2020 Anesthesiology and "
    "Henthorn 2018 (their values not retrieved)")
