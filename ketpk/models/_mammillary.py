"""Parent-only mammillary structures shared by the classic racemic ketamine models.

Two parameterisations, as the papers print them: clearances and volumes
(:func:`clearance_structure`) or a central volume and micro rate constants
(:func:`micro_structure`). States are ``ketamine.central`` and ``ketamine.peripheral<i>``; only
the central compartment is observed (analyte ``"ketamine"``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Params, SystemBuilder

__all__ = ["clearance_structure", "micro_structure"]

CENTRAL = "ketamine.central"

Structure = Callable[[Params], SystemBuilder]


def _peripheral(i: int) -> str:
    return f"ketamine.peripheral{i}"


def clearance_structure(volume: str, clearance: str, peripherals: Sequence[tuple[str, str]]) -> Structure:
    """Central ``volume`` (L) cleared by ``clearance`` (L/min), exchanging by flow with peripherals.

    ``peripherals`` lists ``(volume_name, flow_name)`` parameter-name pairs, one per peripheral.
    """
    def structure(p: Params) -> SystemBuilder:
        s = SystemBuilder(p.n)
        s.compartment(CENTRAL, "ketamine", volume=p[volume], analytes=("ketamine",))
        for i, (v_name, q_name) in enumerate(peripherals, start=1):
            s.compartment(_peripheral(i), "ketamine", volume=p[v_name])
            s.exchange(CENTRAL, _peripheral(i), p[q_name])
        s.clearance(CENTRAL, p[clearance])
        return s

    return structure


def micro_structure(volume: str, k10: str, pairs: Sequence[tuple[str, str]]) -> Structure:
    """Central ``volume`` (L) with elimination ``k10`` and ``(k1i, ki1)`` pairs (1/min) per peripheral."""
    def structure(p: Params) -> SystemBuilder:
        s = SystemBuilder(p.n)
        s.compartment(CENTRAL, "ketamine", volume=p[volume], analytes=("ketamine",))
        s.transfer(CENTRAL, p[k10])
        for i, (k_out, k_back) in enumerate(pairs, start=1):
            s.compartment(_peripheral(i), "ketamine")
            s.transfer(CENTRAL, p[k_out], _peripheral(i))
            s.transfer(_peripheral(i), p[k_back], CENTRAL)
        return s

    return structure
