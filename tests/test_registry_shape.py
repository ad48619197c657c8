"""Every named library lists itself in one shape (a list of registry.Entry rows) and words an
unknown name one way (issue 11)."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize("get, what, bad, good, ids", [
    (ketpk.models.get, "model", "esketamine.oto2021", "esketamine.otto2021",
     lambda: [e.id for e in ketpk.models.available()]),
    (ketpk.protocols.get, "protocol", "zarate2007", "zarate2006", lambda: [e.id for e in ketpk.protocols.available()]),
    (ketpk.protocols.target_protocol, "target protocol", "bowdle1989", "bowdle1998",
     lambda: [e.id for e in ketpk.protocols.target_protocols()]),
    (ketpk.effects.get, "effect model", "olofsen2021", "olofsen2022", lambda: [e.id for e in ketpk.effects.available()]),
    (ketpk.scenarios.interaction, "interaction", "clarythromycin", "clarithromycin",
     lambda: list(ketpk.scenarios.INTERACTIONS)),
    (ketpk.validation.study, "validation study", "zarate2006_i", "zarate2006_iv",
     lambda: [s.id for s in ketpk.validation.STUDIES]),
])
def test_every_library_words_an_unknown_name_the_same_way(get, what, bad, good, ids):
    with pytest.raises(ketpk.KetpkError) as caught:
        get(bad)
    match = re.fullmatch(rf"unknown {what} '{re.escape(bad)}'; did you mean '([^']+)'(?:, '[^']+')*\? available: (.+)\.",
                         str(caught.value))
    assert match, str(caught.value)
    assert match.group(1) == good
    assert set(ids()) <= set(match.group(2).split(", "))
    with pytest.raises(ketpk.KetpkError, match=rf"^unknown {what} 'zzzz-qqqq'; available: "):
        get("zzzz-qqqq")
