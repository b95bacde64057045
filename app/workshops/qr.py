"""The QR code of a join address, as inline SVG drawn by segno (no image file, no script)."""

from __future__ import annotations

import segno


def qr_svg(url: str, *, title: str, scale: int = 10) -> str:
    """An <svg> element encoding `url`; black on white, with a quiet zone.

    It has a viewBox and no fixed size, so the stylesheet scales it to the screen.
    """
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=scale, title=title, dark="#000", light="#fff", svgclass="qr-code", omitsize=True
    )
