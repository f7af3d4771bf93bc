"""Dutch labels of the domain's value sets, for reports and the review UI: the one place."""

from __future__ import annotations

from matcher.decisions import NO_CERTIFICATE, WITHDRAWN
from matcher.vocabulary import CertificateType, OfferStatus

FUNDED = "bekostigd"
NOT_FUNDED = "niet-bekostigd"
FUNDINGS = (FUNDED, NOT_FUNDED)

# Plural headings ("Keuzedelen") and the singular word in a table cell ("beroepsonderdeel").
TYPE_LABELS = {
    CertificateType.keuzedeel: "Keuzedelen",
    CertificateType.beroepsgericht_onderdeel: "Beroepsonderdelen",
    CertificateType.lnv: "LNV-certificaten",
}
TYPE_WORDS = {
    CertificateType.keuzedeel: "keuzedeel",
    CertificateType.beroepsgericht_onderdeel: "beroepsonderdeel",
    CertificateType.lnv: "LNV-certificaat",
}
# OpenRefine reconciliation types.
TYPE_NAMES = {
    CertificateType.keuzedeel: "Keuzedeel (mbo-certificaat)",
    CertificateType.beroepsgericht_onderdeel: "Beroepsgericht onderdeel (mbo-certificaat)",
    CertificateType.lnv: "LNV-certificaat (wettelijk, groen; geen mbo-certificaat)",
}
FUNDING_LABELS = {FUNDED: "Bekostigd", NOT_FUNDED: "Niet-bekostigd"}
# The decision log's two sentinel codes as the review pages show them.
DECISION_CODE_LABELS = {NO_CERTIFICATE: "geen certificaattraject", WITHDRAWN: "ingetrokken"}
# An offer's status as the report prints it.
STATUS_LABELS = {OfferStatus.confirmed: "bevestigd", OfferStatus.review: "te beoordelen"}
