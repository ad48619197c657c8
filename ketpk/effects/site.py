"""Effect compartments on any :class:`~ketpk.DrugModel`: ``with_effect_site``.

The effect site of an analyte is a hypothetical compartment of negligible volume that follows
plasma with first-order delay, dCe/dt = ke0·(Cp − Ce) (Sheiner et al. 1979, Clin Pharmacol Ther
25:358, doi:10.1002/cpt1979253358). It is an extra linear state of the same system, so the exact
and ODE solvers compute it with the plasma curves, and ``result.concentration("ketamine@<site>")``
returns it like any plasma analyte.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..errors import ParameterError
from ..model import DrugModel, Parameter, Params, SystemBuilder
from ..units import as_quantity

__all__ = ["with_effect_site", "site_parameter"]

_SITE = re.compile(r"[a-z][a-z0-9_]*\Z")


def site_parameter(site: str, *, ke0: Any = None, t_half: Any = None, source: str = "",
                   assumption: str | None = None) -> Parameter:
    """The ke0 (1/min) or t½ke0 (time) parameter of effect site ``site``; give exactly one."""
    if (ke0 is None) == (t_half is None):
        raise ParameterError("give exactly one of `ke0` (e.g. '0.0835 1/min') or `t_half` (e.g. '8.3 min').")
    if t_half is not None:
        value = as_quantity(t_half, "t_half")
        return Parameter(f"t_half_ke0_{site}", value, f"blood–effect-site equilibration half-life, {site}",
                         source or "user", assumption=assumption)
    return Parameter(f"ke0_{site}", as_quantity(ke0, "ke0"), f"blood–effect-site rate constant, {site}",
                     source or "user", assumption=assumption)


def _ke0(parameter: Parameter, params: Params) -> Any:
    value = params[parameter.name]
    return math.log(2) / value if parameter.name.startswith("t_half") else value


def with_effect_site(model: DrugModel, *, site: str, of: str | Sequence[str] = "ketamine",
                     ke0: Any = None, t_half: Any = None, source: str = "",
                     assumption: str | None = None) -> DrugModel:
    """A copy of ``model`` with an effect site ``site`` for analyte(s) ``of``.

    ``ke0`` (e.g. ``"0.0835 1/min"``) or ``t_half`` (t½ke0 = ln 2 / ke0, e.g. ``"8.3 min"``) sets
    the equilibration; ``source`` cites it, ``assumption`` labels it if it is not published. Each
    analyte ``a`` in ``of`` (parent, metabolite) gets ``result.concentration(f"{a}@{site}")``.
    Apply again with another ``site`` for more effects.

    >>> import ketpk
    >>> m = with_effect_site(ketpk.models.get("esketamine"), site="pain", t_half=ketpk.Q_(8.3, "min"))
    >>> m.id
    'esketamine.multiroute@pain'
    """
    if not isinstance(model, DrugModel):
        raise ParameterError(f"`model` must be a DrugModel; got {model!r}.")
    if not isinstance(site, str) or not _SITE.match(site):
        raise ParameterError(f"`site` must be a lower-case identifier such as 'antinociception'; got {site!r}.")
    analytes = (of,) if isinstance(of, str) else tuple(of)
    parameter = site_parameter(site, ke0=ke0, t_half=t_half, source=source, assumption=assumption)
    if any(p.name == parameter.name for p in model.parameters):
        raise ParameterError(f"model {model.id!r} already has an effect site {site!r}; choose another name.")
    if parameter.canonical <= 0:
        raise ParameterError(f"`{parameter.name}` must be positive; got {parameter.value}.")
    structure = model.structure

    def with_site(p: Params) -> SystemBuilder:
        builder = structure(p)
        for analyte in analytes:
            builder.effect_site(analyte, site, _ke0(parameter, p))
        return builder

    wrapped = replace(model, id=f"{model.id}@{site}", structure=with_site,
                      parameters=model.parameters + (parameter,),
                      notes=model.notes + (f"effect site {site!r} of {', '.join(analytes)}: "
                                           f"{parameter.name} = {parameter.value:~P} ({parameter.source})",))
    wrapped.analytes  # builds the typical system: fail now, not at simulate(), if an analyte is missing
    return wrapped
