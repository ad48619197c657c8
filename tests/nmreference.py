"""The nmtests model as a ketpk model card, the suite's files, and an independent reference.

The nmtests data (NONMEM 7.5.1 output, GPL-2) are read at test time from
``<repo>/../shared/conformance/nmtests`` and never copied into the project. A missing folder is
a failure, not a skip.

The reference (:func:`superposition`) shares no code with ketpk's engine: it sums closed-form
single-dose responses of the one-compartment model with first-order absorption (Gibaldi &
Perrier, Pharmacokinetics, 2nd ed., ch. 1-2), with NONMEM's rules for F on infusions, resets
and steady states written out again here (a steady state = many earlier copies of the dose).
"""

from __future__ import annotations

import csv
import math
import tomllib
from pathlib import Path

import numpy as np

from ketpk.usermodels import from_dict

ROOT = Path(__file__).resolve().parents[1]
NMTESTS = ROOT.parent / "shared" / "conformance" / "nmtests"
CL, V, KA = 1.1, 20.0, 1.5  # L/h, L, 1/h (README of nmtests: ADVAN2 TRANS2)
CMT = {"oral": 1, "iv": 2}  # CMT 1 depot, CMT 2 central


def folder() -> Path:
    """The nmtests folder; an AssertionError (a failing test) if it is absent."""
    assert (NMTESTS / "1001.csv").is_file(), (
        f"the nmtests conformance data are missing: expected {NMTESTS}/1001.csv (the shared folder "
        "beside the repository); these tests need it and fail without it.")
    return NMTESTS


CARD_FILE = ROOT / "tests" / "data" / "nmtests_advan2.toml"


def model(weight_exponent: float | None = None):
    """The nmtests model (tests/data/nmtests_advan2.toml); with ``weight_exponent`` CL scales as
    (WT/70)^exponent (case 2001)."""
    with open(CARD_FILE, "rb") as handle:
        card = tomllib.load(handle)
    if weight_exponent is not None:
        card["parameters"]["CL"] = {**card["parameters"]["CL"], "weight_exponent": weight_exponent}
    return from_dict(card)


def read_tab(path: Path) -> tuple[list[str], np.ndarray]:
    """NONMEM's fixed-width table: (columns, rows)."""
    lines = path.read_text().splitlines()
    return lines[1].split(), np.array([[float(v) for v in line.split()] for line in lines[2:]])


def titles() -> dict[int, str]:
    with open(folder() / "1001-run-key.csv", newline="") as handle:
        return {int(r["ID"]): r["descr"] for r in csv.DictReader(handle)}


def within_print(got: np.ndarray, printed: np.ndarray) -> np.ndarray:
    """True where ``got`` rounds to the printed E11.4 value (half a unit of the 5th digit)."""
    scale = 10.0 ** (np.floor(np.log10(np.where(printed == 0, 1.0, np.abs(printed)))) - 4)
    return np.abs(got - printed) <= 0.5 * scale * (1 + 1e-9) + 1e-12


# -- the independent reference ------------------------------------------------------------

def _central(tau, cmt, amount, duration):
    """Central amount (mg) at times ``tau`` (h) after one dose starting at 0."""
    k = CL / V
    tau = np.asarray(tau, dtype=float)
    on = tau >= 0
    t = np.where(on, tau, 0.0)
    if duration == 0:
        if cmt == 2:
            return np.where(on, amount * np.exp(-k * t), 0.0)
        return np.where(on, amount * KA / (KA - k) * (np.exp(-k * t) - np.exp(-KA * t)), 0.0)
    rate = amount / duration

    def G(s):  # integral of the unit response from 0 to s
        if cmt == 2:
            return (1 - np.exp(-k * s)) / k
        return KA / (KA - k) * ((1 - np.exp(-k * s)) / k - (1 - np.exp(-KA * s)) / KA)

    def unit(s):
        return np.exp(-k * s) if cmt == 2 else KA / (KA - k) * (np.exp(-k * s) - np.exp(-KA * s))

    # rate x integral over u in [0, min(t, T)] of unit(t - u)
    upper = np.minimum(t, duration)
    if cmt == 2:
        value = rate * (np.exp(-k * (t - upper)) - np.exp(-k * t)) / k
    else:
        value = rate * (G(t) - G(t - upper))
    return np.where(on, value, 0.0)


def _dose(row: dict) -> tuple[float, float, float]:
    """(lag h, amount reaching the system mg, duration h) of a dose row, NONMEM's rules."""
    cmt = int(row["cmt"])
    F = float(row["BIOAV"]) if cmt == 2 else 1.0
    lag = float(row["LAGT"]) if cmt == 2 else 0.0
    amt, rate = float(row["amt"]), float(row["rate"])
    if rate == 0:
        return lag, F * amt, 0.0
    if rate == -1:
        rate = float(row["RAT2"])
    if rate == -2:
        return lag, F * amt, float(row["DUR2"])
    return lag, F * amt, F * amt / rate  # NONMEM: keep RATE, shorten the infusion


def superposition(rows: list[dict]) -> np.ndarray:
    """CP (µg/L) at each record of one subject by summing single-dose responses."""
    times = np.array([float(r["time"]) for r in rows])
    out = np.zeros(len(rows))
    doses: list[tuple[int, float, int, float, float]] = []  # (record, start h, cmt, mg, duration h)
    for i, row in enumerate(rows):
        evid, ss = int(row["evid"]), int(row["ss"] if row["ss"] != "." else 0)
        t = float(row["time"])
        if evid in (3, 4) or (evid == 1 and ss == 1):
            doses = []  # a reset: nothing given before counts
        if evid in (1, 4):
            cmt, ii, addl = int(row["cmt"]), float(row["ii"]), int(row["addl"])
            if float(row["amt"]) == 0:  # constant infusion at steady state: a very long infusion
                rate = float(row["rate"])
                doses.append((i, t - 1e4, cmt, rate * 1e4, 1e4))
            else:
                lag, amount, duration = _dose(row)
                copies = range(1, math.ceil(40 / (CL / V * ii)) + 1) if ss else ()
                for k in copies:  # the steady state: copies dosed k intervals before
                    doses.append((i, t - k * ii + lag, cmt, amount, duration))
                for k in range(addl + 1):
                    doses.append((i, t + k * ii + lag, cmt, amount, duration))
        for _, start, cmt, amount, duration in doses:
            if start <= t:
                out[i] += float(_central(t - start, cmt, amount, duration))
    return out / V * 1000.0
