"""docs/protocols.md is generated from the protocol registry and must not be stale."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_protocol_table_is_up_to_date():
    script = load("protocol_table")
    assert (ROOT / "docs" / "protocols.md").read_text(encoding="utf-8") == script.render(), (
        "docs/protocols.md is stale: run python3 scripts/protocol_table.py")


def test_protocol_table_lists_every_protocol_with_its_assumptions(tmp_path, monkeypatch):
    import ketpk

    script = load("protocol_table")
    text = script.render()
    for entry in ketpk.protocols.available():
        assert f"| `{entry.name}` | {entry.drug} |" in text and f"### `{entry.name}`" in text
        for assumption in ketpk.protocols.get(entry.name).assumptions:
            assert assumption.replace("\n", " ") in text
    stale = tmp_path / "protocols.md"
    stale.write_text("old\n")
    monkeypatch.setattr(script, "TARGET", stale)
    assert script.main(["--check"]) == 1
    assert script.main([]) == 0 and stale.read_text() == text and script.main(["--check"]) == 0
