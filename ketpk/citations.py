"""The reference every published parameter set must carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import ParameterError

__all__ = ["Citation"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A literature reference: authors, year, title, journal and DOI (or PMID)."""

    authors: str
    year: int
    title: str
    journal: str
    doi: str = ""
    pmid: str = ""

    def __post_init__(self) -> None:
        latest = date.today().year + 1
        if isinstance(self.year, bool) or not isinstance(self.year, int) or not 1800 <= self.year <= latest:
            raise ParameterError(
                f"`Citation` year must be a whole year from 1800 to {latest}; got {self.year!r} "
                f"for {self.authors!r}. Give the year of publication, e.g. year=2021.")
        if not (self.doi or self.pmid):
            raise ParameterError(
                f"`Citation` for {self.authors} {self.year} needs a `doi` or a `pmid`; got neither."
            )

    def __str__(self) -> str:
        ref = f"doi:{self.doi}" if self.doi else f"PMID {self.pmid}"
        return f"{self.authors} ({self.year}). {self.title}. {self.journal}. {ref}"
