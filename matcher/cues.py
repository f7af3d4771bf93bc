"""Cue lexicons (as data), a finder for cues in page text, and the phrases that name a
certificate in running text or date a news item."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

Cue = Literal["certificate", "b2b", "diploma", "private", "lnv"]
CUE_NAMES: Final[tuple[Cue, ...]] = ("certificate", "b2b", "diploma", "private", "lnv")

# Each lexicon is a tuple of regular expressions (case-insensitive, matched on word
# boundaries). Keep them short and readable: an analyst should be able to extend them.
LEXICONS: Final[dict[Cue, tuple[str, ...]]] = {
    "certificate": (
        r"mbo[- ]?certificaa?t(en)?",
        r"certificaattraject(en)?",
        r"certificaat ?traject(en)?",
        r"keuzedee?l(en)?",
        r"beroepsgerichte? onderde(e)?l(en)?",
        r"landelijk erkend (mbo[- ])?certificaat",
        r"leereenheid",
        r"certificaat (van|voor) (een )?(het )?mbo",
    ),
    "b2b": (
        r"alleen (als )?in[- ]?company",
        r"uitsluitend in[- ]?company",
        r"(alleen|uitsluitend|enkel) (aan te vragen |te volgen |beschikbaar )?"
        r"(via|door|voor) (je |uw |jouw |de )?werkgevers?",
        r"niet (toegankelijk |beschikbaar |open )?voor particulieren",
        r"geen (individuele|particuliere) inschrijvingen?",
        r"(alleen|uitsluitend|enkel) (beschikbaar |toegankelijk |bedoeld |open )?voor "
        r"(bedrijven|organisaties|werkgevers|(de )?(medewerkers|werknemers) van)",
        r"(individuele|particuliere|eigen) (inschrijving(en)?|aanmelding(en)?) (is |zijn )?"
        r"(helaas )?niet mogelijk",
        r"niet (mogelijk |open )?voor individuele (deelnemers|cursisten|inschrijvingen?)",
        r"particulieren kunnen (zich )?(helaas )?niet (inschrijven|aanmelden|deelnemen)",
        r"(aanmelden|inschrijven|aanmelding|inschrijving) (gaat|loopt|verloopt) (altijd |alleen |"
        r"uitsluitend )?via (je |uw |jouw |de )?werkgevers?",
        r"(alleen|uitsluitend|enkel) (aan )?als (een )?(maatwerktraject|maatwerkopleiding|"
        r"maatwerk|bedrijfsopleiding|bedrijfstraining|bedrijfsklas|in[- ]?company[- ]?training)",
    ),
    "diploma": (
        r"bol",
        r"bbl",
        r"crebo",
        r"mbo[- ]?diploma",
        r"diploma",
        r"(opleiding|studie|leerweg) (op )?niveau [1-4]",
        r"beroepsopleidende leerweg",
        r"beroepsbegeleidende leerweg",
    ),
    "private": (
        r"branche[- ]?certificaa?t(en)?",
        r"branche[- ]?erkende? certificaa?t(en)?",
        r"certificaat van (?-i:[A-Z][\w-]+)(?! ?mbo)",  # "certificaat van Scalda Zakelijk"
        r"oranje kruis",
        r"(internationaal|wereldwijd) erkende? (taal)?certificaa?t(en)?",
        r"cambridge[- ]?(certificaat|english|exam(en)?)",
        r"goethe[- ]?(zertifikat|certificaat|institut)",
        r"ielts|toefl|delf|dalf|anglia[- ]?certificaat",
        r"ncoi[- ]?certificaat",
        r"bedrijfsopleidingscertificaat",
        r"bewijs van deelname",
        r"certificaat van deelname",
        r"bhv",
        r"bedrijfshulpverlening",
        r"vca(\s?-?vol|\s?-?basis)?",
        r"eigen certificaat",
        r"nrto[- ]?keurmerk",
        r"cedeo[- ]?erkend",
    ),
    "lnv": (
        r"lnv",
        r"wettelijk (erkend )?certificaat",
        r"vakbekwaamheid gewasbescherming",
        r"spuitlicentie",
        r"ministerie van landbouw",
    ),
}


@dataclass(frozen=True)
class CueHit:
    """One cue phrase found in a text: which cue, the phrase as written, and where."""

    cue: Cue
    phrase: str
    start: int


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<![\w-])(?:{joined})(?![\w])", re.IGNORECASE)


_COMPILED: Final[dict[Cue, re.Pattern[str]]] = {
    cue: _compile(patterns) for cue, patterns in LEXICONS.items()
}
# A cue right after a negation does not count: "geen diploma nodig", "geen mbo-certificaat",
# "leidt niet tot een landelijk erkend certificaat". Words that merely contain a cue
# ("diplomaroute", "symbool") are excluded by the word boundaries above.
NEGATED_CUES: Final = frozenset({"certificate", "diploma", "private"})
_NEGATION = re.compile(
    r"\b(?:geen|zonder|niet(?: tot)?)\s+(?:een\s+|het\s+|de\s+)?"
    r"(?:volledige?\s+|landelijk\s+erkend\s+|erkend\s+|officieel\s+|officiële\s+)?$",
    re.IGNORECASE,
)


def _negated(text: str, start: int) -> bool:
    return _NEGATION.search(text[max(0, start - 48) : start]) is not None


def find_cue_hits(text: str) -> tuple[CueHit, ...]:
    """Every cue phrase in `text` that is not negated, in text order."""
    hits: list[CueHit] = []
    for cue, pattern in _COMPILED.items():
        for match in pattern.finditer(text):
            if cue in NEGATED_CUES and _negated(text, match.start()):
                continue
            hits.append(CueHit(cue, match.group(0), match.start()))
    return tuple(sorted(hits, key=lambda h: (h.start, h.cue)))


# A diploma programme's page names its keuzedelen ("kies je keuzedelen zoals ..."): there a
# bare keuzedeel is a part of the programme, not a certificate traject of its own.
_PART_OF_PROGRAMME = re.compile(r"keuzedee?l(en)?", re.IGNORECASE)
# ("opleiding niveau 2" is no such cue: entry requirements say it on certificate pages too)
_PROGRAMME = re.compile(
    r"bol|bbl|crebo|mbo[- ]?diploma|beroeps(opleidende|begeleidende) leerweg", re.IGNORECASE
)


def find_cues(text: str) -> frozenset[str]:
    """The names of the cues present in `text` (e.g. {"certificate", "b2b"}).

    A text with a programme cue (BOL/BBL, crebo, mbo-diploma, leerweg) whose only certificate
    cue is "keuzedeel" describes a diploma programme: it has no certificate cue.
    """
    hits = find_cue_hits(text)
    cues = {hit.cue for hit in hits}
    certificate = [hit.phrase for hit in hits if hit.cue == "certificate"]
    if (
        certificate
        and all(_PART_OF_PROGRAMME.fullmatch(p) for p in certificate)
        and any(hit.cue == "diploma" and _PROGRAMME.fullmatch(hit.phrase) for hit in hits)
    ):
        cues.discard("certificate")
    return frozenset(cues)


# "Gepubliceerd op 3 april 2024": a dated news item, whatever its URL
_PUBLISHED = re.compile(
    r"\b(gepubliceerd|geplaatst|gepost|published)( op| on)?:? \d{1,2} (jan|feb|maa|apr|mei|jun|"
    r"jul|aug|sep|okt|nov|dec)[a-z]*\.? \d{4}",
    re.IGNORECASE,
)
# "Keuzedeel Verplegende en ... . Onder andere ...": a block that opens by naming its
# certificate, up to the end of the clause
_NAMED_IN_TEXT = re.compile(
    r"(?<![\w-])(?i:mbo[- ]?certificaat|keuzedeel|certificaattraject|leereenheid)[ :]+"
    r"((?:[KC] ?\d{4} )?[A-Z][^.;:!?(),|\u2013\u2014]{3,100}?)(?=\s+-\s|[.;:!?(),|\u2013\u2014]|$)"
)
_CODE = re.compile(r"\b[KC] ?\d{4}\b")


# "Dit traject leidt op tot een erkend mbo-certificaat", "Afronding: mbo-certificaat",
# "Mbo-certificaat, keuzedeel K0812": the text says that *this* trajectory leads to a certificate,
# rather than merely mentioning certificates (a vacancy, a menu, terms and conditions).
# Phrasings vary by institution: "je rondt af met", "je sluit het traject af met", "wordt
# afgesloten met", "wie slaagt, ontvangt het", "heb je een officieel mbo-certificaat op zak".
_CERT = (
    r"(?:een |het |je |jouw |uw )?(?:landelijk )?(?:(?:erkende?|officie(?:el|le)|geldige?) )?"
    r"mbo[- ]?certificaat"
)
_YOU = r"(?:je|u|jij)"
_WORD = r"(?:(?!niet |geen |nooit )\w+ )"  # a filler word, never a negation
_TRAJECTORY = re.compile(
    r"(?<![\w-])(?:"
    rf"(?:leidt|leiden) (?:je |u )?(?:op )?tot {_CERT}"
    rf"|(?:ontvang|behaal|haal|krijg|verdien)t? {_YOU} {_WORD}{{0,2}}{_CERT}"
    rf"|(?:ontvangt|behaalt|krijgt) {_WORD}{{0,2}}{_CERT}"
    rf"|heb(?:t)? {_YOU} {_WORD}{{0,2}}{_CERT} (?:op zak|in (?:je|jouw|uw) (?:handen|bezit)|"
    r"op (?:je|jouw|uw) naam)"
    rf"|(?:sluit|rondt?) {_YOU} {_WORD}{{0,3}}af met {_CERT}"
    rf"|{_YOU} (?:sluit|rondt?) {_WORD}{{0,3}}af met {_CERT}"
    rf"|(?:wordt|worden) {_WORD}{{0,2}}(?:afgesloten|afgerond) met {_CERT}"
    rf"|(?:afronding|afsluiting|resultaat|bewijs)\s*:\s*{_CERT}"
    r"|mbo[- ]?certificaat,? (?:keuzedeel|beroepsgericht onderdeel)"
    r"|(?:dit|het|ons) certificaattraject"
    r")",
    re.IGNORECASE,
)


def leads_to_certificate(text: str) -> bool:
    """True when `text` says that its trajectory leads to an mbo-certificaat (not negated)."""
    return any(not _negated(text, m.start()) for m in _TRAJECTORY.finditer(text))


def published_date(text: str) -> bool:
    """True when `text` carries a publication line ("Gepubliceerd op 3 april 2024")."""
    return _PUBLISHED.search(text) is not None


def named_certificate(block: str) -> str | None:
    """The certificate a text block opens with ("Keuzedeel X. Onder andere ..." -> "X")."""
    match = _NAMED_IN_TEXT.match(block)
    if match is None:
        return None
    name = " ".join(match.group(1).split())
    if len(re.findall(r"[^\W\d]", _CODE.sub("", name))) < 4:
        return None  # a code alone ("keuzedeel K 0118") names nothing new
    return name
