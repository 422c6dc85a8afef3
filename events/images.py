"""Photo uploads: check they are images of a sane size, then re-encode them, which drops EXIF (GPS, device)."""

from __future__ import annotations

import uuid
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 6
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
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


def clean_images(uploads, *, required: bool = False) -> list[ContentFile]:
    """Check and re-encode a list of uploads (at most MAX_PHOTOS); all errors are reported together."""
    uploads = [u for u in uploads if u]
    if required and not uploads:
        raise ValidationError(_("Add at least one photo."))
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(clean_image(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned
