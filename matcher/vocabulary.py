"""The value sets of the domain, defined once: certificate types and offer states.

Reports and the review UI reuse these enums; their Dutch labels live in one place,
`mbo_websearch/labels.py`.
"""

from __future__ import annotations

from enum import StrEnum


class CertificateType(StrEnum):
    """What an mbo-certificaat certifies: a keuzedeel (K code) or a beroepsgericht onderdeel
    of a qualification (C code); or an LNV certificate (green-sector legal requirement, not
    counted as an mbo-certificaat offer). The values are those of the register table."""

    keuzedeel = "keuzedeel"
    beroepsgericht_onderdeel = "beroepsgericht onderdeel"
    lnv = "LNV"

    @classmethod
    def of_code(cls, code: str) -> CertificateType:
        """The type a code's letter implies (K: keuzedeel, otherwise beroepsgericht onderdeel)."""
        return (
            cls.keuzedeel if code.strip().upper().startswith("K") else cls.beroepsgericht_onderdeel
        )

    @classmethod
    def of(cls, type_text: str | None, code: str) -> CertificateType:
        """From a register's type text ("Keuzedeel", "beroepsgericht ...") or else the code."""
        text = (type_text or "").strip().lower()
        if text.startswith("keuze"):
            return cls.keuzedeel
        if text.startswith("beroeps"):
            return cls.beroepsgericht_onderdeel
        if text.startswith("lnv"):
            return cls.lnv
        return cls.of_code(code)


class OfferStatus(StrEnum):
    """An offer in a round: confirmed (auto-accepted or accepted in review) or awaiting review."""

    confirmed = "confirmed"
    review = "review"
