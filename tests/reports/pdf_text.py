"""Reading a PDF back: its text, links, bookmarks and metadata, as a reader's software sees them."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from functools import cached_property

import pytest
from pypdf import PdfReader


class PdfContent:
    """A PDF's text (read at once) and, read with pypdf only when a test asks for them, its
    links, bookmarks and metadata: pypdf takes three times as long as pdftotext on a report, and
    most tests only look at the text."""

    def __init__(self, data: bytes):
        self.data = data
        self.pages: list[str] = page_texts(data)  # each page's text as extracted
        self.text: str = re.sub(r"\s+", " ", " ".join(self.pages))  # whitespace collapsed

    def contains(self, phrase: str) -> bool:
        """Whether the phrase is in the text, however the lines were broken."""
        return squeeze(phrase) in self._squeezed

    @cached_property
    def _squeezed(self) -> str:
        return squeeze(self.text)

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.data))

    @cached_property
    def _links(self) -> tuple[list[str], int]:
        uris, internal = [], 0
        for page in self.reader.pages:
            for ref in page.get("/Annots") or []:
                annotation = ref.get_object()
                if annotation.get("/Subtype") != "/Link":
                    continue
                action = annotation.get("/A")
                if action is not None and action.get("/S") == "/URI":
                    uris.append(str(action.get("/URI")))
                else:
                    internal += 1
        return uris, internal

    @property
    def uris(self) -> list[str]:
        return self._links[0]

    @property
    def internal_links(self) -> int:
        return self._links[1]

    @cached_property
    def bookmarks(self) -> list[tuple[int, str]]:
        """(level, title) of every bookmark."""
        return list(_outline(self.reader.outline))


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks in a PDF fall anywhere."""
    return re.sub(r"\s+", "", text)


def _outline(items, level=1):
    for item in items:
        if isinstance(item, list):
            yield from _outline(item, level + 1)
        else:
            yield level, item.title


def page_texts(data: bytes) -> list[str]:
    """The text of each page, as poppler's pdftotext reads it.

    pdftotext (poppler-utils, which CI installs) reads a 30-page report in a quarter of a
    second, where pypdf's extractor takes as long as WeasyPrint took to write it; pypdf is
    used only outside CI on a machine without poppler.
    """
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is required in CI: apt-get install poppler-utils")
        return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    # pdftotext ends every page with a form feed.
    return result.stdout.decode("utf-8").split("\f")[:-1]


def read_pdf(data: bytes) -> PdfContent:
    """Parse PDF bytes into what the tests look at."""
    return PdfContent(data)


def qpdf_check(path) -> None:
    """`qpdf --check` on a file; skipped only outside CI where qpdf is missing."""
    if shutil.which("qpdf") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("qpdf is required in CI: apt-get install qpdf")
        pytest.skip("qpdf not installed: apt-get install qpdf")
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
