"""Write the benchmark's PDF brochures (run once; the PDFs are committed).

    .venv/bin/python benchmarks/extractor_pages/make_pdfs.py

A minimal PDF writer (Helvetica, WinAnsiEncoding, one text line per row) so that no PDF
library is needed; pdfminer reads the text back as a brochure's text.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

BROCHURES: dict[str, list[str]] = {
    "horizon.brochure-maatschappelijke-zorg.pdf": [
        "Mbo-certificaat Individuele ondersteuning in de maatschappelijke zorg",
        "",
        "Werk je in de maatschappelijke opvang, de verslavingszorg of de GGZ en wil je",
        "je werk een stevige basis geven? Dan is dit certificaattraject iets voor jou.",
        "",
        "Wat leer je?",
        "- De cliënt ondersteunen bij het opbouwen van een eigen netwerk",
        "- Signaleren van crisis en escalatie",
        "- Werken met een ondersteuningsplan",
        "",
        "Duur: 20 weken, 1 dag per week. Kosten: € 1.395 inclusief examen.",
        "Start: september en februari, Alkmaar en Hoorn.",
        "",
        "Na het examen ontvang je een landelijk erkend mbo-certificaat. Het certificaat is",
        "een onderdeel van de opleiding Begeleider specifieke doelgroepen (niveau 3).",
        "",
        "Aanmelden: www.horizoncollege.nl/werkenden",
    ],
    "rijnijssel.cursusoverzicht-zorg-2024.pdf": [
        "Cursusoverzicht zorg 2024-2025",
        "Rijn IJssel Leven Lang Ontwikkelen",
        "",
        "Keuzedeel: Zorg in instabiele en acute zorgsituaties",
        "Voor verpleegkundigen in het ziekenhuis en de wijk. 10 weken. € 980.",
        "Afronding: mbo-certificaat.",
        "",
        "Keuzedeel: Geriatrische revalidatiezorg",
        "Voor verzorgenden en verpleegkundigen in de revalidatie. 8 weken. € 850.",
        "Afronding: mbo-certificaat.",
        "",
        "BHV herhaling",
        "Jaarlijkse herhaling. 1 dag. € 145. Afronding: NIBHV-certificaat.",
        "",
        "Inschrijven via www.rijnijssel.nl/llo of bel 026 - 312 00 00.",
    ],
    "leeuwenborgh.studiegids-verzorgende-ig.pdf": [
        "Studiegids Verzorgende IG 2024-2025",
        "Crebo 25491 - niveau 3 - BOL en BBL",
        "",
        "1. Opbouw van de opleiding",
        "De opleiding bestaat uit het basisdeel, het profieldeel en de keuzedelen.",
        "Je studeert af met het mbo-diploma Verzorgende IG.",
        "",
        "2. Keuzedelen",
        "K0118 Verzorgende en verpleegtechnische handelingen (240 SBU)",
        "K0988 Gerontopsychiatrie (240 SBU)",
        "K1006 Verdieping palliatieve zorg (240 SBU)",
        "Een keuzedeel sluit je af met een examen; het resultaat telt mee voor je diploma.",
        "",
        "3. Examinering",
        "Zie het examenplan op de studentenportal.",
    ],
    "holdout/rocva.brochure-voertuig-reconditionering.pdf": [
        "Voertuig reconditionering",
        "Keuzedeel met mbo-certificaat voor werkenden in de autobranche",
        "",
        "Poetsen, polijsten en kleine schades herstellen: in 8 praktijkavonden leer je",
        "een auto verkoopklaar te maken. Je sluit af met een praktijkexamen.",
        "",
        "Kosten: € 690. Start: oktober. Locatie: Amsterdam-Noord.",
        "Aanmelden: www.rocva.nl/volwassenen",
    ],
    # brochures with several trajectories; PAGE_BREAK starts the next PDF page
    "rocva.brochure-zorg-trajecten.pdf": [
        "Leven lang ontwikkelen - Zorg en welzijn 2025",
        "ROC van Amsterdam - Flevoland",
        "",
        "Omgaan met onbegrepen gedrag bij dementie",
        "Mbo-certificaat, keuzedeel K1145",
        "Voor zorgmedewerkers in de ouderenzorg. 6 bijeenkomsten. € 750.",
        "",
        "Gastvrijheid in de zorg",
        "Mbo-certificaat, keuzedeel K0153",
        "Voor medewerkers in de facilitaire dienst en de zorg. 5 weken. € 495.",
        "PAGE_BREAK",
        "Zorg voor mensen met hersenletsel",
        "Mbo-certificaat, keuzedeel K0067",
        "Begeleiden van cliënten met NAH in wonen en dagbesteding. 8 weken. € 820.",
        "",
        "BHV basis",
        "Afronding: NIBHV-certificaat. 2 dagdelen. € 195.",
        "",
        "Meer informatie: www.rocva.nl/volwassenen",
    ],
    "holdout/deltion.brochure-kinderopvang.pdf": [
        "Bijscholing kinderopvang 2025",
        "Deltion College - Leven Lang Ontwikkelen",
        "",
        "Werken met baby's",
        "Mbo-certificaat, keuzedeel K0290",
        "Voor pedagogisch medewerkers op de babygroep. 8 weken. € 690.",
        "PAGE_BREAK",
        "Gastouderopvang: werken met kinderen",
        "Mbo-certificaat, keuzedeel K1167",
        "Voor (startende) gastouders. 6 weken. € 540.",
        "",
        "Leesbevordering voor peuters en kleuters",
        "Mbo-certificaat, keuzedeel K0879",
        "Voorlezen en taalontwikkeling stimuleren. 6 bijeenkomsten. € 495.",
        "PAGE_BREAK",
        "Kinder-EHBO",
        "Afronding: certificaat Eerste Hulp aan Kinderen van het Oranje Kruis. 2 avonden.",
        "",
        "Aanmelden: www.deltion.nl/bijscholing",
    ],
    "holdout3/albeda.brochure-llo-techniek.pdf": [
        "Leven Lang Ontwikkelen | Techniek 2025-2026",
        "Albeda - opleidingen voor werkenden",
        "",
        "Inhoud: 1. Automatisering  2. Robotica  3. Waterstof  4. Veiligheid",
        "PAGE_BREAK",
        "1. PLC en industriële automatisering",
        "Voor monteurs en operators die machines willen programmeren en storingen oplossen.",
        "12 avonden, Rotterdam-Zuid. € 1.295. Code keuzedeel: K0812.",
        "Resultaat: mbo-certificaat.",
        "",
        "2. Robots in de productie",
        "Programmeren, inleren en veilig werken met industriële robots (cobots en",
        "6-assige robots). 10 avonden. € 1.395.",
        "Je ontvangt een landelijk erkend mbo-certificaat (K0989).",
        "PAGE_BREAK",
        "3. Werken met waterstof",
        "Eigenschappen, opslag en veilig werken met waterstof in installaties en voertuigen.",
        "8 avonden. € 980. Afsluiting met examen en het erkende mbo-certificaat",
        "Waterstoftechnologie.",
        "",
        "4. VCA Basis",
        "Eendaagse training met examen. Afronding: VCA-diploma (branchecertificaat). € 185.",
        "",
        "Aanmelden: www.albeda.nl/werkenden",
    ],
    "holdout3/scalda.flyer-zorg-welzijn.pdf": [
        "Scalda Werkt! - Zorg en welzijn voor werkenden",
        "",
        "Assisteren in zorg en welzijn (K0745)",
        "Voor zij-instromers die willen starten in de zorg. 10 weken. € 690.",
        "",
        "C0024 | Ondersteuning thuis",
        "Beroepsgericht onderdeel van Helpende zorg en welzijn. 12 weken. € 940.",
        "Met mbo-certificaat.",
        "",
        "Geriatrische revalidatie",
        "Voor verzorgenden in de revalidatiezorg. Je sluit af met een mbo-certificaat.",
        "8 weken. € 850.",
        "",
        "Tillen en transfers",
        "Workshop van 1 dagdeel, certificaat van deelname. € 95.",
        "",
        "Info en aanmelden: scalda.nl/werkt",
    ],
    "holdout4/vista.brochure-kinderopvang-2026.pdf": [
        "Vakmanschap in de kinderopvang 2026",
        "Vista college - scholing voor pedagogisch professionals",
        "",
        "In deze brochure vind je ons aanbod voor werkenden. Bij een voldoende",
        "examen krijg je bij de meeste trajecten een landelijk erkend certificaat.",
        "PAGE_BREAK",
        "1. BSO: werken met kinderen van 8 tot 12 jaar",
        "Activiteiten voor oudere kinderen, inspraak en eigen regie op de BSO.",
        "Keuzedeel BSO 8 tot 12 jaar, je sluit het traject af met een mbo-certificaat.",
        "6 bijeenkomsten in Heerlen. € 620.",
        "",
        "2. Baby's en dreumesen op de groep",
        "Veilige hechting, verzorging en spel voor de allerjongsten.",
        "Je ontvangt het mbo-certificaat Werken met baby's (K0290). 8 weken. € 690.",
        "PAGE_BREAK",
        "3. Aan de slag als gastouder",
        "Voor gastouders die thuis of bij de ouders kinderen opvangen.",
        "Afronding: mbo-certificaat. 6 weken. € 540.",
        "",
        "4. Een veilig pedagogisch klimaat (C0125)",
        "Beroepsgericht onderdeel voor medewerkers zonder volledig diploma. 14 weken. € 1.150.",
        "",
        "5. Kinder-EHBO",
        "Afronding: certificaat Eerste Hulp aan Kinderen van het Oranje Kruis. 2 avonden. € 110.",
        "",
        "Aanmelden: www.vistacollege.nl/werkenden",
    ],
}
PAGE_BREAK = "PAGE_BREAK"


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF with `lines` as text, top to bottom."""
    ops = [b"BT", b"/F1 11 Tf", b"14 TL", b"50 800 Td"]
    ops += [b"(" + _escape(line) + b") Tj T*" for line in lines]
    ops.append(b"ET")
    stream = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _pages_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per list of lines (Helvetica, WinAnsiEncoding)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, written once the page objects are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        ops = [b"BT", b"/F1 11 Tf", b"14 TL", b"50 800 Td"]
        ops += [b"(" + _escape(line) + b") Tj T*" for line in lines]
        ops.append(b"ET")
        stream = b"\n".join(ops)
        page_number = len(objects) + 1
        kids.append(f"{page_number} 0 R".encode())
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents "
            + f"{page_number + 1} 0 R".encode()
            + b" >>"
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    objects[1] = (
        b"<< /Type /Pages /Kids ["
        + b" ".join(kids)
        + b"] /Count "
        + str(len(pages)).encode()
        + b" >>"
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def main() -> None:
    for name, lines in BROCHURES.items():
        if PAGE_BREAK in lines:
            pages: list[list[str]] = [[]]
            for line in lines:
                if line == PAGE_BREAK:
                    pages.append([])
                else:
                    pages[-1].append(line)
            (HERE / name).write_bytes(_pages_pdf(pages))
        else:
            (HERE / name).write_bytes(pdf_bytes(lines))


if __name__ == "__main__":
    main()
