"""``ketpk validate``: compare models with the published observations of the registry."""

from __future__ import annotations

import argparse

__all__ = ["add_parser"]


def add_parser(sub) -> None:
    """Register the ``validate`` subcommand on the ``ketpk`` subparsers ``sub``."""
    p = sub.add_parser("validate", help="compare models with published observed studies",
                       description="Simulate every registry study a model can (ketpk.validation) "
                                   "and print predicted/observed with the pass bands.")
    p.add_argument("--model", action="append", metavar="ID",
                   help="model id, repeatable (default: the two defaults)")
    p.add_argument("--failures", action="store_true", help="print only rows outside their band")
    p.add_argument("--csv", metavar="FILE", help="write every row to a CSV file")
    p.add_argument("--plot", metavar="FILE", help="save the predicted-vs-observed figure (.png/.pdf/.svg)")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from . import models
    from .fileio import write_csv
    from .plotting import save_figure
    from .validation import report, validate

    results = [validate(m) for m in (args.model or list(models.DEFAULTS.values()))]
    for v in results:
        print(f"{v.model}: {sum(r.passed for r in v.rows)}/{len(v.rows)} inside their band")
        for route in v.routes:
            print(f"  {route:<12} median |ln(pred/obs)| {v.median_abs_log_ratio(route):.3f} "
                  f"(≤ ln 1.25 = {report.LOG_125:.3f})")
        print(f"  {'study':<28} {'observation':<34} {'observed':>9} {'predicted':>9} {'ratio':>6}  band")
        for r in v.rows:
            if args.failures and r.passed:
                continue
            print(f"  {r.study.id:<28} {r.observation.label():<34} {r.observed:9.3g} {r.predicted:9.3g} "
                  f"{r.ratio:6.2f}  {r.low:.3g}-{r.high:.3g}{'' if r.passed else '  OUTSIDE'}")
    if args.csv:
        header = report.rows_csv(results[0])[0]
        write_csv(args.csv, header, [row for v in results for row in report.rows_csv(v)[1]])
        print(f"wrote {args.csv}")
    if args.plot:
        save_figure(report.figure(results), args.plot)
        print(f"wrote {args.plot}")
    return 0
