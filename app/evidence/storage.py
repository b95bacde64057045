"""Where evidence files live: one small interface, a local-disk backend behind it.

Blobs are named by the sha256 of their content and never change once written, so that several
app servers can share one volume, and one blob serves every document row with that hash. An
S3-compatible backend needs only the five methods of `EvidenceStorage`; views never touch
files, they go through `app.evidence.services`.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

SHA256 = re.compile(r"^[0-9a-f]{64}$")


class EvidenceStorage(Protocol):
    """The blob store of evidence files, keyed by the sha256 of their content."""

    def save(self, sha256: str, chunks: Iterable[bytes]) -> None:
        """Store the content (given in chunks) under its hash; a no-op when it exists."""

    def open(self, sha256: str) -> BinaryIO:
        """The content for reading (FileNotFoundError when missing)."""

    def exists(self, sha256: str) -> bool:
        """Whether a blob with this hash is stored."""

    def delete(self, sha256: str) -> None:
        """Remove the blob; a no-op when it is missing."""

    def names(self) -> Iterator[str]:
        """The hashes of every stored blob."""


def _checked(sha256: str) -> str:
    # A hash is the only name a blob has: anything else could walk out of the folder.
    if not isinstance(sha256, str) or not SHA256.match(sha256):
        raise ValueError("not a sha256 hex digest")
    return sha256


class LocalDiskStorage:
    """Blobs as files under `root`, laid out `ab/cd/<sha256>` so no folder grows too large.

    Writes go to a temporary file in the same folder and are renamed into place, so a reader
    (or another server on a shared volume) never sees half a file.
    """

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        """The file of a blob."""
        name = _checked(sha256)
        return self.root / name[:2] / name[2:4] / name

    def save(self, sha256: str, chunks: Iterable[bytes]) -> None:
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            os.chmod(temporary, 0o640)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def names(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if not first.is_dir() or len(first.name) != 2:
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir():
                    continue
                for blob in sorted(second.iterdir()):
                    if SHA256.match(blob.name):
                        yield blob.name


def evidence_dir(app=None) -> Path:
    """The folder of the local-disk backend: EVIDENCE_DIR, or `evidence` in the instance folder
    (outside app/static: nothing there is ever served as it is)."""
    app = app or current_app
    return Path(app.config.get("EVIDENCE_DIR") or os.path.join(app.instance_path, "evidence"))


def quarantine_dir(app=None) -> Path:
    """Where files a virus scanner refused are kept for an administrator, never served."""
    app = app or current_app
    return Path(
        app.config.get("EVIDENCE_QUARANTINE_DIR") or os.path.join(app.instance_path, "quarantine")
    )


def storage() -> EvidenceStorage:
    """The evidence storage the configuration names (EVIDENCE_STORAGE; only `local` so far)."""
    kind = (current_app.config.get("EVIDENCE_STORAGE") or "local").lower()
    if kind != "local":
        raise RuntimeError(f"EVIDENCE_STORAGE={kind!r} is not a known evidence storage")
    return LocalDiskStorage(evidence_dir())
