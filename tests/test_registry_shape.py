"""Every named library lists itself in one shape: a list of registry.Entry rows (issue 11)."""

from __future__ import annotations

import pytest

import ketpk
from ketpk.registry import Entry

LIBRARIES = {
    "models": (ketpk.models.available, ketpk.models.get),
    "protocols": (ketpk.protocols.available, ketpk.protocols.get),
    "target protocols": (ketpk.protocols.target_protocols, ketpk.protocols.target_protocol),
    "effects": (ketpk.effects.available, ketpk.effects.get),
}


@pytest.mark.parametrize("library", LIBRARIES)
def test_available_rows_are_entries_whose_id_get_takes(library):
    available, get = LIBRARIES[library]
    rows = available()
    assert isinstance(rows, list) and rows and all(isinstance(r, Entry) for r in rows)
    assert len({r.id for r in rows}) == len(rows)
    for row in rows:
        assert row.summary and row.citation and row.drug in (None, "esketamine", "racemic")
        got = get(row.id)
        if row.drug is not None:
            assert got.drug == row.drug
