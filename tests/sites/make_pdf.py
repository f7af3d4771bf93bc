"""Writes static-catalogue/brochure/cursusaanbod-2026.pdf, a real one-page PDF (run once).

Kept so the committed test file can be regenerated: `python tests/sites/make_pdf.py`.
"""

from __future__ import annotations

from pathlib import Path

LINES = [
    "ROC Statisch College - Brochure cursusaanbod 2026",
    "Cursussen voor volwassenen en werkenden",
    "Mbo-certificaat Werken met baby's (K0290)",
    "Duur: 12 weken. Kosten: 695 euro. Open inschrijving.",
    "Mbo-certificaat Helpende Plus (K0905)",
]


def build_pdf(lines: list[str]) -> bytes:
    text = ["BT", "/F1 14 Tf", "72 760 Td", "18 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


if __name__ == "__main__":
    target = Path(__file__).parent / "static-catalogue" / "brochure" / "cursusaanbod-2026.pdf"
    target.write_bytes(build_pdf(LINES))
