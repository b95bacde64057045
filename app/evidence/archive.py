"""All the evidence of an assessment as one ZIP, for the tender file: every document once, and a
manifest (CSV) that says what each file is and which answers it backs.

The ZIP is written while it is sent: each blob is read in small chunks from the evidence
storage as the client takes the bytes, so a download of hundreds of megabytes needs no more
memory than a small one, and nothing is written to disk. Files are stored, not compressed:
PDFs, images and office documents are compressed already, and a stored ZIP has a size known
before it starts (the download shows its progress).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from zipstream import ZIP_STORED, ZipStream

from app.exports import to_csv

# Read this much of a blob at a time: small enough to keep memory flat, large enough to be fast.
CHUNK = 256 * 1024
MANIFEST = "manifest.csv"
FOLDER = "documents"


@dataclass(frozen=True)
class ArchivedDocument:
    """One document as the ZIP holds it."""

    title: str
    document_date: date | None
    filename: str  # sanitised when uploaded
    media_type: str
    size: int
    sha256: str
    questions: tuple[str, ...]  # the questions it backs, as the manifest names them


def _chunks(open_blob: Callable[[str], BinaryIO], sha256: str) -> Iterator[bytes]:
    # Opened only when the ZIP reaches this file, and closed as soon as it is read.
    with open_blob(sha256) as blob:
        while chunk := blob.read(CHUNK):
            yield chunk


def archive_names(documents: Sequence[ArchivedDocument]) -> list[str]:
    """Each document's path in the ZIP: numbered, so two files of the same name both fit."""
    width = max(3, len(str(len(documents))))
    return [
        f"{FOLDER}/{number:0{width}d}-{document.filename or 'document'}"
        for number, document in enumerate(documents, start=1)
    ]


def manifest(
    documents: Sequence[ArchivedDocument], names: Sequence[str], header: Sequence[str]
) -> bytes:
    """The manifest: one line per document (its file in the ZIP, title, date, type, size in
    bytes, sha256, questions), under the given column names."""
    rows = [
        [
            name,
            document.title,
            document.document_date.isoformat() if document.document_date else "",
            document.media_type,
            document.size,
            document.sha256,
            "; ".join(document.questions),
        ]
        for name, document in zip(names, documents, strict=True)
    ]
    return to_csv(header, rows).encode("utf-8")


def evidence_zip(
    documents: Sequence[ArchivedDocument],
    open_blob: Callable[[str], BinaryIO],
    manifest_header: Sequence[str],
) -> ZipStream:
    """The ZIP of the documents and their manifest, generated as it is iterated; `len()` of it
    is its size in bytes before a byte is generated."""
    names = archive_names(documents)
    stream = ZipStream(compress_type=ZIP_STORED, sized=True)
    stream.add(manifest(documents, names, manifest_header), MANIFEST)
    for name, document in zip(names, documents, strict=True):
        stream.add(_chunks(open_blob, document.sha256), name, size=document.size)
    return stream
