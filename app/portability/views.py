"""Views of data in and out: parse, call a service, render."""

from __future__ import annotations
