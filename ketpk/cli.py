"""The ``ketpk`` command line: list models and protocols, simulate, compare routes, populations.

Every physical value is a string with its unit (``--dose "25 mg"``, ``--rate "0.35 mg/kg/h"``,
``--end "12 h"``). Errors print one line on stderr and exit non-zero; files are written
atomically. Research and teaching only, not a dosing device.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]

_DISCLAIMER = "Research and teaching only: model predictions, not a dosing device."
_EPILOG = f"""examples:
  ketpk models
  ketpk simulate --drug esketamine --dose "0.5 mg/kg" --duration "40 min" --weight "70 kg" \\
      --end "12 h" --csv curves.csv --plot curves.png
  ketpk compare-routes --drug racemic --dose "25 mg" --end "24 h" --plot routes.png

{_DISCLAIMER}"""


class CliError(Exception):
    """A user error reported as one line (not a ketpk library error)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the --help to read."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{message} (see `{self.prog} --help`)")


def _optional_module(name: str, what: str) -> Any:
    """``ketpk.<name>`` if this installation has it, else a one-line error."""
    if importlib.util.find_spec(f"ketpk.{name}") is None:
        raise CliError(f"{what} are not available in this version of ketpk yet (no ketpk.{name}).")
    return importlib.import_module(f"ketpk.{name}")


# -- shared options ---------------------------------------------------------------------------------

def _add_model(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--model", metavar="ID", help="model id, e.g. esketamine.otto2021 (see `ketpk models`)")
    group.add_argument("--drug", choices=("esketamine", "racemic"),
                       help="drug form; uses that form's default model")


def _add_times(parser: argparse.ArgumentParser, end: str) -> None:
    parser.add_argument("--weight", metavar="W", help='body weight, e.g. "70 kg" (needed for per-kg doses)')
    parser.add_argument("--end", default=end, metavar="T", help=f'simulated time span (default "{end}")')
    parser.add_argument("--step", default="1 min", metavar="DT", help='output step (default "1 min")')
    parser.add_argument("--unit", default="ng/mL", help="concentration unit: ng/mL, mg/L, nmol/mL... (default ng/mL)")
    parser.add_argument("--csv", metavar="PATH", help="write the curves to this CSV file")
    parser.add_argument("--plot", metavar="PATH", help="write a plot (.png, .pdf, .svg)")
    parser.add_argument("--log", action="store_true", help="logarithmic concentration axis")


def _add_dose(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dose", metavar="AMOUNT", help='amount as free base, e.g. "25 mg" or "0.5 mg/kg"')
    parser.add_argument("--route", default="iv", help="route of administration (default iv; see `ketpk models`)")
    parser.add_argument("--rate", metavar="RATE", help='infusion rate, e.g. "20 mg/h" or "0.35 mg/kg/h"')
    parser.add_argument("--duration", metavar="T", help='infusion duration, e.g. "40 min"')
    parser.add_argument("--every", metavar="T", help='repeat the dose this often, e.g. "24 h" (with --count)')
    parser.add_argument("--count", type=int, default=1, help="number of doses when repeating (default 1)")


def _model(args: argparse.Namespace, fallback: str | None = None) -> Any:
    from . import models

    name = args.model or args.drug or fallback
    if name is None:
        raise CliError("choose a model: --drug esketamine|racemic or --model ID (see `ketpk models`).")
    return models.get(name)


def _subject(args: argparse.Namespace) -> Any:
    from .subject import Subject

    return Subject(weight=args.weight) if args.weight else None


def _times(args: argparse.Namespace) -> Any:
    import numpy as np

    from .units import Q_, to_canonical

    end = to_canonical(args.end, "[time]", "--end")
    step = to_canonical(args.step, "[time]", "--step")
    if not (end > 0 and step > 0):
        raise CliError(f"--end and --step must be positive; got {args.end!r} and {args.step!r}.")
    if end / step > 5_000_000:
        raise CliError(f"--end/--step asks for {end / step:.3g} output times; use a larger --step.")
    return Q_(np.arange(0.0, end + step / 2, step), "min")


def _dose(args: argparse.Namespace, weights_known: bool = False) -> Any:
    from .regimen import Bolus, Infusion

    if args.rate is None and args.duration is None:
        if args.dose is None:
            raise CliError("give a dose: --dose AMOUNT (bolus), add --duration or --rate for an "
                           "infusion, or --protocol NAME.")
        dose = Bolus("0 min", args.dose, route=args.route)
    else:
        dose = Infusion("0 min", route=args.route, amount=args.dose, rate=args.rate,
                        duration=args.duration)
    if args.every is not None:
        dose = dose.repeat(every=args.every, count=args.count)
    elif args.count != 1:
        raise CliError("--count needs --every (the interval between doses).")
    if not weights_known:
        _check_weight(dose, args)
    return dose


def _check_weight(dose: Any, args: argparse.Namespace) -> None:
    from .errors import RegimenError
    from .regimen import Regimen

    if args.weight is None:
        try:
            Regimen([dose] if not isinstance(dose, Regimen) else dose).resolve(None, 1)
        except RegimenError:
            raise CliError('the dose is per kg of body weight; add --weight, e.g. --weight "70 kg".') from None


def _option_value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _protocol(name: str, options: Sequence[str]) -> Any:
    protocols = _optional_module("protocols", "protocols")
    kwargs = {}
    for item in options:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CliError(f"--option must look like KEY=VALUE; got {item!r}.")
        kwargs[key] = _option_value(value)
    return protocols.get(name, **kwargs)


def _protocol_entries() -> list[Any]:
    return list(_optional_module("protocols", "protocols").available())


def _entry_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else str(getattr(entry, "name", getattr(entry, "id", entry)))


def _protocol_drug(name: str) -> str | None:
    for entry in _protocol_entries():
        if _entry_name(entry) == name:
            return getattr(entry, "drug", None)
    return None


def _check_paths(args: argparse.Namespace) -> None:
    """Fail before simulating if an output folder does not exist or the plot format is unknown,
    so that a failed command writes no file at all."""
    for option in ("csv", "plot"):
        path = getattr(args, option)
        if path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise CliError(f"--{option} {path!r}: the folder {os.path.dirname(path)!r} does not exist.")
    if args.plot:
        from .plotting import check_plot_path

        check_plot_path(args.plot)


def _write_outputs(args: argparse.Namespace, writer: Any, figure: Any) -> None:
    from .plotting import save_figure

    if args.csv:
        writer(args.csv)
        print(f"wrote {args.csv}")
    if args.plot:
        save_figure(figure(), args.plot)
        print(f"wrote {args.plot}")


def _print_assumptions(labels: Sequence[str]) -> None:
    for label in labels:
        print(f"  assumption: {label}")


# -- commands ----------------------------------------------------------------------------------------

def _cmd_models(args: argparse.Namespace) -> int:
    from . import models

    if args.describe:
        print(models.get(args.describe).describe())
        return 0
    defaults = {v: k for k, v in models.DEFAULTS.items()}
    rows = [("id", "drug", "routes", "evidence", "default for")]
    rows += [(m.id, m.drug, ",".join(m.routes), m.evidence, defaults.get(m.id, ""))
             for m in models.available() if args.drug in (None, m.drug)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    print("\n`ketpk models --describe ID` shows parameters, sources and the citation.")
    return 0


def _cmd_protocols(args: argparse.Namespace) -> int:
    entries = _protocol_entries()
    if args.describe:
        match = [e for e in entries if _entry_name(e) == args.describe]
        if not match:
            names = ", ".join(_entry_name(e) for e in entries)
            raise CliError(f"no protocol {args.describe!r}; available: {names}.")
        entry = match[0]
        print(entry.describe() if hasattr(entry, "describe") else entry)
        return 0
    for entry in entries:
        name = _entry_name(entry)
        extra = [str(getattr(entry, key)) for key in ("drug", "citation") if getattr(entry, key, None)]
        print("  ".join([name, *extra]))
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    from .compare import Comparison
    from .simulate import simulate

    if args.protocol:
        if args.dose or args.rate or args.duration or args.every:
            raise CliError("give either --protocol or --dose/--rate/--duration, not both.")
        regimen = _protocol(args.protocol, args.option)
        _check_weight(regimen, args)
        model = _model(args, _protocol_drug(args.protocol))
        label = args.protocol
    else:
        if args.option:
            raise CliError("--option sets protocol options; it needs --protocol.")
        regimen, model, label = _dose(args), _model(args), args.route
    result = simulate(model, regimen, _times(args), subjects=_subject(args))
    print(f"model {model.id}: {model.citation}")
    print(Comparison({label: result}, _subject(args)).format_table(unit=args.unit))
    _print_assumptions(result.assumptions)
    _write_outputs(args, lambda path: result.to_csv(path, unit=args.unit),
                   lambda: result.plot(unit=args.unit, log=args.log).figure)
    return 0


def _cmd_compare_routes(args: argparse.Namespace) -> int:
    from .compare import compare_routes

    model = _model(args)
    routes = args.routes.split(",") if args.routes else None
    if args.dose is None:
        raise CliError("give the dose to compare: --dose AMOUNT, e.g. --dose \"25 mg\".")
    comp = compare_routes(model, args.dose, routes, subject=_subject(args), times=_times(args))
    print(f"model {model.id}: {model.citation}")
    print(comp.format_table(unit=args.unit))
    _print_assumptions(comp.assumptions)
    _write_outputs(args, lambda path: comp.to_csv(path, unit=args.unit),
                   lambda: comp.plot(unit=args.unit, log=args.log))
    return 0


def _cmd_population(args: argparse.Namespace) -> int:
    import numpy as np

    from .simulate import simulate

    population = _optional_module("population", "virtual populations")
    model = _model(args)
    if args.n < 1:
        raise CliError(f"--n must be at least 1; got {args.n}.")
    try:
        levels = [float(p) for p in args.percentiles.split(",")]
    except ValueError:
        levels = [float("nan")]
    if not all(0 <= p <= 100 for p in levels):
        raise CliError(f"--percentiles must be comma-separated numbers in 0-100; got "
                       f"{args.percentiles!r}. E.g. --percentiles 5,50,95.")
    if args.seed < 0:
        raise CliError(f"--seed must be a whole number >= 0; got {args.seed}. E.g. --seed 1.")
    subjects = population.sample(model, args.n, seed=args.seed, weight=args.weight)
    result = simulate(model, _dose(args, weights_known=True), _times(args), subjects=subjects,
                      record="plasma")
    bands = {a: np.percentile(np.atleast_2d(result.concentration(a, args.unit).magnitude), levels, axis=0)
             for a in result.analytes}
    print(f"model {model.id}: {model.citation}; {args.n} subjects, seed {args.seed}")
    for analyte, band in bands.items():
        peaks = ", ".join(f"P{p:g} {v:.4g}" for p, v in zip(levels, band.max(axis=1)))
        print(f"  {analyte} peak of the percentile curve [{args.unit}]: {peaks}")

    def write(path: str) -> None:
        from .fileio import write_csv

        rows = ([f"{time:.10g}", *(f"{bands[a][k, t]:.10g}" for a in bands for k in range(len(levels)))]
                for t, time in enumerate(result.times_min))
        write_csv(path, ["time [min]", *(f"{a} P{p:g} [{args.unit}]" for a in bands for p in levels)],
                  rows, provenance={**result.metadata, "n_subjects": args.n, "citation": model.citation})

    def figure() -> Any:
        from . import plotting

        if not hasattr(plotting, "plot_percentiles"):
            raise CliError("percentile plots are not available in this version of ketpk yet.")
        drawn = plotting.plot_percentiles(result)
        return getattr(drawn, "figure", drawn)

    _write_outputs(args, write, figure)
    return 0


# -- parser ------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``ketpk`` command."""
    parser = _Parser(prog="ketpk", description=__doc__.split("\n\n")[0] + " " + _DISCLAIMER,
                     epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    from . import __version__

    parser.add_argument("--version", action="version", version=f"ketpk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("models", help="list the model library", description="List registered models.")
    p.add_argument("--drug", choices=("esketamine", "racemic"), help="only this drug form")
    p.add_argument("--describe", metavar="ID", help="show one model's parameters, sources and citation")
    p.set_defaults(run=_cmd_models)

    p = sub.add_parser("protocols", help="list the clinical regimen library",
                       description="List named clinical protocols (regimens from the literature).")
    p.add_argument("--describe", metavar="NAME", help="show one protocol's steps and sources")
    p.set_defaults(run=_cmd_protocols)

    p = sub.add_parser("simulate", help="simulate one regimen for one subject",
                       description="Simulate a protocol or a dose (bolus, infusion, repeated) and "
                                   "print Cmax, Tmax and AUC. " + _DISCLAIMER,
                       epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_model(p)
    p.add_argument("--protocol", metavar="NAME", help="a named protocol (see `ketpk protocols`)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="protocol option, repeatable")
    _add_dose(p)
    _add_times(p, "12 h")
    p.set_defaults(run=_cmd_simulate)

    p = sub.add_parser("compare-routes", help="one dose by several routes",
                       description="Simulate one bolus dose by each route of a model and print "
                                   "Cmax, Tmax and AUC per route. " + _DISCLAIMER)
    _add_model(p)
    p.add_argument("--dose", metavar="AMOUNT", help='amount as free base, e.g. "25 mg"')
    p.add_argument("--routes", metavar="R1,R2", help="comma-separated routes (default: all the model has)")
    _add_times(p, "24 h")
    p.set_defaults(run=_cmd_compare_routes)

    p = sub.add_parser("population", help="percentile curves of a virtual population",
                       description="Simulate a dose in a sampled virtual population (published "
                                   "inter-individual variability) and report percentile curves.")
    _add_model(p)
    _add_dose(p)
    p.add_argument("--n", type=int, default=500, help="number of virtual subjects (default 500)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--percentiles", default="5,50,95", help="comma-separated (default 5,50,95)")
    _add_times(p, "24 h")
    p.set_defaults(run=_cmd_population)
    return parser


def _errors() -> tuple[type[BaseException], ...]:
    import pint

    from .errors import KetpkError

    return (CliError, KetpkError, pint.errors.PintError, OSError, ValueError, TypeError, LookupError)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return _run(argv)
        finally:
            for warning in caught:
                print(f"ketpk: warning: {warning.message}", file=sys.stderr)


def _run(argv: Sequence[str] | None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        if hasattr(args, "csv"):
            _check_paths(args)
        return args.run(args)
    except SystemExit as done:  # --help and --version
        return int(done.code or 0)
    except KeyboardInterrupt:
        print("ketpk: interrupted", file=sys.stderr)
        return 130
    except _errors() as err:
        message = " ".join(str(err).split())
        print(f"ketpk: error: {message}", file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - the promise is: never a traceback
        print(f"ketpk: internal error ({type(err).__name__}: {err}); please report it.", file=sys.stderr)
        return 3
