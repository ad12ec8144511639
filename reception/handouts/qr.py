"""QR codes generated locally (qrcode), as reportlab images."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.units import mm
from reportlab.platypus import Image


def qr_png(url: str) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_flowable(url: str, size_mm: float = 30) -> Image:
    return Image(io.BytesIO(qr_png(url)), width=size_mm * mm, height=size_mm * mm)
