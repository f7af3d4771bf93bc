"""The certificate register: validated CSV/XLSX import, dated versions, the embedded default."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher import store
from matcher.vocabulary import CertificateType
from snapshots.errors import InputError, Problem
from snapshots.tabular import read_table

if TYPE_CHECKING:
    from sqlite_utils import Database

DEFAULT_REGISTER = Path(__file__).parent / "data" / "register_default.csv"
TYPES = tuple(CertificateType)
COLUMNS = (
    "code",
    "title",
    "type",
    "sector",
    "sbu",
    "level",
    "qualification",
    "lnv",
    "aliases",
    "alt_codes",
)
# Header spellings seen in SBB exports and hand-made sheets -> our column names.
HEADER_ALIASES = {
    "code": "code",
    "certificaatcode": "code",
    "code certificaat": "code",
    "nummer": "code",
    "title": "title",
    "titel": "title",
    "naam": "title",
    "naam certificaat": "title",
    "certificaat": "title",
    "titel certificaat": "title",
    "type": "type",
    "soort": "type",
    "soort certificaat": "type",
    "sector": "sector",
    "sectorkamer": "sector",
    "sbu": "sbu",
    "omvang": "sbu",
    "studielast": "sbu",
    "level": "level",
    "niveau": "level",
    "qualification": "qualification",
    "kwalificatie": "qualification",
    "lnv": "lnv",
    "lnv-certificaat": "lnv",
    "aliases": "aliases",
    "alternatieve titels": "aliases",
    "alt_codes": "alt_codes",
    "andere codes": "alt_codes",
}
TYPE_VALUES = {
    "keuzedeel": CertificateType.keuzedeel,
    "k": CertificateType.keuzedeel,
    "beroepsgericht onderdeel": CertificateType.beroepsgericht_onderdeel,
    "beroepsgerichte onderdeel": CertificateType.beroepsgericht_onderdeel,
    "c": CertificateType.beroepsgericht_onderdeel,
    "bgo": CertificateType.beroepsgericht_onderdeel,
    "lnv": CertificateType.lnv,
    "lnv-certificaat": CertificateType.lnv,
}
TRUE_VALUES = {"1", "true", "ja", "yes", "x", "waar", "j", "y"}
FALSE_VALUES = {"", "0", "false", "nee", "no", "onwaar", "n"}
CODE_RE = re.compile(r"^[KC]\d{4}$")
LEVEL_RE = re.compile(r"^(?:niveau\s*)?([1-4])(?:\s*(?:/|-|en|,)\s*([1-4]))?$")
SBU_RE = re.compile(r"^(\d{1,9})(?:[.,]0+)?(?:\s*sbu)?$")


@dataclass(frozen=True)
class Certificate:
    code: str
    title: str
    type: CertificateType
    sector: str | None = None
    sbu: int | None = None
    level: str | None = None  # "2", "3/4"
    qualification: str | None = None
    lnv: bool = False
    aliases: tuple[str, ...] = ()  # alternative titles
    alt_codes: tuple[str, ...] = ()  # other codes of the same certificate

    @property
    def titles(self) -> tuple[str, ...]:
        """The official title first, then the aliases."""
        return (self.title, *self.aliases)


class Register:
    """The certificates of one register version, sorted by code (deterministic ties)."""

    def __init__(
        self, certificates: Iterable[Certificate], *, as_of: str | None = None, source: str = ""
    ) -> None:
        self.certificates: tuple[Certificate, ...] = tuple(
            sorted(certificates, key=lambda c: c.code)
        )
        self.as_of = as_of
        self.source = source
        self._by_code: dict[str, Certificate] = {}
        for cert in self.certificates:
            for code in (*cert.alt_codes, cert.code):
                self._by_code[code] = cert
        self.cache: dict[Any, Any] = {}  # per-processor choice lists, filled by scoring

    def __len__(self) -> int:
        return len(self.certificates)

    def __iter__(self) -> Iterator[Certificate]:
        return iter(self.certificates)

    def __repr__(self) -> str:
        return f"Register({len(self)} certificates, as_of={self.as_of!r}, source={self.source!r})"

    def get(self, code: str) -> Certificate | None:
        """The certificate with this code or alternative code (case and spaces ignored)."""
        return self._by_code.get(re.sub(r"\s+", "", code).upper())

    @classmethod
    def default(cls) -> Register:
        """The embedded, partial register built from public facts (see README)."""
        return _default_register()

    @classmethod
    def from_file(cls, path: Path) -> Register:
        """Read and validate a register file (CSV or XLSX)."""
        return cls(parse_register(path), source=Path(path).name)

    @classmethod
    def from_db(cls, db: Database, *, as_of: str | None = None) -> Register:
        """The latest imported version valid on `as_of` (default: the latest of all).

        Falls back to the embedded default when no version was imported on or before that date.
        """
        version = store.latest_register_version(db, as_of=as_of)
        if version is None:
            return cls.default()
        return _load_version(db, version)


@cache
def _default_register() -> Register:
    return Register(parse_register(DEFAULT_REGISTER), as_of=None, source="embedded default")


def _load_version(db: Database, version: store.RegisterVersion) -> Register:
    aliases: dict[tuple[str, str], list[str]] = {}
    for alias in store.register_aliases(db, version.id):
        aliases.setdefault((alias.code, alias.kind), []).append(alias.alias)
    certificates = [
        Certificate(
            code=row.code,
            title=row.title,
            type=CertificateType(row.type),
            sector=row.sector,
            sbu=row.sbu,
            level=row.level,
            qualification=row.qualification,
            lnv=row.lnv,
            aliases=tuple(aliases.get((row.code, "title"), ())),
            alt_codes=tuple(aliases.get((row.code, "code"), ())),
        )
        for row in store.register_certificates(db, version.id)
    ]
    return Register(certificates, as_of=version.as_of, source=version.source)


# --- reading files -------------------------------------------------------------------------


def parse_register(path: Path) -> list[Certificate]:
    """Read and validate a register file; raise InputError listing every bad field."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError.single(path, 0, "-", "unsupported file type; give a .csv or .xlsx file")
    table = read_table(
        path,
        aliases=HEADER_ALIASES,
        required=("code", "title"),
        expected="code,title[,type,sector,sbu,level,qualification] or the SBB headers "
        "Code,Titel,Type,Sectorkamer,Omvang,Niveau,Kwalificatie",
        header_within=10,  # an SBB export may start with a title row
    )
    problems: list[Problem] = []
    certificates: list[Certificate] = []
    seen: dict[str, int] = {}
    for record in table.records:
        cert, row_problems = _validate_row(str(path), record.line, record.values, seen)
        problems.extend(row_problems)
        if cert is not None and not row_problems:
            certificates.append(cert)
    if problems:
        raise InputError(problems)
    if not certificates:  # an empty version would be the register in use: no offer matches
        raise InputError.single(path, 2, "code", "no certificates in the file")
    return certificates


def _split_codes(value: str) -> list[str]:
    return [c.upper() for c in re.split(r"[\s|/;,]+", value.strip()) if c]


def _validate_row(
    path: str, line: int, row: dict[str, str], seen: dict[str, int]
) -> tuple[Certificate | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(column: str, problem: str) -> None:
        problems.append(Problem(path, line, column, problem))

    codes = _split_codes(row.get("code", "")) + _split_codes(row.get("alt_codes", ""))
    if not codes:
        bad("code", "missing code")
    for code in codes:
        if not CODE_RE.match(code):
            bad("code", f"bad code format {code!r}; expected K or C and 4 digits, e.g. K0905")
        elif code in seen:
            bad("code", f"duplicate code {code!r} (also on line {seen[code]})")
        else:
            seen[code] = line
    title = row.get("title", "")
    if not title:
        bad("title", "missing title")
    cert_type = _check_type(row.get("type", ""), codes[0] if codes else "", bad)
    sbu = _check_sbu(row.get("sbu", ""), bad)
    level = _check_level(row.get("level", ""), bad)
    lnv_text = row.get("lnv", "").lower()
    if lnv_text not in TRUE_VALUES | FALSE_VALUES:
        bad("lnv", f"unknown value {row.get('lnv')!r}; use 1/0, ja/nee or leave empty")
    if problems or not codes or cert_type is None:
        return None, problems
    aliases = [a.strip() for a in row.get("aliases", "").split("|") if a.strip()]
    return Certificate(
        code=codes[0],
        title=title,
        type=cert_type,
        sector=row.get("sector") or None,
        sbu=sbu,
        level=level,
        qualification=row.get("qualification") or None,
        lnv=lnv_text in TRUE_VALUES or cert_type == CertificateType.lnv,
        aliases=tuple(a for a in dict.fromkeys(aliases) if a.lower() != title.lower()),
        alt_codes=tuple(codes[1:]),
    ), problems


def _check_type(value: str, code: str, bad: Any) -> CertificateType | None:
    key = re.sub(r"\s+", " ", value.strip().lower())
    if not key:  # infer from the code's letter
        return CertificateType.of_code(code)
    if key not in TYPE_VALUES:  # "Certificaat bij keuzedeel", "beroepsgericht deel" ...
        key = next((t for t in TYPES if t.split()[0].lower() in key), key)
    if key not in TYPE_VALUES:
        bad("type", f"unknown type {value!r}; use keuzedeel, beroepsgericht onderdeel or LNV")
        return None
    cert_type = TYPE_VALUES[key]
    if cert_type == CertificateType.lnv:  # LNV codes follow no K/C scheme
        return cert_type
    expected = "K" if cert_type == "keuzedeel" else "C"
    if code and CODE_RE.match(code) and code[0] != expected:
        bad(
            "type",
            f"type {str(cert_type)!r} does not fit code {code!r} (a {cert_type} code "
            f"starts with {expected})",
        )
    return cert_type


def _check_sbu(value: str, bad: Any) -> int | None:
    if not value:
        return None
    match = SBU_RE.match(value.strip().lower())
    if not match or int(match.group(1)) == 0:
        bad("sbu", f"bad sbu {value!r}; expected a whole number of study hours, e.g. 240")
        return None
    return int(match.group(1))


def _check_level(value: str, bad: Any) -> str | None:
    if not value:
        return None
    match = LEVEL_RE.match(value.strip().lower())
    if not match:
        bad("level", f"bad level {value!r}; expected 1 to 4, or a range such as 3/4")
        return None
    return "/".join(g for g in match.groups() if g)


# --- importing into the workspace ----------------------------------------------------------


def check_date(value: str) -> str:
    """Validate an ISO date (YYYY-MM-DD) given with --as-of."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise InputError.single(
            "--as-of", 0, "as_of", f"bad date {value!r}; expected YYYY-MM-DD, e.g. 2026-01-31"
        ) from exc


def import_register(db: Database, path: Path, *, as_of: str | None) -> int:
    """Validate `path` and store it as a new register version, all or nothing.

    Returns the number of certificates imported. `as_of` (YYYY-MM-DD, default today) dates
    the version: each round is matched against the latest version valid on its date.
    """
    path = Path(path)
    as_of = check_date(as_of) if as_of else date.today().isoformat()
    certificates = parse_register(path)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with db.atomic():
        store.insert_register_version(
            db,
            as_of=as_of,
            imported_at=now,
            source=path.name,
            certificates=[
                store.StoredCertificate(
                    c.code, c.title, c.type, c.sector, c.sbu, c.level, c.qualification, c.lnv
                )
                for c in certificates
            ],
            aliases=[
                *(store.StoredAlias(c.code, "title", a) for c in certificates for a in c.aliases),
                *(store.StoredAlias(c.code, "code", a) for c in certificates for a in c.alt_codes),
            ],
        )
    return len(certificates)


def list_versions(db: Database) -> list[store.RegisterVersion]:
    """Imported register versions, newest first."""
    return store.register_versions(db)
