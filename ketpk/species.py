"""Chemical species that ketpk models track, with their molar masses.

Molar masses from the molecular formulas (PubChem): ketamine C13H16ClNO 237.73 g/mol
(CID 3821), norketamine C12H14ClNO 223.70 g/mol (CID 104856), hydroxynorketamine C12H14ClNO2
239.70 g/mol. The enantiomers share the molar mass of the racemate.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Species", "SPECIES", "molar_mass", "analyte_label"]


@dataclass(frozen=True, slots=True)
class Species:
    """A chemical species: id, readable name and molar mass in g/mol."""

    id: str
    name: str
    molar_mass: float


_KETAMINE, _NORKETAMINE, _HNK = 237.73, 223.70, 239.70

SPECIES: dict[str, Species] = {
    s.id: s
    for s in (
        Species("ketamine", "ketamine", _KETAMINE),
        Species("s_ketamine", "S(+)-ketamine", _KETAMINE),
        Species("r_ketamine", "R(-)-ketamine", _KETAMINE),
        Species("norketamine", "norketamine", _NORKETAMINE),
        Species("s_norketamine", "S-norketamine", _NORKETAMINE),
        Species("r_norketamine", "R-norketamine", _NORKETAMINE),
        Species("hydroxynorketamine", "hydroxynorketamine", _HNK),
        Species("s_hydroxynorketamine", "S-hydroxynorketamine", _HNK),
        Species("r_hydroxynorketamine", "R-hydroxynorketamine", _HNK),
    )
}


def molar_mass(species: str) -> float:
    """Molar mass of ``species`` in g/mol (= mg/mmol = µg/µmol)."""
    return SPECIES[species].molar_mass


#: What an unprefixed analyte key names in each drug form's models.
_FORM_NAMES = {"esketamine": "S-{}", "racemic": "{} (R+S)"}
_ENANTIOMERS = {"s_": "S-{}", "r_": "R-{}"}


def analyte_label(drug: str, analyte: str) -> str:
    """The name a human reads for ``analyte`` (an API key) of a ``drug`` form's model.

    ``"ketamine"`` is S-ketamine in an esketamine model and ketamine (R+S) in a racemic one;
    ``"s_norketamine"`` is S-norketamine in either; effect sites keep their ``@site`` suffix.
    The keys themselves (``"ketamine"``, ``"norketamine"``) stay the API's names.
    """
    base, at, site = analyte.partition("@")
    prefix = base[:2]
    if prefix in _ENANTIOMERS and base[2:] in SPECIES:
        name = _ENANTIOMERS[prefix].format(base[2:])
    elif base in SPECIES and drug in _FORM_NAMES:
        name = _FORM_NAMES[drug].format(base)
    else:
        name = base
    return f"{name}{at}{site}"
