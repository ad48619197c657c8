"""The ``ketpk`` command line: list models and protocols, simulate, compare routes, populations.

Every physical value is a string with its unit (``--dose "25 mg"``, ``--rate "0.35 mg/kg/h"``,
``--end "12 h"``). Errors print one line on stderr and exit non-zero; files are written
atomically. Research and teaching only, not a dosing device.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from .errors import CliError

__all__ = ["main"]

_DISCLAIMER = "Research and teaching only: model predictions, not a dosing device."
_EPILOG = f"""examples:
  ketpk models
  ketpk simulate --drug esketamine --dose "0.5 mg/kg" --duration "40 min" --weight "70 kg" \\
      --end "12 h" --csv curves.csv --plot curves.png
  ketpk compare-routes --drug racemic --dose "25 mg" --end "24 h" --plot routes.png
  ketpk protocols --describe schwartzman2009 --weight "70 kg"
  ketpk simulate --protocol sigtermans2009 --weight "70 kg" --end "5 d" --step "10 min" --plot s.png
  ketpk population --drug esketamine --dose "0.25 mg/kg" --duration "40 min" --n 500 --plot bands.png

{_DISCLAIMER}"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the --help to read."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{message} (see `{self.prog} --help`)")


# -- shared options ---------------------------------------------------------------------------------

def _add_model(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--model", metavar="ID", help="model id, e.g. esketamine.otto2021 (see `ketpk models`)")
    group.add_argument("--drug", choices=("esketamine", "racemic"),
                       help="drug form; uses that form's default model")


def _add_sampling(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sampling", choices=("arterial", "venous"),
                        help="plasma simulated (default: the model's own site; the defaults simulate both)")


def _add_times(parser: argparse.ArgumentParser, end: str,
               weight: str = 'body weight, e.g. "70 kg" (needed for per-kg doses)') -> None:
    parser.add_argument("--weight", metavar="W", help=weight)
    parser.add_argument("--age", metavar="A", help='age, e.g. "45 year" (for models scaled by age)')
    parser.add_argument("--sex", choices=("female", "male"), help="sex (for models scaled by sex)")
    parser.add_argument("--end", default=end, metavar="T", help=f'simulated time span (default "{end}")')
    parser.add_argument("--step", default="1 min", metavar="DT", help='output step (default "1 min")')
    parser.add_argument("--unit", default="ng/mL", help="concentration unit: ng/mL, mg/L, nmol/mL... (default ng/mL)")
    parser.add_argument("--csv", metavar="PATH", help="write the curves to this CSV file")
    parser.add_argument("--plot", metavar="PATH", help="write a plot (.png, .pdf, .svg)")
    parser.add_argument("--log", action="store_true", help="logarithmic concentration axis")


def _add_analytes(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--analytes", metavar="A,B", help="analytes in the table and plot: a comma "
                        "list, or all (default: ketamine,norketamine)")


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

    given = {k: getattr(args, k, None) for k in ("weight", "age", "sex")}
    return Subject(**given) if any(v is not None for v in given.values()) else None


def _times(args: argparse.Namespace) -> Any:
    from .timegrid import MAX_TIMES, TimeGrid
    from .units import to_canonical

    end = to_canonical(args.end, "[time]", "--end")
    step = to_canonical(args.step, "[time]", "--step")
    if not (end > 0 and step > 0):
        raise CliError(f"--end and --step must be positive; got {args.end!r} and {args.step!r}.")
    if end / step > MAX_TIMES:
        raise CliError(f"--end/--step asks for {end / step:.3g} output times; use a larger --step.")
    return TimeGrid(args.end, step=args.step)


def _dose(args: argparse.Namespace, need_weight: bool = True) -> Any:
    """The --dose/--rate/--duration/--every regimen; per-kg doses need --weight if ``need_weight``."""
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
    if need_weight:
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
    from . import protocols

    kwargs = {}
    for item in options:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CliError(f"--option must look like KEY=VALUE; got {item!r}.")
        kwargs[key] = _option_value(value)
    return protocols.get(name, **kwargs)


def _protocol_model(args: argparse.Namespace, protocol: Any) -> Any:
    """The model for a protocol: --model/--drug if given (same drug form), else its form's default."""
    model = _model(args, protocol.drug)
    if model.drug != protocol.drug:
        raise CliError(f"protocol {protocol.name!r} doses {protocol.drug}, but model {model.id!r} is "
                       f"{model.drug}; drop --drug/--model or choose a model whose drug is {protocol.drug}.")
    return model


def _check_outputs(args: argparse.Namespace) -> None:
    """Fail before simulating if an output cannot be written: a missing or read-only folder, a
    path that is a folder, a plot format matplotlib lacks, --csv and --plot on one file, or an
    empty or unknown --unit."""
    from .plotting import check_plot_path

    chosen = {option: getattr(args, option, None) for option in ("csv", "plot")}
    chosen = {option: path for option, path in chosen.items() if path}
    for option, path in chosen.items():
        folder = os.path.dirname(os.path.abspath(path))
        if not path.strip():
            raise CliError(f"--{option} needs a file name; got {path!r}.")
        if not os.path.isdir(folder):
            raise CliError(f"--{option} {path!r}: the folder {os.path.dirname(path)!r} does not exist.")
        if os.path.isdir(path):
            raise CliError(f"--{option} {path!r} is a folder; give a file name, e.g. {option}s/out."
                           f"{'csv' if option == 'csv' else 'png'}.")
        if not os.access(folder, os.W_OK):
            raise CliError(f"--{option} {path!r}: the folder {folder!r} is not writable.")
        if option == "plot":
            check_plot_path(path)
    if len(chosen) == 2 and os.path.abspath(chosen["csv"]) == os.path.abspath(chosen["plot"]):
        raise CliError(f"--csv and --plot name the same file {chosen['csv']!r}; give each its own.")
    unit = getattr(args, "unit", None)
    if isinstance(unit, str):
        from .units import parse_unit

        parse_unit(unit, "--unit")  # an empty or unknown unit fails here, before any work


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
    from . import protocols

    if args.describe:
        print(protocols.get(args.describe).describe(_subject(args)))
        return 0
    rows = [("name", "drug", "routes", "summary")]
    rows += [(p.name, p.drug, ",".join(p.routes), p.summary.replace("*", ""))
             for p in protocols.available()]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print("  ".join([*(c.ljust(w) for c, w in zip(row, widths)), row[3]]))
    print("\n`ketpk protocols --describe NAME [--weight W]` shows steps, options, citation and "
          "assumptions; `ketpk simulate --protocol NAME` simulates one.")
    return 0


def _analytes(args: argparse.Namespace, source: Any) -> tuple[str, ...]:
    """--analytes (``all`` or a comma list), else ketamine and norketamine (those present).

    ``source`` is a Comparison or a DrugModel (its plasma analytes)."""
    if hasattr(source, "results"):
        present = source.analytes
    else:  # a model: the analytes its system observes
        present = tuple(source.system(source.individual({}, {}, 1)).observe)
    if args.analytes == "all":
        return present
    if args.analytes:
        chosen = tuple(a.strip() for a in args.analytes.split(","))
        unknown = [a for a in chosen if a not in present]
        if unknown:
            raise CliError(f"--analytes: {', '.join(unknown)} not simulated; the model has "
                           f"{', '.join(present)}.")
        return chosen
    return tuple(a for a in ("ketamine", "norketamine") if a in present) or present[:1]


def _report(args: argparse.Namespace, model: Any, comparison: Any, writer: Any, title: str) -> None:
    """Print the citation, the metrics table and the assumptions; write --csv/--plot."""
    analytes = _analytes(args, comparison)
    print(f"model {model.id}: {model.citation}")
    print(comparison.format_table(unit=args.unit, analytes=analytes))
    _print_assumptions(comparison.assumptions)
    _write_outputs(args, writer, lambda: comparison.plot(unit=args.unit, log=args.log, analytes=analytes,
                                                         title=f"{title} — model {model.id}"))


def _who(args: argparse.Namespace) -> str:
    """``", 70 kg"`` for plot titles: the subject's covariates given on the command line."""
    subject = _subject(args)
    return f", {str(subject).removeprefix('subject ')}" if subject is not None else ""


def _cmd_simulate(args: argparse.Namespace) -> int:
    from .compare import Comparison
    from .simulate import simulate

    model, regimen, what = _chosen_regimen(args, need_weight=True)
    label, kind = (args.protocol, "regimens") if args.protocol else (args.route, "routes")
    subject = _subject(args)
    result = simulate(model, regimen, _times(args), subjects=subject, scenario=args.scenario or None,
                      sampling=args.sampling)
    _report(args, model, Comparison({label: result}, subject, kind),
            lambda path: result.to_csv(path, unit=args.unit), what + _who(args))
    return 0


def _cmd_compare_routes(args: argparse.Namespace) -> int:
    from .compare import compare_routes

    from .regimen import Infusion

    model = _model(args)
    routes = args.routes.split(",") if args.routes else None
    if args.dose is None and args.rate is None:
        raise CliError("give the dose to compare: --dose AMOUNT (a bolus, e.g. --dose \"25 mg\"), "
                       "with --duration or --rate for an infusion.")
    if args.rate is None and args.duration is None:
        dose, what = args.dose, f"{args.dose} bolus"
    else:  # the route is replaced by each compared route
        dose = Infusion("0 min", amount=args.dose, rate=args.rate, duration=args.duration)
        what = "infusion " + " ".join(filter(None, (args.dose, args.rate, args.duration and f"over {args.duration}")))
    comp = compare_routes(model, dose, routes, subject=_subject(args), times=_times(args),
                          sampling=args.sampling)
    _report(args, model, comp, lambda path: comp.to_csv(path, unit=args.unit),
            f"{what} by route{_who(args)}")
    return 0


def _percentile_levels(args: argparse.Namespace) -> tuple[float, ...]:
    try:
        levels = tuple(float(p) for p in args.percentiles.split(","))
    except ValueError:
        raise CliError(f"--percentiles must be numbers like 5,50,95; got {args.percentiles!r}.") from None
    if not all(0 <= p <= 100 for p in levels) or list(levels) != sorted(set(levels)):
        raise CliError(f"--percentiles must be ascending values in 0-100; got {args.percentiles!r}.")
    if args.plot and len(levels) % 2 != 1:
        raise CliError(f"--plot draws a median and symmetric bands: give an odd number of "
                       f"--percentiles, e.g. 5,50,95; got {args.percentiles!r}.")
    return levels


def _chosen_regimen(args: argparse.Namespace, need_weight: bool) -> tuple[Any, Any, str]:
    """(model, regimen, description): --protocol NAME (with --option) or a --dose; per-kg doses
    need --weight if ``need_weight``."""
    if args.protocol:
        if args.dose or args.rate or args.duration or args.every:
            raise CliError("give either --protocol or --dose/--rate/--duration, not both.")
        regimen = _protocol(args.protocol, args.option)
        if need_weight:
            _check_weight(regimen, args)
        return _protocol_model(args, regimen), regimen, args.protocol
    if args.option:
        raise CliError("--option sets protocol options; it needs --protocol.")
    what = " ".join(filter(None, (args.dose, args.rate, args.route, args.duration)))
    return _model(args), _dose(args, need_weight=need_weight), what


def _cmd_population(args: argparse.Namespace) -> int:
    import numpy as np

    from . import population
    from .species import analyte_label
    from .summary import summarize

    if args.n < 1:
        raise CliError(f"--n must be at least 1; got {args.n}.")
    levels = _percentile_levels(args)
    if args.seed < 0:
        raise CliError(f"--seed must be a whole number >= 0; got {args.seed}. E.g. --seed 1.")
    model, regimen, what = _chosen_regimen(args, need_weight=False)
    female = {"female": 1.0, "male": 0.0, None: 0.5}[args.sex]
    subjects = population.sample(model, args.n, seed=args.seed, weight=args.weight, age=args.age,
                                 female=female)
    analytes = _analytes(args, model)
    summary = summarize(model, regimen, _times(args), subjects=subjects, q=levels, analytes=analytes,
                        progress=False if args.no_progress else None, sampling=args.sampling)
    who = ", ".join(filter(None, ("weight " + args.weight if args.weight else "sampled weights",
                                  args.age and "age " + args.age, args.sex)))
    print(f"model {model.id}: {model.citation}")
    print(f"{args.n} virtual subjects (seed {args.seed}, {who}, published inter-individual variability)")
    for analyte in analytes:
        for name, values in (("Cmax", summary.cmax(analyte, args.unit)),
                             ("AUC", summary.auc(analyte, f"{args.unit}*h"))):
            spread = ", ".join(f"P{p:g} {v:.4g}" for p, v in zip(levels, np.percentile(values.magnitude, levels)))
            unit = args.unit if name == "Cmax" else f"{args.unit}·h"
            print(f"  {analyte_label(model.drug, analyte)} {name} [{unit}] across subjects: {spread}")
    _print_assumptions(model.assumptions + tuple(getattr(regimen, "assumptions", ())))

    def write(path: str) -> None:
        from .fileio import write_csv

        bands = [(a, p, summary.percentile(a, p, args.unit).magnitude) for a in analytes for p in levels]
        rows = ([f"{time / 60:.12g}", *(f"{band[t]:.10g}" for _, _, band in bands)]
                for t, time in enumerate(summary.times_min))
        provenance = {**summary.metadata, "citation": model.citation, "regimen": what,
                      "subjects": f"{args.n} ({who})"}
        write_csv(path, ["time [h]", *(f"{a} P{p:g} [{args.unit}]" for a, p, _ in bands)], rows,
                  provenance=provenance)

    def figure() -> Any:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(len(analytes), 1, figsize=(7.5, 3.0 * len(analytes) + 0.8),
                                 sharex=True, layout="constrained", squeeze=False)
        for ax, analyte in zip(axes[:, 0], analytes):
            summary.plot(analyte, q=levels, unit=args.unit, ax=ax, log=args.log, title="")
            ax.set_xlabel("")
        axes[-1, 0].set_xlabel("time [h]")
        fig.suptitle(f"{what}, {args.n} virtual subjects ({who}) — model {model.id}", fontsize=10)
        return fig

    _write_outputs(args, write, figure)
    return 0


def _cmd_app(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise CliError(f"--port must be from 1 to 65535; got {args.port}.")
    from .app import run

    run(args.host, args.port, args.browser)
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
    p.add_argument("--describe", metavar="NAME", help="show one protocol's steps, options, sources and assumptions")
    p.add_argument("--weight", metavar="W", help='with --describe: totals and binding caps for this body weight')
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
    p.add_argument("--scenario", action="append", default=[], metavar="NAME",
                   help="a drug interaction what-if, repeatable: clarithromycin, itraconazole, "
                        "ticlopidine, rifampicin, grapefruit_juice, st_johns_wort (docs/scenarios.md)")
    _add_sampling(p)
    _add_times(p, "12 h")
    _add_analytes(p)
    p.set_defaults(run=_cmd_simulate)

    p = sub.add_parser("compare-routes", help="one dose by several routes",
                       description="Simulate one dose (a bolus, or an infusion with --rate or "
                                   "--duration) by each route of a model and print Cmax, Tmax and "
                                   "AUC per route. " + _DISCLAIMER)
    _add_model(p)
    p.add_argument("--dose", metavar="AMOUNT", help='amount as free base, e.g. "25 mg" or "0.5 mg/kg"')
    p.add_argument("--rate", metavar="RATE", help='infusion rate instead of a bolus, e.g. "20 mg/h"')
    p.add_argument("--duration", metavar="T", help='infusion duration instead of a bolus, e.g. "40 min"')
    p.add_argument("--routes", metavar="R1,R2", help="comma-separated routes (default: all the model has)")
    _add_sampling(p)
    _add_times(p, "24 h")
    _add_analytes(p)
    p.set_defaults(run=_cmd_compare_routes)

    p = sub.add_parser("population", help="percentile curves of a virtual population",
                       description="Simulate a dose in a sampled virtual population (published "
                                   "inter-individual variability) and report percentile curves.")
    _add_model(p)
    _add_dose(p)
    p.add_argument("--n", type=int, default=500, help="number of virtual subjects (default 500)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--protocol", metavar="NAME", help="a named protocol instead of a dose (see `ketpk protocols`)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="protocol option, repeatable")
    p.add_argument("--percentiles", default="5,50,95", help="comma-separated (default 5,50,95)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (default: shown on a terminal)")
    _add_sampling(p)
    _add_times(p, "24 h", weight='one body weight for every subject (default: sampled, see ketpk.population)')
    _add_analytes(p)
    p.set_defaults(run=_cmd_population)

    from .cli_individualize import add_parser as add_individualize
    from .cli_tci import add_tci_parser

    add_tci_parser(sub)
    add_individualize(sub)

    from .cli_validate import add_parser as add_validate

    add_validate(sub)

    from .cli_dataset import add_parser as add_dataset

    add_dataset(sub)

    p = sub.add_parser("app", help="the interactive teaching page (pip install \"ketpk[app]\")",
                       description="Serve an interactive page: routes, doses, protocols, curves, "
                                   "metrics, a population band and CSV download. " + _DISCLAIMER)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--browser", action="store_true", help="open the page in the default web browser")
    p.set_defaults(run=_cmd_app)
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
        _check_outputs(args)
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
