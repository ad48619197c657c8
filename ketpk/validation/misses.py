"""Known misses of the defaults, with the evidence for why (shown in docs/validation.md).

``KNOWN_MISSES``: (model id, study id, observation label) -> reason, for rows outside their
band. ``ROUTE_MISSES``: (model id, route) -> reason, for a route whose median
|ln(predicted/observed)| exceeds ln 1.25.
"""

from __future__ import annotations

_HUGE_TMAX = ("Huge 2010's intranasal Tmax (10-14 min) is faster than the Spravato label's 20-40 min "
              "after the last device, which the cited Perez-Ruixo 2021 ka_n reproduces (0.47 h); a "
              "faster ka fitted to Huge (0.065 /min, scripts/calibrate.py) worsened the exposure rows, "
              "so the cited value is kept (different spray device and patients)")

KNOWN_MISSES: dict[tuple[str, str, str], str] = {
    ("esketamine.multiroute", "huge2010_in2", "tmax s_ketamine"): _HUGE_TMAX,
    ("esketamine.multiroute", "huge2010_in4", "tmax s_ketamine"): _HUGE_TMAX,
    ("esketamine.multiroute", "huge2010_in4", "cmax s_norketamine"): (
        "S-norketamine after intranasal S-ketamine is about 2x over-predicted at both Huge 2010 "
        "doses (0.2 mg/kg: 2.0x, inside its wider band): the swallowed share (fsw 0.563, "
        "Perez-Ruixo 2021) times the presystemic S-norketamine fraction (fpre_oral 0.81, from "
        "Fanta 2015's simulated NK/K ratio) may be too high for Huge's spray; not refitted to one "
        "study"),
}

ROUTE_MISSES: dict[tuple[str, str], str] = {
    ("esketamine.multiroute", "sublingual"): (
        "the only sublingual S-ketamine study (Simons 2022) is arterial; the venous default is "
        "0.4-0.6x at Cmax (inside the site-widened bands). An arterial prediction needs the "
        "sampling-site option, not implemented"),
    ("esketamine.multiroute", "intranasal"): (
        "Huge 2010 (see the misses): S-NK 2x over, S-K Cmax not dose-proportional (0.2 -> 0.4 "
        "mg/kg: 27.7 -> 34.3 ng/mL)"),
    ("racemic.multiroute", "im"): (
        "Hirlinger 1984's medians are not dose-proportional (0.5 -> 1 mg/kg: 147 -> 474 ng/mL, "
        "3.2x), so no linear model puts both within 1.25x (at best |ln| 0.235 each for a "
        "proportional model); both rows are inside their bands"),
}
