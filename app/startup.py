"""Where the process was asked to listen, read from its command line (flask run, gunicorn)."""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys

_FLASK_HOST = ("--host", "-h")
_GUNICORN_BIND = ("--bind", "-b")


def _values(args: list[str], names: tuple[str, ...]) -> list[str]:
    found = []
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                found.append(args[i + 1])
            elif arg.startswith(name + "="):
                found.append(arg.split("=", 1)[1])
            elif len(name) == 2 and arg.startswith(name) and len(arg) > 2 and arg[2] != "-":
                found.append(arg[2:])
    return found


def bind_addresses(argv: list[str] | None = None, environ=None) -> list[str]:
    """The hosts this process will listen on, as far as its command line says."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    program = os.path.basename(argv[0]) if argv else ""
    hosts: list[str] = []
    if "gunicorn" in program:
        args = argv[1:] + shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
        for bind in _values(args, _GUNICORN_BIND) or ["127.0.0.1:8000"]:
            if bind.startswith(("unix:", "fd://")):
                continue
            host = bind.rsplit(":", 1)[0] if bind.count(":") == 1 or "]" in bind else bind
            hosts.append(host.strip("[]"))
    elif "run" in argv[1:]:
        hosts = _values(argv[1:], _FLASK_HOST) or [environ.get("FLASK_RUN_HOST", "127.0.0.1")]
    return hosts


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`."""
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
