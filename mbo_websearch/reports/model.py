"""Report model: tables of cells, counts that remember their evidence, input row shapes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from matcher.vocabulary import CertificateType, OfferStatus


class OfferLike(Protocol):
    """What the report reads of matcher.offers.Offer."""

    @property
    def round(self) -> str: ...
    @property
    def institution(self) -> str: ...
    @property
    def funded(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def sector(self) -> str | None: ...
    @property
    def status(self) -> OfferStatus: ...
    @property
    def b2b_only(self) -> bool: ...
    @property
    def evidence_url(self) -> str: ...
    @property
    def evidence_page_ids(self) -> tuple[int, ...]: ...


class CertificateLike(Protocol):
    """What the report reads of matcher.register.Certificate."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def sector(self) -> str | None: ...
    @property
    def sbu(self) -> int | None: ...
    @property
    def lnv(self) -> bool: ...
    @property
    def qualification(self) -> str | None: ...
    @property
    def level(self) -> str | None: ...


class DiffRowLike(Protocol):
    """What the report reads of snapshots.diff.DiffRow (change: online|offline|unknown|...)."""

    @property
    def institution(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def change(self) -> str: ...
    @property
    def old_evidence(self) -> str | None: ...
    @property
    def new_evidence(self) -> str | None: ...
    @property
    def review(self) -> bool: ...


@dataclass(frozen=True)
class InstitutionRow:
    name: str
    funded: str


@dataclass(frozen=True)
class HealthRow:
    institution: str
    funded: str
    health: str | None  # ok | partial | failed | None (not crawled)
    reason: str | None = None
    pages: int = 0
    suspect: bool = False


@dataclass(frozen=True)
class IssuedRow:
    code: str
    year: int
    funded: str
    count: int


@dataclass(frozen=True)
class PotentialRow:
    institution: str
    code: str


@dataclass(frozen=True)
class Evidence:
    """One offer (or diff row) behind a count: where it was seen, in which archived pages."""

    round: str
    institution: str
    code: str
    url: str | None
    page_ids: tuple[int, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Count:
    """An integer cell that keeps the evidence behind it."""

    value: int
    evidence: tuple[Evidence, ...] = ()

    def __int__(self) -> int:
        return self.value

    def __str__(self) -> str:
        return str(self.value)


Cell = str | int | float | Count | None


@dataclass
class Table:
    """One report table: a sheet in XLSX, a CSV file, a section in HTML."""

    key: str  # file/sheet name, e.g. "aanbod_keuzedelen"
    title: str  # Dutch title as printed
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    def plain_rows(self) -> list[list[str | int | float | None]]:
        """Rows with counts replaced by their values (for CSV/XLSX)."""
        return [[c.value if isinstance(c, Count) else c for c in row] for row in self.rows]

    def column(self, name: str) -> list[Cell]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def row_for(self, first: str) -> list[Cell]:
        """The row whose first cell reads `first` (used by tests and charts)."""
        for row in self.rows:
            if row and row[0] == first:
                return row
        raise KeyError(first)


def count(evidence: Iterable[Evidence]) -> Count:
    items = tuple(evidence)
    return Count(len(items), items)


def evidence_of(offer: OfferLike, note: str = "") -> Evidence:
    return Evidence(
        offer.round,
        offer.institution,
        offer.code,
        offer.evidence_url,
        tuple(offer.evidence_page_ids),
        note,
    )


def type_of(type_text: str | None, code: str) -> CertificateType:
    """The certificate type, from the register's type or else the code's letter."""
    return CertificateType.of(type_text, code)


SECTORS = (  # (canonical spelling, short column label), in the order the monitor prints them
    ("Zorg, welzijn en sport", "Zorg"),
    ("Techniek en gebouwde omgeving", "Techniek"),
    ("Voedsel, groen en gastvrijheid", "Voedsel, groen en gastvrijheid"),
    ("Handel", "Handel"),
    ("ICT en creatieve industrie", "ICT"),
    ("Mobiliteit, transport, logistiek en maritiem", "Mobiliteit"),
    ("Zakelijke dienstverlening en veiligheid", "Zakelijke dienstverlening"),
    ("Specialistisch vakmanschap", "Specialistisch vakmanschap"),
)
_CANONICAL = {name.lower(): name for name, _ in SECTORS}
_SHORT = dict(SECTORS)
UNKNOWN_SECTOR = "Onbekende sector"


def sector_name(sector: str | None) -> str:
    """Canonical spelling of a sector (sources spell some with capitals)."""
    if not sector or not sector.strip():
        return UNKNOWN_SECTOR
    text = re.sub(r"\s+", " ", sector.strip())
    return _CANONICAL.get(text.lower(), text)


def sector_short(sector: str) -> str:
    return _SHORT.get(sector, sector)


def sector_order(sector: str) -> tuple[int, str]:
    names = [name for name, _ in SECTORS]
    return (names.index(sector) if sector in names else len(names), sector)


def anonymous_label(index: int) -> str:
    """0 -> 'Instelling A', 25 -> 'Instelling Z', 26 -> 'Instelling AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Instelling {letters}"
