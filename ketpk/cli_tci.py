"""The ``ketpk tci`` subcommand: a target-controlled infusion schedule, printed and written.

Registered by :mod:`ketpk.cli`; errors are ketpk errors, which the command line prints as one line.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_tci_parser", "EXAMPLES"]

_DESCRIPTION = ("Compute the IV infusion rates that reach and hold target ketamine concentrations "
                "(plasma or effect site) for one subject, print the rate table and write CSV/plot. "
                "Research and teaching only: model predictions, not a dosing device.")
EXAMPLES = """examples:
  ketpk tci --model racemic.kamp2020 --target "0 min=0.5 ug/mL" --target "30 min=1 ug/mL" \\
      --until 60min --weight 70kg --csv tci.csv --plot tci.png
  ketpk tci --model racemic.kamp2020 --target "0 min=0.5 ug/mL" --until 60min --weight 70kg \\
      --site effect --ke0 "0.3 1/min" --max-rate "60 mL/h" --concentration "10 mg/mL"
  ketpk tci --model esketamine.otto2021 --protocol sigtermans2009_tci --weight 70kg"""


def add_tci_parser(sub: Any) -> None:
    """Add the ``tci`` subcommand to the ``ketpk`` subparsers ``sub``."""
    p = sub.add_parser("tci", help="target-controlled infusion: rates for target concentrations",
                       description=_DESCRIPTION, epilog=EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--model", metavar="ID", help="model id, e.g. racemic.kamp2020 (see `ketpk models`)")
    group.add_argument("--drug", choices=("esketamine", "racemic"), help="use that form's default model")
    p.add_argument("--target", action="append", default=[], metavar="TIME=CONC",
                   help='a target step, repeatable, e.g. "0 min=0.5 ug/mL"')
    p.add_argument("--protocol", metavar="NAME", help="a target protocol: sigtermans2009_tci, bowdle1998")
    p.add_argument("--until", metavar="T", help='end of the schedule, e.g. "60 min"')
    p.add_argument("--weight", metavar="W", help='body weight, e.g. "70 kg"')
    p.add_argument("--age", metavar="A", help='age, e.g. "40 year" (models with an age covariate)')
    p.add_argument("--site", choices=("plasma", "effect"), default="plasma", help="targeted site (default plasma)")
    p.add_argument("--analyte", default="ketamine", choices=("ketamine", "s_ketamine", "r_ketamine"),
                   help="targeted analyte (default ketamine: the model's total parent)")
    p.add_argument("--ke0", metavar="KE0", help='effect-site rate constant, e.g. "0.3 1/min", or an '
                   "effect model id such as olofsen2022 (needed for --site effect)")
    p.add_argument("--interval", default="10 s", metavar="DT", help='pump update interval (default "10 s")')
    p.add_argument("--max-rate", metavar="RATE", help='pump limit, e.g. "1200 mg/h" or "100 mL/h" (with --concentration)')
    p.add_argument("--concentration", metavar="C", help='syringe concentration, e.g. "10 mg/mL" (rates also in mL/h)')
    p.add_argument("--unit", default="ng/mL", help="concentration unit (default ng/mL)")
    p.add_argument("--rows", type=int, default=40, help="rate-table rows to print (default 40; the CSV has all)")
    p.add_argument("--csv", metavar="PATH", help="write every update: rate, target, predictions")
    p.add_argument("--plot", metavar="PATH", help="write the plot: targets and predictions, rate underneath")
    p.set_defaults(run=_run)


def _targets(args: argparse.Namespace) -> Any:
    from .errors import ParameterError
    from .protocols import target_protocol

    if bool(args.protocol) == bool(args.target):
        raise ParameterError("give the targets with --target TIME=CONC (repeatable) or --protocol NAME, "
                             "one of the two.")
    if args.protocol:
        return target_protocol(args.protocol)
    steps = []
    for item in args.target:
        time, sep, value = item.partition("=")
        if not sep or not time.strip() or not value.strip():
            raise ParameterError(f'--target must look like "0 min=0.5 ug/mL"; got {item!r}.')
        steps.append((time.strip(), value.strip()))
    return steps


def _run(args: argparse.Namespace) -> int:
    from . import models
    from .plotting import save_figure
    from .subject import Subject
    from .tci import target_infusion
    from .units import convert

    if args.rows < 0:
        from .errors import CliError

        raise CliError(f"--rows must be 0 or more (rate-table rows to print); got {args.rows}.")
    convert(1.0, "umol/L", "ketamine", args.unit, name="--unit",  # checked before any output
            expected="a concentration such as 'ng/mL' or 'umol/L'")
    model = models.get(args.model or args.drug or "racemic")
    subject = Subject(weight=args.weight, age=args.age) if (args.weight or args.age) else None
    res = target_infusion(model, _targets(args), subject=subject, until=args.until, site=args.site,
                          analyte=args.analyte, interval=args.interval, max_rate=args.max_rate,
                          concentration=args.concentration, ke0=args.ke0)
    print(f"TCI {res.model.id}: {res.site} target of {res.analyte}, update every "
          f"{res.interval_min * 60:g} s; total {res.total_amount().to('mg').magnitude:.4g} mg")
    print(f"  citation: {res.model.citation}")
    rows = res.table(unit=args.unit)
    keys = list(rows[0])
    print("  " + "  ".join(f"{k:>14}" for k in keys))
    for row in rows[:args.rows]:
        print("  " + "  ".join(f"{row[k]:14.4f}" for k in keys))
    if len(rows) > args.rows:
        print(f"  ... {len(rows) - args.rows} more rows (all in --csv)")
    for label in res.model.assumptions:
        print(f"  assumption: {label}")
    if args.csv:
        res.to_csv(args.csv, unit=args.unit)
        print(f"wrote {args.csv}")
    if args.plot:
        save_figure(res.plot(unit=args.unit), args.plot)
        print(f"wrote {args.plot}")
    return 0
