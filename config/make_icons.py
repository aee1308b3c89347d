"""Draws Kindling's app icons (static/img/icon-*.png) from the flame of favicon.svg, with
nothing but the standard library. Run once after changing the flame or the colours:
`python config/make_icons.py`; the PNGs are committed."""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "img"
EMBER = (196, 80, 44)  # --k-ember
CREAM = (253, 248, 244)  # --k-cream
SAMPLES = 4  # scanlines per pixel, for smooth edges

# favicon.svg's flame as absolute cubic Béziers in its 24x24 box.
START = (12.0, 2.0)
CURVES = [
    ((12.6, 5.1), (11.0, 7.0), (9.4, 8.9)),
    ((7.8, 10.8), (6.0, 12.9), (6.0, 15.6)),
    ((6.0, 19.1), (8.7, 22.0), (12.0, 22.0)),
    ((15.3, 22.0), (18.0, 19.1), (18.0, 15.6)),
    ((18.0, 13.0), (16.7, 11.0), (15.3, 9.5)),
    ((15.1, 11.0), (14.4, 12.2), (13.3, 12.8)),
    ((13.7, 9.1), (13.1, 5.0), (12.0, 2.0)),
]


def flame_outline(steps: int = 24) -> list[tuple[float, float]]:
    points, here = [START], START
    for c1, c2, end in CURVES:
        for i in range(1, steps + 1):
            t = i / steps
            u = 1 - t
            points.append(
                tuple(
                    u**3 * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t**3 * p3
                    for p0, p1, p2, p3 in zip(here, c1, c2, end, strict=True)
                )
            )
        here = end
    return points


def coverage(size: int, polygon: list[tuple[float, float]]) -> list[list[float]]:
    """How much of each pixel the polygon covers (0..1), by horizontal scanlines."""
    cover = [[0.0] * size for _ in range(size)]
    edges = list(zip(polygon, polygon[1:] + polygon[:1], strict=True))
    for row in range(size * SAMPLES):
        y = (row + 0.5) / SAMPLES
        xs = sorted(
            x0 + (y - y0) * (x1 - x0) / (y1 - y0)
            for (x0, y0), (x1, y1) in edges
            if (y0 <= y < y1) or (y1 <= y < y0)
        )
        line = cover[int(y)]
        for left, right in zip(xs[::2], xs[1::2], strict=False):
            left, right = max(left, 0.0), min(right, float(size))
            for x in range(int(left), min(int(right) + 1, size)):
                span = min(right, x + 1) - max(left, x)
                if span > 0:
                    line[x] += span / SAMPLES
    return cover


def rounded_square(size: int, radius: float) -> list[tuple[float, float]]:
    points = []
    corners = [(size - radius, radius, -90), (size - radius, size - radius, 0)]
    corners += [(radius, size - radius, 90), (radius, radius, 180)]
    for cx, cy, start in corners:
        for i in range(13):
            angle = math.radians(start + 90 * i / 12)
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def draw(size: int, maskable: bool) -> bytes:
    # Maskable icons bleed to the edge and keep the flame inside the central 80% circle
    # that every launcher shape shows; regular ones are a rounded tile.
    scale = size * (0.55 if maskable else 0.7) / 24
    offset = (size - 24 * scale) / 2
    flame = coverage(size, [(offset + x * scale, offset + y * scale) for x, y in flame_outline()])
    tile = None if maskable else coverage(size, rounded_square(size, size * 0.22))
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            f = min(flame[y][x], 1.0)
            alpha = 1.0 if tile is None else min(tile[y][x], 1.0)
            rgb = [round(e * (1 - f) + c * f) for e, c in zip(EMBER, CREAM, strict=True)]
            row += bytes([*rgb, round(alpha * 255)])
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    for size in (180, 192, 512):
        (OUT / f"icon-{size}.png").write_bytes(draw(size, maskable=False))
    for size in (192, 512):
        (OUT / f"icon-maskable-{size}.png").write_bytes(draw(size, maskable=True))
