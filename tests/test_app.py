"""`ketpk app` in a real headless browser: the page's numbers are the API's, bad input shows the
API's message, the screenshot is not blank. Also the page's compute() without a browser.

Set KETPK_APP_SCREENSHOT=docs/figures/app.png to keep the screenshot (the README's figure).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

import ketpk
from ketpk import Bolus, Q_, Subject, nca
from ketpk.app import DISCLAIMER, Settings, compute, output_times
from ketpk.species import analyte_label

ROOT = Path(__file__).resolve().parents[1]
WAIT = 20.0  # s: the longest any one step may take
KETAMINE, NORKETAMINE = (analyte_label("esketamine", a) for a in ("ketamine", "norketamine"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api_table(routes, dose, weight="70 kg", end="12 h"):
    """The API's metrics rows by (route, analyte name as the page shows it)."""
    comparison = ketpk.compare_routes("esketamine", dose, routes, subject=Subject(weight=weight),
                                      times=output_times(end))
    return {(r["label"], r["name"]): r for r in comparison.table(analytes=comparison.main_analytes)}


# -- without a browser -----------------------------------------------------------------------------

def test_compute_uses_the_api_and_turns_errors_into_messages():
    outcome = compute(Settings(routes=("iv", "oral"), dose="20 mg", weight="80 kg", end="6 h"))
    assert outcome.error == ""
    expected = _api_table(["iv", "oral"], "20 mg", "80 kg", "6 h")[("oral", KETAMINE)]["Cmax"]
    assert nca.cmax(outcome.comparison.results["oral"]).magnitude == pytest.approx(expected.magnitude)
    with pytest.raises(ketpk.UnitError) as api:
        Bolus("0 min", "25")
    assert compute(Settings(dose="25")).error == " ".join(str(api.value).split())
    assert "racemic" in compute(Settings(protocol="schwartzman2009")).error
    assert "at least one route" in compute(Settings(routes=())).error
    band = compute(Settings(subjects=40, end="6 h"))
    assert band.summary.n_subjects == 40 and band.error == ""


def test_the_app_binds_to_localhost_by_default():
    import inspect

    from ketpk.app import run

    assert inspect.signature(run).parameters["host"].default == "127.0.0.1"
    from ketpk.cli import build_parser

    args = build_parser().parse_args(["app"])
    assert args.host == "127.0.0.1"


# -- in a browser ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "ketpk", "app", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + WAIT
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"ketpk app did not start: {proc.communicate()[0]}") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="ketpk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,1300"):
        options.add_argument(flag)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _wait(driver, condition, what):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT, poll_frequency=0.2).until(lambda d: condition(d), message=what)


def _metrics(driver) -> dict[tuple[str, str], list[str]]:
    """The metrics table's cells by (label, analyte), read in one script (no stale elements)."""
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#metrics tbody tr'))"
        ".map(r => Array.from(r.cells).map(c => c.textContent.trim()))")
    return {(cells[0], cells[1]): cells for cells in rows}


def _click_route(driver, route: str) -> None:
    """Tick a route's checkbox once the routes have been drawn for the model."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def clicked(d):
        try:
            box = d.find_element(By.CSS_SELECTOR, f"input[name='routes'][value='{route}']")
            if not box.is_selected():
                box.click()
            return box.is_selected()
        except StaleElementReferenceException:
            return False

    _wait(driver, clicked, f"the {route} checkbox")


def _type(driver, element_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.ID, element_id)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text, Keys.TAB)


def test_page_numbers_equal_the_api_after_changing_route_and_dose(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server)
    _wait(browser, lambda d: ("iv", KETAMINE) in _metrics(d), "the first metrics table")
    assert DISCLAIMER in browser.find_element(By.ID, "disclaimer").text
    _click_route(browser, "oral")
    _type(browser, "dose", "0.3 mg/kg")
    expected = _api_table(["iv", "oral"], "0.3 mg/kg")

    def updated(d):
        table = _metrics(d)
        cmax = expected[("oral", KETAMINE)]["Cmax"].magnitude
        return ("oral", KETAMINE) in table and table[("oral", KETAMINE)][2] == f"{cmax:.4g}"

    _wait(browser, updated, "the table for iv + oral at 0.3 mg/kg")
    table = _metrics(browser)
    assert {key[1] for key in expected} == {KETAMINE, NORKETAMINE} and len(expected) == 4
    for key, row in expected.items():
        assert table[key][2:5] == [f"{row[m].magnitude:.4g}" for m in ("Cmax", "Tmax", "AUC")], key
    assert "Otto" in browser.find_element(By.ID, "citation").text
    link = browser.find_element(By.ID, "download").get_attribute("href")
    with urllib.request.urlopen(link, timeout=WAIT) as response:  # the page's own CSV download
        lines = response.read().decode("utf-8").splitlines()
    header = next(line for line in lines if not line.startswith("#"))
    assert header.startswith("label,time [h],") and any("Otto" in line for line in lines if line[0] == "#")
    oral = [line.split(",") for line in lines if line.startswith("oral,")]
    api = ketpk.compare_routes("esketamine", "0.3 mg/kg", ["iv", "oral"], subject=Subject(weight="70 kg"),
                               times=output_times("12 h")).results["oral"]
    column = header.split(",").index(f"{KETAMINE} [ng/mL]")
    assert np.allclose([float(row[column]) for row in oral], api.concentration("ketamine").magnitude)

    _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#curves img").size["height"] > 100,
          "the curves plot")
    shot = tmp_path / "app.png"
    browser.save_screenshot(str(shot))
    from matplotlib.image import imread

    pixels = imread(shot)[..., :3]
    assert pixels.shape[0] > 500 and pixels.shape[1] > 1000
    colours = np.unique((pixels.reshape(-1, 3) * 255).astype(np.uint8), axis=0)
    assert len(colours) > 200 and pixels.std() > 0.05  # text, controls and curves, not a blank page
    if os.environ.get("KETPK_APP_SCREENSHOT"):
        shutil.copyfile(shot, ROOT / os.environ["KETPK_APP_SCREENSHOT"])


def test_a_bad_dose_shows_the_api_message_on_the_page(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server)
    _wait(browser, lambda d: ("iv", KETAMINE) in _metrics(d), "the first metrics table")
    _type(browser, "dose", "25")
    with pytest.raises(ketpk.UnitError) as api:
        Bolus("0 min", "25")
    message = " ".join(str(api.value).split())
    _wait(browser, lambda d: d.find_elements(By.ID, "error-message"), "the error message")
    assert browser.find_element(By.ID, "error-message").text == message
    assert "Traceback" not in browser.page_source
    _type(browser, "dose", "25 mg")
    _wait(browser, lambda d: not d.find_elements(By.ID, "error-message"), "the message to clear")
    assert _metrics(browser)[("iv", KETAMINE)][2] == \
        f"{_api_table(['iv'], '25 mg')[('iv', KETAMINE)]['Cmax'].magnitude:.4g}"


def test_without_shiny_the_command_names_the_extra(monkeypatch, capsys):
    from ketpk.cli import main

    monkeypatch.setitem(sys.modules, "shiny", None)
    assert main(["app", "--port", "1"]) == 1
    assert 'pip install "ketpk[app]"' in capsys.readouterr().err
