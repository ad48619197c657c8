"""``target_infusion``: read the targets, build each subject's system, run the TCI algorithm."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import models
from ..drugform import check_drug_form
from ..errors import ParameterError, UnitError
from ..model import DrugModel
from ..species import molar_mass
from ..units import Q_, as_quantity, parse_dose, scalar, to_canonical
from .algorithm import effect_rates, interval_response, plasma_rates
from .result import TCIResult
from .system import batch_system

__all__ = ["target_infusion", "concentration_umol"]

_SITES = ("plasma", "effect")
_ANALYTES = ("ketamine", "s_ketamine", "r_ketamine")
_MAX_UPDATES = 2_000_000  # 231 days at 10 s: a bound on the work and memory of one call
_TCI_SITE = "tci"


def concentration_umol(value: Any, name: str) -> float:
    """A ketamine concentration (``"0.5 ug/mL"``, ``"2 nmol/mL"``) in µmol/L, >= 0."""
    quantity = as_quantity(value, name)
    scalar(quantity.magnitude, name)
    if quantity.check("[mass] / [length] ** 3"):
        quantity = quantity / Q_(molar_mass("ketamine"), "g/mol")
    if not quantity.check("[substance] / [length] ** 3"):
        raise UnitError(f"`{name}` must be a concentration such as '0.5 ug/mL' or '2 nmol/mL'; "
                        f"got {value!r}.")
    umol = float(quantity.to("umol/L").magnitude)
    if not (math.isfinite(umol) and umol >= 0):
        raise ParameterError(f"`{name}` must be finite and >= 0; got {value!r}.")
    return umol


def _schedule(targets: Any) -> tuple[tuple[float, float], ...]:
    """Target steps as sorted ``(time min, target µmol/L)`` pairs."""
    if not isinstance(targets, (Mapping, list, tuple)):
        raise ParameterError(f"`targets` must be a mapping of times to concentrations, e.g. "
                             f"{{'0 min': '0.5 ug/mL'}}, or a list of (time, target) pairs; got "
                             f"{targets!r} of type {type(targets).__name__}.")
    items = list(targets.items()) if isinstance(targets, Mapping) else list(targets)
    if not items:
        raise ParameterError("`targets` is empty; give e.g. {'0 min': '0.5 ug/mL'}.")
    steps = []
    for item in items:
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise ParameterError(f"`targets` must map times to concentrations, e.g. "
                                 f"{{'0 min': '0.5 ug/mL', '30 min': '1 ug/mL'}} or a list of "
                                 f"(time, target) pairs; got the item {item!r}.")
        time = scalar(to_canonical(item[0], "[time]", "target time"), "target time")
        if not (math.isfinite(time) and time >= 0):
            raise ParameterError(f"target times must be finite and >= 0; got {item[0]!r}.")
        steps.append((time, concentration_umol(item[1], "target")))
    steps.sort(key=lambda step: step[0])
    times = [t for t, _ in steps]
    if len(set(times)) != len(times):
        raise ParameterError(f"`targets` gives two targets at the same time ({times}); give one per time.")
    return tuple(steps)


def _analyte(model: DrugModel, analyte: str, observed: Mapping[str, Any]) -> str:
    if analyte not in _ANALYTES:
        raise ParameterError(f"`analyte` must be one of {', '.join(_ANALYTES)} (the parent drug "
                             f"targeted); got {analyte!r}.")
    name = "ketamine" if model.drug == "esketamine" and analyte == "s_ketamine" else analyte
    if name not in observed:
        have = [a for a in observed if a in _ANALYTES or (model.drug == "esketamine" and a == "ketamine")]
        raise ParameterError(f"model {model.id!r} ({model.drug}) has no {analyte} concentration; "
                             f"it targets {', '.join(have)}. Use a model that resolves the "
                             "enantiomers (e.g. racemic.multiroute) or target 'ketamine'.")
    return name


def _with_ke0(model: DrugModel, analyte: str, ke0: Any) -> DrugModel:
    """``model`` with an effect site ``"<analyte>@tci"`` from ``ke0``: a rate constant (1/min)
    or an effect model of :mod:`ketpk.effects` (its t½ke0)."""
    from .. import effects

    if isinstance(ke0, (str, effects.EffectModel)) and (
            isinstance(ke0, effects.EffectModel) or ke0 in effects.EFFECT_MODELS):
        effect = effects.get(ke0)
        return effects.with_effect_site(model, site=_TCI_SITE, of=analyte, t_half=effect.t_half_ke0.value,
                                        source=f"{effect.id}: {effect.t_half_ke0.source}",
                                        assumption=effect.t_half_ke0.assumption)
    quantity = as_quantity(ke0, "ke0")
    if not quantity.check("1 / [time]"):
        raise UnitError(f"`ke0` must be a rate constant such as '0.26 1/min' or an effect model id "
                        f"({', '.join(effects.EFFECT_MODELS)}); got {ke0!r}.")
    return effects.with_effect_site(model, site=_TCI_SITE, of=analyte, ke0=quantity, source="user")


def _effect_analyte(model: DrugModel, analyte: str, ke0: Any, site: str) -> tuple[DrugModel, str | None]:
    """The model to run and its effect-site analyte (None when no ke0 is known)."""
    if ke0 is not None:
        return _with_ke0(model, analyte, ke0), f"{analyte}@{_TCI_SITE}"
    observed = model.system(model.individual({}, {}, 1)).observe
    sites = [a for a in observed if a.startswith(f"{analyte}@")]
    if sites:
        return model, sites[0]
    if site == "effect":
        raise ParameterError(
            f"effect-site targeting needs a ke0 and model {model.id!r} has no effect site for "
            f"{analyte}. Pass ke0='0.26 1/min' (a rate constant) or ke0='olofsen2022' (an effect "
            "model of ketpk.effects), or a model made with ketpk.effects.with_effect_site.")
    return model, None


def _max_rate(max_rate: Any, concentration: Any, weights: Any, n: int) -> np.ndarray:
    """The pump limit in mg/min per subject (inf when none)."""
    if max_rate is None:
        return np.full(n, np.inf)
    quantity = as_quantity(max_rate, "max_rate")
    if quantity.check("[length] ** 3 / [time]"):
        if concentration is None:
            raise ParameterError(f"`max_rate` {max_rate!r} is a volume rate; give the syringe "
                                 "`concentration` too, e.g. concentration='10 mg/mL'.")
        mg_per_ml = _syringe_mg_per_ml(concentration)
        rate = float(quantity.to("mL/min").magnitude) * mg_per_ml
        values, per_weight = np.full(n, rate), False
    else:
        magnitude, per_weight = parse_dose(quantity, "max_rate", kind="rate")
        values = np.full(n, magnitude)
    if per_weight:
        if weights is None:
            raise ParameterError(f"`max_rate` {max_rate!r} is per body weight; give the subject a weight.")
        values = values * weights
    if not np.all(values > 0):
        raise ParameterError(f"`max_rate` must be positive; got {max_rate!r}.")
    return values


def _syringe_mg_per_ml(concentration: Any) -> float:
    """The syringe concentration in mg/mL: one finite value > 0."""
    mg_per_l = scalar(to_canonical(concentration, "[mass] / [length] ** 3", "concentration"),
                      "concentration")
    mg_per_ml = mg_per_l / 1000.0
    if not (math.isfinite(mg_per_ml) and mg_per_ml > 0):
        raise ParameterError(f"`concentration` (the syringe) must be finite and positive, e.g. "
                             f"'10 mg/mL'; got {concentration!r}.")
    return mg_per_ml


def target_infusion(model: Any, targets: Any, *, subject: Any = None, until: Any = None,
                    site: str = "plasma", analyte: str = "ketamine", interval: Any = "10 s",
                    max_rate: Any = None, concentration: Any = None, ke0: Any = None) -> TCIResult:
    """The IV infusion schedule that reaches and holds target concentrations (TCI).

    Parameters
    ----------
    model : DrugModel or str
        Any model with an IV route (parent-only or parent + metabolite).
    targets : mapping, list of (time, target) pairs, or a target protocol
        Target steps, e.g. ``{"0 min": "0.5 ug/mL", "30 min": "1 ug/mL"}``; each holds until the
        next. A step takes effect at the first pump update at or after its time; before the first
        step the target is 0. A protocol from :func:`ketpk.protocols.target_protocol` brings its
        own ``until`` and ``analyte``.
    subject : Subject, list of Subject or population, optional
        Whose model is used; each subject gets their own schedule.
    until : Quantity or str [time]
        End of the schedule.
    site : {"plasma", "effect"}
        Target the plasma or the effect-site concentration (peak-time method).
    analyte : {"ketamine", "s_ketamine", "r_ketamine"}
        Total ketamine of the model, or an enantiomer (racemic models that resolve them; for an
        S-ketamine model "s_ketamine" is its "ketamine").
    interval : Quantity or str [time]
        Pump update interval (default 10 s).
    max_rate : Quantity or str, optional
        Pump limit: mg/h (or mg/kg/h), or mL/h with ``concentration``.
    concentration : Quantity or str [mass]/[volume], optional
        Syringe concentration (mg/mL), for mL/h limits and rates.
    ke0 : Quantity, str or EffectModel, optional
        Effect-site rate constant (``"0.26 1/min"``) or an effect model of :mod:`ketpk.effects`
        (``"olofsen2022"``: its t½ke0). Needed for ``site="effect"`` unless the model has an
        effect site of ``analyte``; when given with ``site="plasma"`` the effect site is
        predicted too.

    A model with an arterio-venous link (the defaults) is controlled at arterial plasma, its
    compartments (the result's model is ``model.at_site("arterial")``), as TCI models are.

    Returns
    -------
    TCIResult
    """
    from ..protocols.targets import TargetProtocol

    protocol = targets if isinstance(targets, TargetProtocol) else None
    if protocol is not None:
        until = protocol.until if until is None else until
        analyte = protocol.analyte
        targets = protocol.targets
    if site not in _SITES:
        raise ParameterError(f"`site` must be 'plasma' or 'effect'; got {site!r}.")
    if until is None:
        raise ParameterError("`until` is required: the end of the schedule, e.g. until='60 min'.")
    model = models.resolve(model)
    if protocol is not None:
        check_drug_form(model, protocol, protocol)
    if model.venous_link is not None:  # the defaults: control their compartments, arterial plasma
        model = model.at_site("arterial")
    steps = _schedule(targets)
    h = scalar(to_canonical(interval, "[time]", "interval"), "interval")
    end = scalar(to_canonical(until, "[time]", "until"), "until")
    if not (math.isfinite(h) and h > 0):
        raise ParameterError(f"`interval` must be positive; got {interval!r}.")
    if not (math.isfinite(end) and end >= h):
        raise ParameterError(f"`until` must be finite and at least one `interval` ({interval}); got {until!r}.")
    late = [t for t, _ in steps if t >= end]
    if late:
        raise ParameterError(f"`targets` has a step at {late[0]:g} min, at or after `until` ({until}); "
                             "it would never take effect. Move it before `until` or extend `until`.")
    K = math.ceil(end / h - 1e-9)
    if K > _MAX_UPDATES:
        raise ParameterError(f"{K} pump updates asked ({until} at {interval}); at most {_MAX_UPDATES}. "
                             "Use a longer `interval` or a shorter `until`.")
    if concentration is not None:
        _syringe_mg_per_ml(concentration)  # checked before any work, even when no mL/h limit uses it
    observed = model.system(model.individual({}, {}, 1)).observe
    name = _analyte(model, analyte, observed)
    model, effect = _effect_analyte(model, name, ke0, site)
    batch, system, b = batch_system(model, subject)
    E, g = interval_response(system.A, b, h)
    limit = _max_rate(max_rate, concentration, batch.weights, batch.n)
    times = np.arange(K + 1) * h
    starts = np.array([t for t, _ in steps])
    values = np.array([0.0] + [v for _, v in steps])
    target = values[np.searchsorted(starts, times[:-1] + 1e-9 * h, side="right")]
    targets_sk = np.broadcast_to(target, (batch.n, K))
    if site == "plasma":
        rates, path = plasma_rates(E, g, system.observe[name], targets_sk, limit)
    else:
        rates, path = effect_rates(E, g, system.observe[effect], system.observe[name], targets_sk,
                                   limit, min(K, math.ceil(24 * 60 / h)))
    observe = lambda a: np.einsum("si,ski->sk", system.observe[a], path)  # noqa: E731
    return TCIResult(
        model=model, subject=subject, single=batch.single, analyte=name, effect_analyte=effect,
        site=site, interval_min=h, times_min=times, steps=steps, target_umol=target,
        rates_mg_per_min=rates, max_rate_mg_per_min=limit,
        plasma_umol=observe(name), effect_umol=None if effect is None else observe(effect),
        concentration=None if concentration is None else as_quantity(concentration, "concentration"),
    )
