"""QR codes (segno): the check-in code on the captain's screen, the verification link on a
certificate's PDF."""

from __future__ import annotations

import io

import segno

#: Module size in pixels and quiet zone in modules: sharp on a screen and in print.
SCALE, BORDER = 8, 2


def qr_png(payload: str) -> bytes:
    """The QR code of `payload` as a PNG image (error correction M)."""
    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="png", scale=SCALE, border=BORDER)
    return out.getvalue()


def qr_svg(payload: str) -> str:
    """The QR code of `payload` as an SVG document."""
    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="svg", scale=SCALE, border=BORDER)
    return out.getvalue().decode()
