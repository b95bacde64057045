"""Tiny valid files of every type evidence accepts, and the files it must refuse, built in
code (no binary fixtures)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def pdf(text: str = "Recruitment fee policy") -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(body)}>>stream\n".encode()
        + body
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack("!I", len(data))
            + kind
            + data
            + struct.pack("!I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack("!IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    # A JFIF header and an end-of-image marker: what type detection reads.
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\x00" * 32
        + b"\xff\xd9"
    )


def _zip(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), members[stored_first], zipfile.ZIP_STORED
            )
        for name, data in members.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def docx(document: bytes = b"<w:document/>") -> bytes:
    return _zip(
        {
            "[Content_Types].xml": DOCX_TYPES.encode(),
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": document,
        }
    )


def xlsx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": DOCX_TYPES.encode(),
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<worksheet/>",
        }
    )


def odt() -> bytes:
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
        },
        stored_first="mimetype",
    )


def csv_file() -> bytes:
    return b"worker,month,gross,deductions,net\nA. N.,2026-10,1800.00,0.00,1800.00\n"


def text() -> bytes:
    return "Политика: работодатель платит все сборы.\nEmployer pays all fees.\n".encode()


# name, content, detected media type
ALLOWED = [
    ("policy.pdf", pdf, "application/pdf"),
    ("scan.png", png, "image/png"),
    ("photo.jpg", jpeg, "image/jpeg"),
    (
        "contract.docx",
        docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("payroll.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("policy.odt", odt, "application/vnd.oasis.opendocument.text"),
    ("payroll.csv", csv_file, "text/csv"),
    ("notes.txt", text, "text/plain"),
]


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def windows_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + b"PE\x00\x00"


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def zip_bomb() -> bytes:
    """A DOCX-shaped file whose document inflates to 40 MB from a few dozen kilobytes."""
    return docx(b"\x00" * (40 * 1024 * 1024))
