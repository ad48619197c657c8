"""Closed-form solutions used as references (Gibaldi & Perrier, Pharmacokinetics, 2nd ed., ch. 1-2).

Concentrations in amount/volume units of the inputs; times in min.
"""

from __future__ import annotations

import numpy as np


def one_cmt_bolus(t, dose, cl, v):
    """IV bolus into one compartment: C = D/V · exp(-k t), k = CL/V."""
    return dose / v * np.exp(-cl / v * t)


def one_cmt_infusion(t, rate, duration, cl, v):
    """Zero-order infusion of ``rate`` for ``duration``: rise to R/CL, then mono-exponential fall."""
    k = cl / v
    during = rate / cl * (1 - np.exp(-k * np.minimum(t, duration)))
    return np.where(t <= duration, during, during * np.exp(-k * (t - duration)))


def bateman(t, dose, f, ka, cl, v):
    """First-order absorption (Bateman function), with the ka = k limit F·D·k·t·e^(-kt)/V."""
    k = cl / v
    if np.isclose(ka, k, rtol=1e-12):
        return f * dose * k * t * np.exp(-k * t) / v
    return f * dose * ka / (v * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t))


def bateman_tmax(ka, k):
    """Time of the Bateman peak: ln(ka/k)/(ka - k)."""
    return np.log(ka / k) / (ka - k)
