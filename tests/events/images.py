"""Image bytes for upload tests."""

from io import BytesIO

from PIL import Image


def jpeg_bytes(size=(64, 48), exif=False, fmt="JPEG") -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    out = BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (31.0, 52.0, 0.0)}  # GPS info
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()
