"""Photo uploads: check they are images of a sane size, then re-encode them, which drops EXIF (GPS, device).

Re-encoding is the heaviest work a request can ask of a web worker, and its cost grows with the pixels decoded,
not with the bytes sent (a 6300×6300 PNG of one colour is a few kilobytes). So the pixels are budgeted: at most
MAX_PIXELS per photo and settings.PHOTO_REQUEST_MAX_PIXELS over all the photos of one request, read from the
image headers before anything is decoded. Six 6300×6300 PNGs took 6.5 s of a worker; the request budget (80
million pixels: six 12-megapixel phone photos fit) bounds a request to about a third of that, which is why the
re-encoding stays in the request rather than in a Celery task (a task would have to store the photos with their
EXIF, GPS included, until it ran). docs/security.md lists the limits.
"""

from __future__ import annotations

import uuid
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 6
MAX_PIXELS = 40_000_000  # per photo: refuse decompression bombs before decoding
MAX_SIDE = 2560  # larger photos are scaled down
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP"}


def clean_image(upload) -> ContentFile:
    """A re-encoded JPEG of the uploaded image, or a ValidationError saying why it was refused."""
    name = getattr(upload, "name", "") or "photo"
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)d MB.") % {"name": name, "limit": MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            if fmt not in ACCEPTED_FORMATS:
                raise ValidationError(_("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": name})
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("“%(name)s” has too many pixels.") % {"name": name})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("“%(name)s” is not a readable image.") % {"name": name}) from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def request_max_pixels() -> int:
    return getattr(settings, "PHOTO_REQUEST_MAX_PIXELS", 80_000_000)


def _pixels(upload) -> int:
    """Width × height from the image's header (nothing decoded); 0 for what is not a readable image, which
    clean_image then refuses with its own message."""
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            return probe.width * probe.height
    except Exception:  # noqa: BLE001 - any unreadable upload is clean_image's to report
        return 0
    finally:
        try:
            upload.seek(0)
        except Exception:  # noqa: BLE001
            pass


def check_pixel_budget(uploads) -> None:
    """Refuse a request whose photos together hold more than PHOTO_REQUEST_MAX_PIXELS, before decoding any."""
    total = sum(_pixels(u) for u in uploads if u)
    limit = request_max_pixels()
    if total > limit:
        raise ValidationError(
            _(
                "These photos are too large together (%(total)d megapixels; at most %(limit)d per submission). "
                "Send fewer photos or smaller ones."
            )
            % {"total": total // 1_000_000, "limit": limit // 1_000_000},
            code="pixel_budget",
        )


def clean_images(uploads, *, required: bool = False) -> list[ContentFile]:
    """Check and re-encode a list of uploads (at most MAX_PHOTOS, within the pixel budget); all errors are
    reported together."""
    uploads = [u for u in uploads if u]
    if required and not uploads:
        raise ValidationError(_("Add at least one photo."))
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    check_pixel_budget(uploads)
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(clean_image(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned
