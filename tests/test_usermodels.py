"""User-defined models: a TOML card reproduces closed forms; every bad card fails with its field."""

from __future__ import annotations

import copy
import textwrap
import tomllib

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ketpk import Bolus, CovariateRangeWarning, KetpkError, ModelNotFoundError, ParameterError, Q_, Subject, simulate
from ketpk import models
from ketpk.errors import FileError

from .analytic import bateman, one_cmt_bolus

CARD = """
id = "racemic.user_toy"
drug = "racemic"
population = "toy adults"
sampling = "venous"
notes = ["closed-form test card"]
covariate_range = { weight = [50, 100] }

[citation]
authors = "Test A"
year = 2024
title = "Toy card"
journal = "ketpk tests"
doi = "10.0000/ketpk.card"

[parameters]
CL  = { value = "300 L/h", source = "toy", weight_exponent = 0.75 }
V   = { value = "100 L", source = "toy", weight_exponent = 1 }
FM  = { value = "0.8", source = "toy" }
CLM = { value = "2 L/min", source = "toy" }
VM  = { value = "50 L", source = "toy" }
F   = { value = "0.2", source = "toy" }
FP  = { value = "0.3", source = "toy" }
KA  = { value = "3 1/h", source = "toy", assumption = "no published ka" }

[[compartments]]
name = "ketamine.central"
species = "ketamine"
volume = "V"
analytes = ["ketamine"]

[[compartments]]
name = "norketamine.central"
species = "norketamine"
volume = "VM"
analytes = ["norketamine"]

[[flows]]
type = "clearance"
from = "ketamine.central"
value = "CL"
to = { "norketamine.central" = "FM" }

[[flows]]
type = "clearance"
from = "norketamine.central"
value = "CLM"

[routes.iv]
type = "iv"

[routes.oral]
type = "absorption"
F = "F"
ka = "KA"
presystemic = "FP"
metabolite = "norketamine.central"
sources = ["toy"]
"""

T = np.linspace(0, 600, 121)
MW_K = 237.73
CL, V, FM, CLM, VM, KA = 5.0, 100.0, 0.8, 2.0, 50.0, 0.05  # canonical: L/min, L, 1/min


@pytest.fixture
def card():
    return tomllib.loads(CARD)


@pytest.fixture
def toml_model(tmp_path):
    path = tmp_path / "toy.toml"
    path.write_text(CARD)
    return models.from_toml(path)


def test_toml_card_reproduces_parent_and_metabolite_closed_forms(toml_model):
    """IV bolus: parent mono-exponential; metabolite formed at FM × k is a Bateman curve."""
    res = simulate(toml_model, Bolus("0 min", "50 mg"), Q_(T, "min"))
    dose = 50.0 * 1000 / MW_K  # µmol
    assert_allclose(res.concentration("ketamine", "umol/L").magnitude, one_cmt_bolus(T, dose, CL, V), rtol=1e-10)
    expected_nk = bateman(T, dose, FM, CL / V, CLM, VM)
    assert_allclose(res.concentration("norketamine", "umol/L").magnitude, expected_nk, rtol=1e-9, atol=1e-15)


def test_toml_card_oral_route_gives_bateman_parent_and_first_pass_metabolite(toml_model):
    res = simulate(toml_model, Bolus("0 min", "50 mg", route="oral"), Q_(T, "min"))
    dose = 50.0 * 1000 / MW_K
    assert_allclose(res.concentration("ketamine", "umol/L").magnitude, bateman(T, dose, 0.2, KA, CL, V), rtol=1e-9)
    assert "KA: no published ka" in res.assumptions
    # AUC of metabolite: from first pass (FP) plus systemic formation (F × FM), over CLM
    fine = Q_(np.linspace(0, 5000, 50001), "min")
    nk = simulate(toml_model, Bolus("0 min", "50 mg", route="oral"), fine).concentration("norketamine", "umol/L")
    auc = np.trapezoid(nk.magnitude, fine.magnitude)
    assert auc == pytest.approx(dose * (0.3 + 0.2 * FM) / CLM, rel=1e-4)


def test_card_weight_exponent_and_range_behave_like_built_ins(toml_model):
    child = toml_model.individual({"weight": np.array([35.0])}, {}, 1)
    assert child.CL[0] == pytest.approx(CL * 0.5**0.75)
    with pytest.warns(CovariateRangeWarning, match="outside the range"):
        simulate(toml_model, Bolus("0 min", "5 mg"), Q_([1.0], "min"), subjects=Subject(weight="120 kg"))


def test_from_dict_equals_from_toml(card, toml_model):
    model = models.from_dict(card)
    assert model.describe() == toml_model.describe()


def test_register_makes_the_model_findable_then_unregister(card):
    model = models.register(models.from_dict(card))
    try:
        assert models.get("racemic.user_toy") is model
        assert "racemic.user_toy" in [m.id for m in models.available()]
        with pytest.raises(ParameterError, match="already registered"):
            models.register(model)
        res = simulate("racemic.user_toy", Bolus("0 min", "5 mg"), Q_([1.0], "min"))
        assert res.model_id == "racemic.user_toy"
    finally:
        models.unregister("racemic.user_toy")
    with pytest.raises(ModelNotFoundError):
        models.get("racemic.user_toy")


def test_register_refuses_built_in_ids(card):
    card["id"] = "esketamine.otto2021"
    with pytest.raises(ParameterError, match="built-in"):
        models.register(models.from_dict(card))


def _set(path, value):
    """A mutation that sets card[path...] = value (None deletes the key)."""
    def apply(card):
        node = card
        for key in path[:-1]:
            node = node[key]
        if value is None:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return apply


BAD = [
    (_set(["citation"], None), r"`citation` is required"),
    (_set(["citation", "doi"], None), r"`citation` needs a `doi` or a `pmid`"),
    (_set(["citation", "year"], "2024"), r"`citation.year` must be an integer"),
    (_set(["drug"], "ketamine"), r"`drug` must be 'esketamine' or 'racemic'"),
    (_set(["sampling"], "capillary"), r"`sampling` must be 'arterial' or 'venous'"),
    (_set(["population"], ""), r"`population` must be a non-empty string"),
    (_set(["paramters"], {}), r"`paramters` is not a known field.*Did you mean `parameters`"),
    (_set(["parameters", "CL", "source"], None), r"`parameters.CL.source` is required"),
    (_set(["parameters", "CL", "value"], "95 Lh"), r"`parameters.CL.value`.*could not be read"),
    (_set(["parameters", "CL", "value"], 95), r"`flows\[0\].value` uses parameter 'CL' as a clearance.*dimension"),
    (_set(["parameters", "V", "value"], "100 L/h"), r"`compartments\[0\].volume` uses parameter 'V' as a volume"),
    (_set(["parameters", "KA", "value"], "3 h"), r"`routes.oral.ka` uses parameter 'KA' as a rate constant"),
    (_set(["parameters", "F", "value"], "1.2"), r"`parameters.F.value` is a fraction and must lie in \[0, 1\]"),
    (_set(["parameters", "FP", "value"], "0.9"), r"`routes.oral` needs F \+ presystemic <= 1"),
    (_set(["parameters", "CL", "weight_exponent"], "0.75"), r"`parameters.CL.weight_exponent` must be a number"),
    (_set(["compartments", 0, "species"], "ketamin"), r"`compartments\[0\].species` must be one of"),
    (_set(["compartments", 1, "name"], "ketamine.central"), r"`compartments\[1\].name` must be unique"),
    (_set(["compartments", 0, "volume"], None), r"`compartments\[0\].volume` is required for an observed"),
    (_set(["compartments", 1, "analytes"], []), r"must observe the analyte 'norketamine'"),
    (_set(["flows", 0, "type"], "elimination"), r"`flows\[0\].type` must be one of clearance, transfer, exchange"),
    (_set(["flows", 0, "from"], "ketamine.centre"), r"`flows\[0\].from` must name a compartment"),
    (_set(["flows", 0, "value"], "Cl"), r"`flows\[0\].value` must name a parameter.*Did you mean 'CL'"),
    (_set(["flows", 0, "to"], {"norketamine.central": -1}), r"`flows\[0\].to.norketamine.central` must be a non-negative"),
    (_set(["flows", 0, "basis"], "weight"), r"`flows\[0\].basis` must be 'molar' or 'mass'"),
    (_set(["routes", "po"], {"type": "iv"}), r"`routes.po` must be a route name"),
    (_set(["routes", "oral", "type"], "zero-order"), r"`routes.oral.type` must be 'iv' or 'absorption'"),
    (_set(["routes", "oral", "metabolite"], None), r"`routes.oral.metabolite` is required with `presystemic`"),
    (_set(["routes", "oral", "ka"], None), r"`routes.oral.ka` is required"),
    (_set(["covariate_range", "weight"], [100, 50]), r"`covariate_range.weight` must be \[low, high\]"),
]


@pytest.mark.parametrize("mutate, message", BAD, ids=[m for _, m in BAD])
def test_bad_cards_name_the_field_and_the_fix(card, mutate, message):
    bad = copy.deepcopy(card)
    mutate(bad)
    with pytest.raises(KetpkError, match=message):
        models.from_dict(bad)


def test_unreadable_toml_is_a_ketpk_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("id = \n")
    with pytest.raises(ParameterError, match="not valid TOML"):
        models.from_toml(path)
    with pytest.raises(FileError, match="could not be read"):
        models.from_toml(tmp_path / "missing.toml")


def test_the_documented_example_card_builds():
    """The card in ketpk/usermodels.py's docstring is valid (the documentation cannot rot)."""
    from ketpk import usermodels

    text = usermodels.__doc__.split("::", 1)[1].split("Every problem", 1)[0]
    model = models.from_dict(tomllib.loads(textwrap.dedent(text)))
    assert set(model.routes) == {"iv", "oral"}
    res = simulate(model, Bolus("0 min", "20 mg", route="oral"), Q_([30.0], "min"))
    assert res.concentration("ketamine").magnitude[0] > 0
