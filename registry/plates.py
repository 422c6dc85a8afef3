"""Building QR plates (楼栋二维码门牌): a printable plate per building whose QR code holds the address of the
building's page. A signed-in grid worker who scans it with her phone's camera lands on that page (out of her scope
it is a 404, as for any id), and with a patrol under way checks in there in one tap, marked as by QR plate.

The code is drawn by segno (already the two-factor enrolment's QR library, ADR 0008: pure Python, no dependency, SVG out), as an
inline SVG: no script, nothing fetched, so the page prints under the CSP.
"""

from __future__ import annotations

import segno
from django.urls import reverse

QR_PARAMETER = "from"
QR_VALUE = "qr"


def plate_url(request, building) -> str:
    """The absolute address the plate's code holds: the building's page, marked as reached by its plate."""
    return request.build_absolute_uri(f"{reverse('registry:building', args=[building.pk])}?{QR_PARAMETER}={QR_VALUE}")


def qr_svg(data: str, *, scale: int = 6) -> str:
    """The QR code of `data` as an SVG element (error correction M: a plate survives some dirt and scratches)."""
    return segno.make(data, error="m", micro=False).svg_inline(scale=scale, border=4, title=None)


def qr_document(data: str, *, scale: int = 10) -> bytes:
    """The QR code as a standalone SVG file (for a sign maker)."""
    import io

    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(out, kind="svg", scale=scale, border=4, xmldecl=True)
    return out.getvalue()


def reached_by_plate(request) -> bool:
    return request.GET.get(QR_PARAMETER) == QR_VALUE
