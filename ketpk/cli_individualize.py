"""``ketpk individualize``: a patient's measured levels -> their own parameters and forecast.

Reads a NONMEM-style dataset (doses EVID 1, levels EVID 0 with DV; optional WT, AGE, BLQ, LLOQ
columns), prints the MAP parameters with 90 % intervals and shrinkage, and writes the forecast
CSV and plot. With several IDs and no ``--id``: one line per ID (and ``--csv`` of parameters).
Research and teaching only, not a dosing device.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_parser"]

_DISCLAIMER = "Research and teaching only: model predictions, not a dosing device."


def add_parser(sub: Any) -> None:
    """Register the ``individualize`` subcommand on the ``ketpk`` subparsers ``sub``."""
    p = sub.add_parser(
        "individualize", help="MAP Bayesian parameters and forecast from measured levels",
        description="Estimate one patient's parameters from their measured concentrations "
                    "(MAP Bayesian, the model's published variability and residual error) and "
                    "forecast their curve. " + _DISCLAIMER,
        epilog='example:\n  ketpk individualize --model esketamine.otto2021 --dataset patient.csv '
               '--end "48 h" --csv forecast.csv --plot forecast.png\n\n' + _DISCLAIMER,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", metavar="ID", default="esketamine.otto2021",
                   help="model id (default esketamine.otto2021; see `ketpk models`)")
    p.add_argument("--dataset", required=True, metavar="CSV",
                   help="NONMEM-style CSV: ID, TIME, EVID, AMT, RATE, CMT, DV (+ WT, AGE, BLQ, LLOQ)")
    p.add_argument("--id", metavar="ID", help="the patient's ID (default: every ID in the dataset)")
    p.add_argument("--time-unit", default="h", help="unit of TIME (default h)")
    p.add_argument("--dv-unit", default="ng/mL", help="unit of DV and LLOQ (default ng/mL)")
    p.add_argument("--end", metavar="T", help='forecast span (default 1.5 × the last level)')
    p.add_argument("--step", default="10 min", metavar="DT", help='forecast step (default "10 min")')
    p.add_argument("--unit", default="ng/mL", help="concentration unit of the outputs (default ng/mL)")
    p.add_argument("--csv", metavar="PATH", help="write the forecast (or, for every ID, the parameters)")
    p.add_argument("--plot", metavar="PATH", help="write the forecast plot (.png, .pdf, .svg)")
    p.set_defaults(run=run)


def _grid(args: argparse.Namespace, posterior: Any) -> Any:
    from .timegrid import TimeGrid
    from .units import to_canonical

    if args.end is None:
        last = max([o.time_min for o in posterior.observations] + [60.0])
        end = float(1.5 * last)
    else:
        end = float(to_canonical(args.end, "[time]", "--end"))
    step = float(to_canonical(args.step, "[time]", "--step"))
    if not (end > 0 and step > 0):
        from .errors import ParameterError

        raise ParameterError(f"--end and --step must be positive; got {args.end!r} and {args.step!r}.")
    return TimeGrid(f"{end!r} min", step=args.step)


def run(args: argparse.Namespace) -> int:
    """Fit, print, write; returns the exit code."""
    from .errors import ParameterError
    from .fileio import write_csv
    from .posterior import individualize_dataset

    fits = individualize_dataset(args.dataset, args.model, time_unit=args.time_unit, dv_unit=args.dv_unit)
    if args.id is not None:
        if str(args.id) not in fits:
            raise ParameterError(f"--id {args.id!r} is not in the dataset; it has {', '.join(fits)}.")
        fits = {str(args.id): fits[str(args.id)]}
    print(_DISCLAIMER)
    if len(fits) > 1:
        if args.plot:
            raise ParameterError("--plot needs one patient: give --id.")
        names = next(iter(fits.values())).names
        header = ["ID", "converged", "objective", *(f"{n} [{u}]" for n, u in _units(fits))]
        rows = []
        for key, post in fits.items():
            values = post.parameters
            rows.append([key, str(post.converged), f"{post.objective:.6g}",
                         *(f"{values[n].magnitude:.6g}" for n in names)])
            print("  ".join(rows[-1]))
        if args.csv:
            write_csv(args.csv, header, rows, provenance={"model_id": next(iter(fits.values())).model.id})
            print(f"wrote {args.csv}")
        return 0
    posterior = next(iter(fits.values()))
    print(posterior.describe())
    forecast = posterior.simulate(times=_grid(args, posterior))
    if args.csv:
        forecast.to_csv(args.csv, unit=args.unit)
        print(f"wrote {args.csv}")
    if args.plot:
        from .plotting import plot_posterior, save_figure

        save_figure(plot_posterior(posterior, forecast, unit=args.unit), args.plot)
        print(f"wrote {args.plot}")
    return 0 if posterior.converged else 1


def _units(fits: dict[str, Any]) -> list[tuple[str, str]]:
    first = next(iter(fits.values()))
    values = first.parameters
    return [(n, f"{values[n].units:~}") for n in first.names]
