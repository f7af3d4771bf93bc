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
}


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


def main() -> None:
    for name, lines in BROCHURES.items():
        (HERE / name).write_bytes(pdf_bytes(lines))


if __name__ == "__main__":
    main()
