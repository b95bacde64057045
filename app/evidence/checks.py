"""The checks an evidence file passes on its way in: size, type from the content, name.

The type is read from the content (magic numbers through the `filetype` library; the members
of an Office or OpenDocument zip; plain text that is valid text and not a web page), never
from the file's name. An Office or OpenDocument file is also checked for a zip bomb: members
that would inflate far beyond the file. Every refusal is an `EvidenceRefused` whose message is
for the person uploading.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from flask_babel import lazy_gettext as _l

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
CSV = "text/csv"
TEXT = "text/plain"

# The types accepted, each with the extension its download gets (whatever the upload's name).
ALLOWED = {
    PDF: ".pdf",
    PNG: ".png",
    JPEG: ".jpg",
    DOCX: ".docx",
    XLSX: ".xlsx",
    ODT: ".odt",
    ODS: ".ods",
    CSV: ".csv",
    TEXT: ".txt",
}
# What a person reads about each type (lists of documents, the library).
TYPE_LABELS = {
    PDF: "PDF",
    PNG: "PNG",
    JPEG: "JPEG",
    DOCX: "Word",
    XLSX: "Excel",
    ODT: "ODF text",
    ODS: "ODF spreadsheet",
    CSV: "CSV",
    TEXT: _l("Text"),
}
# Where an OOXML package keeps its main part, per type.
OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}
ODF_TYPES = {ODT, ODS}

HEAD_BYTES = 8192  # what the type detection reads
# A zip bomb: more than this many bytes once inflated, or a ratio beyond this.
MAX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 5000
# Text that opens like this is a web page or a script, whatever its name says.
MARKUP = re.compile(rb"^\s*<(!doctype|html|head|body|script|svg|iframe|\?xml|meta|object)", re.I)
TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class EvidenceRefused(Exception):
    """The file was not accepted; the message says why, for the person uploading."""


@dataclass(frozen=True)
class Detected:
    """What the content is: its media type and the extension its download gets."""

    media_type: str

    @property
    def extension(self) -> str:
        return ALLOWED[self.media_type]


def refuse_size(size: int, limit: int) -> None:
    """Refuse an empty file, or one over the per-file limit."""
    if size <= 0:
        raise EvidenceRefused(_l("The file is empty."))
    if size > limit:
        raise EvidenceRefused(
            _l(
                "The file is larger than %(limit)s, the most one document may be.",
                limit=human_size(limit),
            )
        )


def detect(stream: IO[bytes], filename: str) -> Detected:
    """The type of the content in `stream` (seekable; left at its start), or EvidenceRefused.

    `filename` only tells a CSV file from other plain text; it never makes a file acceptable.
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime == "image/apng":
        mime = PNG
    if mime in (PDF, PNG, JPEG):
        return Detected(mime)
    if head.startswith(b"PK\x03\x04"):
        return Detected(_office_type(stream))
    if mime is not None:
        raise EvidenceRefused(_not_allowed())
    return Detected(_text_type(stream, filename))


def _not_allowed():
    return _l(
        "This kind of file cannot be attached. Attach a PDF, an image (PNG, JPEG), a Word, "
        "Excel or OpenDocument file, a CSV or a plain text file."
    )


def _office_type(stream: IO[bytes]) -> str:
    """The type of an Office (OOXML) or OpenDocument file, after the zip-bomb check."""
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            _refuse_bomb(archive, members, stream)
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise EvidenceRefused(
                    _l("Documents with macros cannot be attached: save it without macros.")
                )
            if "[Content_Types].xml" in names:
                for part, media_type in OOXML_PARTS.items():
                    if part in names:
                        return media_type
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in ODF_TYPES and "content.xml" in names:
                    return declared
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise EvidenceRefused(_l("The file is damaged and cannot be read.")) from error
    except NotImplementedError as error:  # a compression method zipfile does not know
        raise EvidenceRefused(_l("The file is damaged and cannot be read.")) from error
    finally:
        stream.seek(0)
    raise EvidenceRefused(_not_allowed())


def _refuse_bomb(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], stream) -> None:
    """Refuse a zip whose members inflate far beyond the file: by their declared sizes, and
    by inflating them (declared sizes can lie), stopping at the limit."""
    stream.seek(0, 2)
    packed = max(stream.tell(), 1)
    if len(members) > MAX_MEMBERS:
        raise EvidenceRefused(_bomb())
    declared = sum(member.file_size for member in members)
    if declared > MAX_INFLATED_BYTES or declared > MAX_RATIO * packed:
        raise EvidenceRefused(_bomb())
    inflated = 0
    limit = min(MAX_INFLATED_BYTES, MAX_RATIO * packed)
    for member in members:
        with archive.open(member) as part:
            while chunk := part.read(1 << 20):
                inflated += len(chunk)
                if inflated > limit:
                    raise EvidenceRefused(_bomb())


def _bomb():
    return _l("The file unpacks to far more than its size (a zip bomb) and cannot be attached.")


def _text_type(stream: IO[bytes], filename: str) -> str:
    """CSV or plain text: valid UTF-8 (or Windows-1252) text, no control characters, and not a
    web page or script."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if MARKUP.match(head.lstrip(b"\xef\xbb\xbf")):
        raise EvidenceRefused(
            _l("Web pages and scripts cannot be attached. Save the page as PDF and attach that.")
        )
    # Cut at the last line break, so that a multi-byte character split by the head is no error.
    sample = head if len(head) < HEAD_BYTES else head[: head.rfind(b"\n") + 1] or head
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = sample.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text or TEXT_CONTROLS.search(text):
        raise EvidenceRefused(_not_allowed())
    # Valid text either way: the name only says whether a spreadsheet should open it.
    return CSV if filename.lower().endswith(".csv") else TEXT


def clean_filename(filename: str | None, extension: str) -> str:
    """A name safe to store and to offer for download: no folders, no control or reserved
    characters, letters of every script kept, the extension of the detected type."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"\s", " ", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .")[:200] or "document"
    return f"{stem}{extension}"


def human_size(size: int) -> str:
    """A size in bytes as a person reads it (1.4 MB)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
