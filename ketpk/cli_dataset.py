"""``ketpk dataset``: predictions at every record of a NONMEM-format dataset."""

from __future__ import annotations

import argparse

__all__ = ["add_parser"]


def _pairs(text: str | None, option: str, number: bool) -> dict | None:
    """``"a=1,b=2"`` as a dict (values int when ``number``)."""
    from .errors import ParameterError

    if not text:
        return None
    out = {}
    for item in text.split(","):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ParameterError(f"{option} must read NAME=VALUE[,NAME=VALUE...]; got {text!r}.")
        try:
            out[key.strip()] = int(value) if number else value.strip()
        except ValueError:
            raise ParameterError(f"{option}: {value!r} is not a whole number.") from None
    return out


def add_parser(sub) -> None:
    """Register the ``dataset`` subcommand on the ``ketpk`` subparsers ``sub``."""
    p = sub.add_parser("dataset", help="predictions at every record of a NONMEM-format dataset",
                       description="Run every individual of a NONMEM-format dataset (EVID 0-4, SS, "
                                   "ADDL, RATE -1/-2, covariates) and print or write PRED at each "
                                   "record (docs/datasets.md).")
    p.add_argument("data", metavar="DATA.csv", help="the dataset")
    p.add_argument("--model", required=True, metavar="ID|CARD.toml",
                   help="model id (see `ketpk models`) or a model card file")
    p.add_argument("--cmt", metavar="ROUTE=N,...", help='route -> CMT, e.g. "oral=1,iv=2"')
    p.add_argument("--individual", metavar="PARAM=COLUMN,...",
                   help="columns with each subject's own parameter values (adds IPRED)")
    p.add_argument("--seed", type=int, metavar="N",
                   help="draw random effects with this seed (etas per ID, kappas per ID and OCC, "
                        "as NONMEM's $SIMULATION; adds IPRED, OCC, ETA_ and KAPPA_ columns)")
    p.add_argument("--carry", choices=("nocb", "locf"), default="nocb", help="covariate rule (default nocb)")
    p.add_argument("--solver", choices=("exact", "ode"), default="exact")
    p.add_argument("--time-unit", default="h", help="unit of TIME, II, DUR (default h)")
    p.add_argument("--amount-unit", default="mg", help="unit of AMT (default mg)")
    p.add_argument("--conc-unit", default="ng/mL", help="unit of the predictions (default ng/mL)")
    p.add_argument("--csv", metavar="FILE", help="write the whole table to a CSV file")
    p.set_defaults(run=_run, plot=None)


def _run(args: argparse.Namespace) -> int:
    from . import models
    from .dataset import simulate_dataset
    from .usermodels import from_toml

    model = from_toml(args.model) if args.model.endswith(".toml") else models.get(args.model)
    result = simulate_dataset(args.data, model, solver=args.solver, time_unit=args.time_unit,
                              amount_unit=args.amount_unit, conc_unit=args.conc_unit, carry=args.carry,
                              cmt=_pairs(args.cmt, "--cmt", True),
                              individual=_pairs(args.individual, "--individual", False),
                              variability=args.seed is not None, seed=args.seed)
    ids = len(set(result["ID"].tolist()))
    print(f"{len(result)} records, {ids} individual(s), model {model.id}, {args.solver} solver, "
          f"concentrations in {args.conc_unit}")
    shown = [c for c in ("ID", "TIME", "EVID", "DV", "PRED", "IPRED") if c in result.columns]
    print("  ".join(f"{c:>10}" for c in shown))
    for i in range(min(len(result), 10)):
        print("  ".join(f"{result[c][i]:10.5g}" for c in shown))
    if len(result) > 10:
        print(f"... {len(result) - 10} more (--csv FILE writes all)")
    if args.csv:
        result.to_csv(args.csv)
        print(f"wrote {args.csv}")
    return 0
