"""Calibrate the route values and the shared S-ketamine disposition of the two default models.

Run from the repository root:
    PYTHONPATH=$PWD python3 scripts/calibrate.py            # fit, leave-one-study-out, docs
    PYTHONPATH=$PWD python3 scripts/calibrate.py --no-loso  # the fit only (docs without LOSO)

One joint fit of both defaults: the shared values (the central arterial volume V1 and the
arterio-venous link k_av, ketpk/models/_default_disposition.py: the same S-ketamine disposition
whether given as the racemate or as S(+)-ketamine) and each default's own route values.
Objective: every registry observation either default can simulate (ketpk.validation, each study
at its own sampling site), residual ln(predicted/observed) / s with s = ln(band high/band
low)/4 (the band read as ± 2 SD), least squares over the log parameters within the bounds below
(scipy.optimize.least_squares). The fitted values are written by hand into
ketpk/models/{_default_disposition,racemic_default,esketamine_default}.py, each saying
"calibrated to" and naming its studies; the script prints them and writes docs/calibration.md
with the leave-one-study-out (LOSO) predictions: the fit repeated without one publication
(converged to the tolerance LOSO_TOL, see refit_without), and that publication's arms predicted
by it.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares, lsq_linear

from ketpk import models
from ketpk.fileio import atomic_path
from ketpk.validation import STUDIES, validate

ROOT = Path(__file__).resolve().parents[1]
FORMS = ("racemic", "esketamine")

#: Free parameters: group -> name -> (unit, low, high); "shared" goes into both defaults.
#: Everything else stays as cited.
FREE = {
    "shared": {
        "V1": ("L", 25.0, 133.0),         # Kamp 2020 meta-analysis model V1 25 L .. Otto 133 L
        "k_av": ("1/min", 0.02, 2.0),      # arm venous delay: 30 s .. 50 min time constant
    },
    "racemic": {
        # the published adult oral racemic range 0.17 (Clements 1982) - 0.24 (Chong 2009) for the
        # AUC-based F, which is 1.0089 x F_oral (the enantioselective first pass, racemic_default):
        # F_oral <= 0.237 keeps it <= 0.24
        "F_oral": ("", 0.17, 0.237),
        "fpre_oral": ("", 0.2, 0.8),
        "ka_oral": ("1/h", 0.3, 6.0),
        "ka_sublingual": ("1/min", 0.005, 0.2),
        "ka_intranasal": ("1/min", 0.01, 0.5),
        "ka_im": ("1/min", 0.02, 0.5),
    },
    "esketamine": {
        # F_oral stays 0.09 as cited (8-11 %, Peltoniemi 2016; Fanta 2015 0.08): F_intranasal's
        # swallowed share is derived from it, and one registry row (Fanta's F) informs it.
        "fpre_oral": ("", 0.3, 0.9),
        "ka_sublingual": ("1/min", 0.005, 0.2),
        "ka_intranasal": ("1/h", 0.5, 10.0),
    },
}

#: Start of every fit, fixed here (so the result does not depend on the values the defaults
#: now carry): the first calibration round's racemic values (V1 52 L and the racemic routes,
#: fitted then from the pre-calibration values without a venous link), k_av 0.3 /min (a ~3-min
#: time constant, of the order of the arm circulation time; no published value) and the cited
#: esketamine route values.
START = {"shared": {"V1": 52.0, "k_av": 0.3},
         "racemic": {"F_oral": 0.23, "fpre_oral": 0.50, "ka_oral": 2.2, "ka_sublingual": 0.019,
                     "ka_intranasal": 0.062, "ka_im": 0.048},
         "esketamine": {"fpre_oral": 0.81, "ka_sublingual": 0.04, "ka_intranasal": 2.93}}

#: Convergence tolerances: the full fit's scipy ftol = xtol, and the largest log-parameter step
#: at which a leave-one-study-out refit stops.
FIT_TOL = 1e-6
LOSO_TOL = 1e-3

_NAMES = [(g, n) for g in FREE for n in FREE[g]]


def _values(form: str, x: np.ndarray) -> dict[str, str]:
    return {n: f"{v:.6g} {FREE[g][n][0]}".strip()
            for (g, n), v in zip(_NAMES, np.exp(x)) if g in ("shared", form)}


def _model(form: str, x: np.ndarray):
    return models.get(form).with_parameters(**_values(form, x))


def _rows(x: np.ndarray, studies):
    return [r for form in FORMS for r in validate(_model(form, x), studies=studies).rows]


def _residuals(x: np.ndarray, studies) -> np.ndarray:
    res = np.array([math.log(r.ratio) / (math.log(r.high / r.low) / 4) for r in _rows(x, studies)])
    _residuals.calls += 1
    if _residuals.calls % 10 == 0:
        print(f"    {_residuals.calls} evaluations, cost {0.5 * res @ res:.5g}", file=sys.stderr, flush=True)
    return res


_residuals.calls = 0


def fit(studies=STUDIES, start: np.ndarray | None = None, max_nfev: int = 200) -> np.ndarray:
    """Fitted log-parameters (order of ``_NAMES``) to ``studies``."""
    bounds = np.log([[FREE[g][n][1] for g, n in _NAMES], [FREE[g][n][2] for g, n in _NAMES]])
    if start is None:
        start = np.clip(np.log([START[g][n] for g, n in _NAMES]), bounds[0] + 1e-6, bounds[1] - 1e-6)
    out = least_squares(_residuals, start, bounds=bounds, args=(studies,), x_scale=1.0,
                        diff_step=1e-3, max_nfev=max_nfev, ftol=FIT_TOL, xtol=FIT_TOL)
    print(f"  fit: {out.nfev} iterations, cost {out.cost:.4g}, status {out.status}", file=sys.stderr)
    return out.x


def _publications() -> dict[str, list]:
    groups: dict[str, list] = {}
    for s in STUDIES:
        if not s.child:
            groups.setdefault(s.id.split("_")[0], []).append(s)  # a publication's arms share a prefix
    return groups


def _jacobian(x: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """Forward-difference Jacobian of the residuals of every registry row at ``x``."""
    r0 = _residuals(x, STUDIES)
    J = np.empty((r0.size, x.size))
    for k in range(x.size):
        dx = np.zeros_like(x)
        dx[k] = step
        J[:, k] = (_residuals(x + dx, STUDIES) - r0) / step
    return J


def refit_without(left_out, x_full: np.ndarray, J_full: np.ndarray) -> tuple[np.ndarray, int]:
    """The fit without the publication ``left_out``, from the full fit: chord (frozen-Jacobian
    Gauss-Newton) steps with the full fit's Jacobian rows of the kept observations, each a
    bounded linear least squares (scipy lsq_linear), until no log parameter moves by more than
    LOSO_TOL (at most 30 steps). Returns the log-parameters and the steps taken."""
    keep = [s for s in STUDIES if s not in left_out]
    mask = np.array([r.study not in left_out for r in _rows(x_full, STUDIES)])
    J = J_full[mask]
    lo = np.log([FREE[g][n][1] for g, n in _NAMES])
    hi = np.log([FREE[g][n][2] for g, n in _NAMES])
    x = x_full.copy()
    for step in range(1, 31):
        r = _residuals(x, keep)
        dx = lsq_linear(J, -r, bounds=(lo - x, hi - x)).x
        x = np.clip(x + dx, lo, hi)
        if np.max(np.abs(dx)) < LOSO_TOL:
            return x, step
    return x, step


def loso(x_full: np.ndarray) -> list[str]:
    """Markdown rows: per publication, its rows predicted by the fit without it."""
    J_full = _jacobian(x_full)
    lines = []
    for name, left_out in _publications().items():
        x, steps = refit_without(left_out, x_full, J_full)
        for form in FORMS:
            v = validate(_model(form, x), studies=left_out)
            v_full = validate(_model(form, x_full), studies=left_out)
            loso_rows.extend(v.rows)
            for r, rf in zip(v.rows, v_full.rows):
                lines.append(f"| {name} | {r.study.id} | {r.observation.label()} | {r.observed:.3g} | "
                             f"{rf.predicted:.3g} | {r.predicted:.3g} | {r.ratio:.2f} | "
                             f"{'pass' if r.passed else 'miss'} |")
        moved = ", ".join(f"{g}.{n} {math.exp(a):.3g}" for (g, n), a, b in zip(_NAMES, x, x_full)
                          if abs(a - b) > 0.05)
        print(f"  LOSO without {name}: {steps} steps; moved (>5 %): {moved or 'none'}", file=sys.stderr)
        lines_moved.append(f"| {name} | {steps} | {moved or 'none'} |")
    return lines


#: Per publication: chord steps and the parameters that moved by more than 5 % (filled by loso).
lines_moved: list[str] = []
#: Every left-out row as its LOSO fit predicts it (filled by loso).
loso_rows: list = []


def _loso_medians() -> list[str]:
    """Per default and route: median |ln(LOSO pred/obs)| of the exposure rows, rows inside."""
    out = []
    for model in dict.fromkeys(r.model for r in loso_rows):
        rows = [r for r in loso_rows if r.model == model]
        for route in dict.fromkeys(r.study.route for r in rows):
            mine = [r for r in rows if r.study.route == route]
            exposure = [abs(math.log(r.ratio)) for r in mine if r.observation.metric in ("cmax", "conc", "auc")]
            med = f"{statistics.median(exposure):.3f}" if exposure else "–"
            out.append(f"| {model} | {route} | {med} | {sum(r.passed for r in mine)}/{len(mine)} |")
    return out


def _default_value(group: str, name: str) -> float:
    """The value the default carries now, in the unit of FREE."""
    p = models.get("racemic" if group == "shared" else group).individual({"weight": np.array([70.0])}, {}, 1)
    return float(p[name][0]) * (60 if FREE[group][name][0] == "1/h" else 1)


def _summary(label: str, x: np.ndarray) -> list[str]:
    lines = []
    for form in FORMS:
        val = validate(_model(form, x))
        med = {rt: val.median_abs_log_ratio(rt) for rt in val.routes}
        inside = sum(r.passed for r in val.rows)
        lines.append(f"- {label}, {val.model}: {inside}/{len(val.rows)} rows inside their band; median "
                     "|ln(pred/obs)| per route: "
                     + ", ".join(f"{rt} {m:.3f}" for rt, m in med.items() if not math.isnan(m)))
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-loso", action="store_true")
    parser.add_argument("--loso-only", action="store_true",
                        help="skip the fit: leave-one-study-out around the values the defaults carry")
    args = parser.parse_args(argv)
    md = ["# Calibration of the default models", "",
          "Generated by `python3 scripts/calibrate.py` (see its docstring for the objective): one "
          "joint fit of both defaults, each study simulated at its own sampling site. The defaults "
          "carry these values rounded, each labelled \"calibrated to\" its studies.", ""]
    x0 = np.log([START[g][n] for g, n in _NAMES])
    x = np.log([_default_value(g, n) for g, n in _NAMES]) if args.loso_only else fit()
    if args.loso_only:
        md += ["Fit skipped (`--loso-only`): the \"calibrated\" column is the defaults' rounded "
               "values, around which the leave-one-study-out refits are made.", ""]
    md += ["| group | parameter | unit | before calibration (fit start) | calibrated | in the default | bounds |",
           "|---|---|---|---|---|---|---|"]
    for (g, n), v in zip(_NAMES, np.exp(x)):
        u, lo, hi = FREE[g][n]
        now = _default_value(g, n)
        print(f"  {g} {n} = {v:.4g} {u}   (start {START[g][n]:.4g}, default now {now:.4g})")
        md.append(f"| {g} | {n} | {u or '–'} | {START[g][n]:.4g} | {v:.4g} | {now:.4g} | {lo:g}–{hi:g} |")
    md += ["", *_summary("before", x0), *_summary("after", x), ""]
    if not args.no_loso:
        rows = loso(x)
        md += ["## Leave-one-study-out", "",
               "Each publication left out in turn; the joint fit repeated on the rest predicts its "
               "arms. The refit starts from the full fit and takes chord (frozen-Jacobian "
               "Gauss-Newton) steps with the full fit's Jacobian of the kept rows until no log "
               f"parameter moves by more than {LOSO_TOL:g} (`refit_without`): one residual "
               "evaluation per step instead of a Jacobian per iteration, so it converges on the "
               "shared CPU; its fixed point is the refit's optimum up to the change of the "
               "Jacobian between the two fits.", "",
               "| left out | chord steps | parameters moved > 5 % (LOSO value) |", "|---|---|---|",
               *lines_moved, "",
               "Per default and route, the left-out rows as their LOSO fits predict them (30 steps "
               "= the cap, not converged: a parameter only the left-out study informs drifts "
               "along a flat direction):", "",
               "| default | route | median abs ln(LOSO pred/obs), Cmax/C(t)/AUC | LOSO rows inside band |",
               "|---|---|---|---|", *_loso_medians(), "",
               "| left out | arm | observation | observed | full fit | LOSO fit | LOSO pred/obs | "
               "LOSO verdict |", "|---|---|---|---|---|---|---|---|", *rows, ""]
    else:
        md += ["Leave-one-study-out: not run with this fit (`--no-loso`).", ""]
    with atomic_path(ROOT / "docs" / "calibration.md") as tmp:
        Path(tmp).write_text("\n".join(md) + "\n", encoding="utf-8")
    print("wrote docs/calibration.md")


if __name__ == "__main__":
    main()
