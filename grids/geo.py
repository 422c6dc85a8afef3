"""GeoJSON boundaries of grid nodes: validation, bounding boxes and point-in-polygon, through shapely."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

# shapely (and numpy under it, ~20 MiB) is imported by the functions that need it, not when the app loads: a web
# worker that never checks a boundary stays that much smaller (docs/deployment.md, workers).

POLYGON_TYPES = ("Polygon", "MultiPolygon")
# Boundaries drawn by hand share edges with their parent's; allow this much slack (degrees, about 1 m).
CONTAINMENT_TOLERANCE = 1e-5


def parse_boundary(data) -> BaseGeometry:
    """Turn a GeoJSON geometry (or a Feature holding one) into a valid shapely polygon, or raise."""
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in POLYGON_TYPES:
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."), code="geojson_type")
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    try:
        geometry = shape(data)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValidationError(
            _("The boundary is not readable GeoJSON: %(error)s"), params={"error": exc}, code="geojson_syntax"
        ) from exc
    if geometry.is_empty:
        raise ValidationError(_("The boundary is empty."), code="geojson_empty")
    if not geometry.is_valid:
        raise ValidationError(
            _("The boundary is not a valid polygon: %(reason)s"),
            params={"reason": explain_validity(geometry)},
            code="geojson_invalid",
        )
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(_("The boundary's coordinates are not longitude/latitude."), code="geojson_range")
    return geometry


def check_within(child: BaseGeometry, parent: BaseGeometry) -> None:
    """Raise unless the child boundary lies inside the parent's."""
    from shapely import make_valid

    if not child.within(make_valid(parent).buffer(CONTAINMENT_TOLERANCE)):
        raise ValidationError(_("The boundary goes outside its parent's boundary."), code="geojson_outside")


def contains_point(boundary: dict, lon: float, lat: float, tolerance: float = 0.0) -> bool:
    """True when the stored GeoJSON boundary covers the point (edges included; within `tolerance` degrees)."""
    from shapely.geometry import Point, shape

    geometry = shape(boundary)
    point = Point(lon, lat)
    return geometry.covers(point) if not tolerance else geometry.distance(point) <= tolerance
