"""The plain title card of a view (Pillow only): the picture of a view without a chart, or of a host without a
browser."""

from __future__ import annotations

import contextlib
import io

from policylens import linkpreview

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
BOLD_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def _font(paths: tuple[str, ...], size: int):
    from PIL import ImageFont  # Pillow: imported when the first card is drawn

    for path in paths:
        with contextlib.suppress(OSError):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def title_card(title: str, summary: str) -> bytes:
    """A plain 1200x630 card: the site, the view's title and the view in words. Needs Pillow only."""
    from PIL import Image, ImageDraw  # Pillow: imported when the first card is drawn

    heading, lines = linkpreview.card_lines(title, summary)
    image = Image.new("RGB", (linkpreview.IMAGE_WIDTH, linkpreview.IMAGE_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, linkpreview.IMAGE_WIDTH, 14), fill="#1f4e79")
    draw.text((64, 56), linkpreview.SITE, font=_font(BOLD_FONT_PATHS, 30), fill="#1f4e79")
    draw.text((64, 120), heading, font=_font(BOLD_FONT_PATHS, 46), fill="#111")
    body = _font(FONT_PATHS, 30)
    for i, line in enumerate(lines):
        draw.text((64, 206 + i * 44), line, font=body, fill="#333")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
