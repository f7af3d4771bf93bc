"""One vocabulary: matcher's enums, with one Dutch label per value for reports and the UI."""

from __future__ import annotations

from matcher.register import Register
from matcher.vocabulary import CertificateType, OfferStatus
from mbo_websearch.labels import STATUS_LABELS, TYPE_LABELS, TYPE_NAMES, TYPE_WORDS
from mbo_websearch.reports.model import type_of


def test_every_certificate_type_and_status_has_its_dutch_labels():
    for labels in (TYPE_LABELS, TYPE_WORDS, TYPE_NAMES):
        assert set(labels) == set(CertificateType)
    assert set(STATUS_LABELS) == set(OfferStatus)


def test_register_certificates_carry_the_shared_type():
    types = {c.type for c in Register.default().certificates}
    # the embedded default holds no LNV certificates (an SBB export may: type LNV)
    assert types == {CertificateType.keuzedeel, CertificateType.beroepsgericht_onderdeel}
    assert all(isinstance(t, CertificateType) for t in types)


def test_type_comes_from_the_text_or_else_the_code_letter():
    assert type_of("Beroepsgericht onderdeel", "K0905") is CertificateType.beroepsgericht_onderdeel
    assert type_of("", "C0039") is CertificateType.beroepsgericht_onderdeel
    assert type_of(None, "k0905") is CertificateType.keuzedeel
    assert [str(s) for s in OfferStatus] == ["confirmed", "review"]
