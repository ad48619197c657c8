"""Target-based protocols: published target-concentration schedules for :mod:`ketpk.tci`.

A :class:`TargetProtocol` is not a Regimen: its doses depend on the model and the subject, so
``ketpk.tci.target_infusion(model, protocol, subject=...)`` computes them. Each names its
citation, the drug form, the targeted analyte and site, and every part not in the paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..citations import Citation
from ..registry import Entry, lookup
from . import citations as cit

__all__ = ["TargetProtocol", "TARGET_PROTOCOLS", "target_protocol", "target_protocols"]


@dataclass(frozen=True)
class TargetProtocol:
    """A published target schedule: ``targets`` ``((time, concentration), ...)`` as strings with
    units, held until ``until``; ``drug`` the form infused, ``analyte`` and ``site`` targeted."""

    name: str
    drug: str
    analyte: str
    site: str
    targets: tuple[tuple[str, str], ...]
    until: str
    citation: Citation
    steps: tuple[str, ...]
    assumptions: tuple[str, ...] = ()

    def describe(self) -> str:
        """Steps, targets, citation and assumptions."""
        lines = [f"{self.name} ({self.drug}; {self.site} target of {self.analyte}, until {self.until})",
                 f"  citation: {self.citation}"]
        lines += [f"  step: {s}" for s in self.steps]
        lines.append("  targets: " + ", ".join(f"{t}: {c}" for t, c in self.targets))
        lines += [f"  ASSUMPTION: {a}" for a in self.assumptions]
        return "\n".join(lines)


_NO_MODEL = ("the TCI model and pump update interval of the study are not in the abstract; "
             "ketpk computes the schedule with the model you pass")

SIGTERMANS2009_TCI = TargetProtocol(
    name="sigtermans2009_tci", drug="esketamine", analyte="s_ketamine", site="plasma",
    targets=tuple((f"{15 * i} min", f"{40 * (i + 1)} ng/mL") for i in range(8)),
    until="120 min", citation=cit.SIGTERMANS_2009_ANESTHESIOLOGY,
    steps=("2-h S(+)-ketamine infusion in 10 men and 10 women; the target was raised by 40 ng/mL "
           "every 15 min to 320 ng/mL (abstract: 'increased at 40 ng/ml per 15 min to reach a "
           "maximum of 320 ng/ml')",),
    assumptions=(_NO_MODEL, "the first target (40 ng/mL) starts at 0 min and the last (320 ng/mL) "
                 "holds 105-120 min: 8 steps of 15 min fill the 2 h"),
)

BOWDLE1998 = TargetProtocol(
    name="bowdle1998", drug="racemic", analyte="ketamine", site="plasma",
    targets=(("0 min", "0 ng/mL"), ("30 min", "50 ng/mL"), ("60 min", "100 ng/mL"),
             ("90 min", "150 ng/mL"), ("120 min", "200 ng/mL")),
    until="150 min", citation=cit.BOWDLE_1998,
    steps=("computer-assisted continuous infusion of racemic ketamine in 10 healthy volunteers: "
           "target plasma concentrations 0, 50, 100, 150 and 200 ng/mL, 30 min each (abstract)",),
    assumptions=(_NO_MODEL,),
)

TARGET_PROTOCOLS: dict[str, TargetProtocol] = {p.name: p for p in (SIGTERMANS2009_TCI, BOWDLE1998)}


def target_protocol(name: str) -> TargetProtocol:
    """The target protocol ``name`` (see :func:`target_protocols`)."""
    return lookup(TARGET_PROTOCOLS, name, "target protocol")


def target_protocols() -> list[Entry]:
    """Every target protocol as an :class:`~ketpk.registry.Entry` (``id`` its name, ``summary``
    the analyte and site targeted)."""
    return [Entry(p.name, p.drug, str(p.citation), f"{p.site} target of {p.analyte}, until {p.until}")
            for p in TARGET_PROTOCOLS.values()]
