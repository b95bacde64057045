"""The virus-scanner hook: ClamAV's daemon (clamd) when configured, nothing otherwise.

Set CLAMD_SOCKET (a Unix socket path) or CLAMD_HOST (and CLAMD_PORT, default 3310) and every
upload is streamed to clamd before it is stored. The client speaks clamd's INSTREAM command
directly (a dozen lines): the Python clamd packages have not been maintained for years.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable
from typing import IO, Protocol

from flask import current_app

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """The scanner is configured but could not be asked (the upload is refused, not let in)."""


class Scanner(Protocol):
    def __call__(self, stream: IO[bytes]) -> str | None:
        """The name of what was found in the content, or None when it is clean."""


class ClamdScanner:
    """Asks clamd, over its Unix socket or TCP, whether a stream is clean."""

    def __init__(self, *, socket_path: str | None = None, host: str | None = None, port=3310):
        self.socket_path = socket_path
        self.address = (host, int(port)) if host else None
        self.timeout = 60

    def _connect(self) -> socket.socket:
        if self.socket_path:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(self.timeout)
            connection.connect(self.socket_path)
            return connection
        return socket.create_connection(self.address, timeout=self.timeout)

    def __call__(self, stream: IO[bytes]) -> str | None:
        try:
            with self._connect() as connection:
                connection.sendall(b"zINSTREAM\0")
                stream.seek(0)
                while chunk := stream.read(CHUNK):
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
                connection.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    part = connection.recv(4096)
                    if not part:
                        break
                    reply += part
        except OSError as error:
            raise ScannerUnavailable(str(error)) from error
        finally:
            stream.seek(0)
        answer = reply.rstrip(b"\0").decode("utf-8", "replace")
        # "stream: OK", "stream: Eicar-Signature FOUND", or "... ERROR".
        if answer.endswith("FOUND"):
            return answer.split(":", 1)[-1].removesuffix("FOUND").strip() or "malware"
        if answer.endswith("OK"):
            return None
        raise ScannerUnavailable(answer)


def scanner() -> Callable[[IO[bytes]], str | None] | None:
    """The configured scanner: EVIDENCE_SCANNER (a callable, for tests), clamd when
    CLAMD_SOCKET or CLAMD_HOST is set, or None (no scanning)."""
    config = current_app.config
    if config.get("EVIDENCE_SCANNER") is not None:
        return config["EVIDENCE_SCANNER"]
    if config.get("CLAMD_SOCKET"):
        return ClamdScanner(socket_path=config["CLAMD_SOCKET"])
    if config.get("CLAMD_HOST"):
        return ClamdScanner(host=config["CLAMD_HOST"], port=config.get("CLAMD_PORT") or 3310)
    return None
