"""The reference every published parameter set must carry."""

from __future__ import annotations

from dataclasses import dataclass

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
        if not (self.doi or self.pmid):
            raise ParameterError(
                f"`Citation` for {self.authors} {self.year} needs a `doi` or a `pmid`; got neither."
            )

    def __str__(self) -> str:
        ref = f"doi:{self.doi}" if self.doi else f"PMID {self.pmid}"
        return f"{self.authors} ({self.year}). {self.title}. {self.journal}. {ref}"
