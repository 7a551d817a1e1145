"""A small NumPy canvas for pictures redrawn while training plays: polylines and dots into an RGB
array, which the browser shows as an image (cheap to paint, unlike a chart it must lay out again).

Data coordinates run from ``lo`` (bottom left) to ``hi`` (top right); NaN points break a line."""

from __future__ import annotations

import numpy as np


class Canvas:
    def __init__(self, width: int, height: int, lo, hi, background=(250, 250, 251)):
        self.width, self.height = int(width), int(height)
        self.lo, self.hi = np.asarray(lo, np.float64), np.asarray(hi, np.float64)
        span = self.hi - self.lo
        self.scale = np.array([(self.width - 1), (self.height - 1)]) / np.where(span > 0, span, 1.0)
        self.pixels = np.empty((self.height, self.width, 3), np.float32)
        self.pixels[:] = background

    def to_pixels(self, xy: np.ndarray) -> np.ndarray:
        """Data points ``(m, 2)`` -> pixel positions ``(m, 2)`` as (column, row), row 0 at the top."""
        p = (np.asarray(xy, np.float64) - self.lo) * self.scale
        p[:, 1] = (self.height - 1) - p[:, 1]
        return p

    def _blend(self, columns: np.ndarray, rows: np.ndarray, colour, alpha: float) -> None:
        inside = (columns >= 0) & (columns < self.width) & (rows >= 0) & (rows < self.height)
        r, c = rows[inside], columns[inside]
        self.pixels[r, c] += (np.asarray(colour, np.float32) - self.pixels[r, c]) * alpha

    def polyline(self, xy: np.ndarray, colour, alpha: float = 1.0, dash: int = 0) -> None:
        """Segments between consecutive points (none across a NaN point), about a sample per pixel;
        ``dash``: on/off length in pixels (0: solid)."""
        p = self.to_pixels(xy)
        start, end = p[:-1], p[1:]
        keep = np.isfinite(start).all(axis=1) & np.isfinite(end).all(axis=1)
        last = end[keep & ~np.append(keep[1:], False)]  # each run's final point (samples stop short of it)
        start, end = start[keep], end[keep]
        if not len(start):
            return
        length = np.hypot(*(end - start).T)
        length = np.minimum(length, 4.0 * (self.width + self.height))  # a far-off point: clip the work
        counts = np.maximum(np.ceil(length).astype(np.int64), 1)
        segment = np.repeat(np.arange(len(start)), counts)
        step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        t = (step / counts[segment])[:, None]
        points = start[segment] + t * (end - start)[segment]
        if dash:
            along = np.repeat(np.cumsum(length) - length, counts) + t[:, 0] * length[segment]
            points = points[(along // dash) % 2 == 0]
        pixels = np.rint(np.vstack([points, last])).astype(np.int64)
        self._blend(pixels[:, 0], pixels[:, 1], colour, alpha)

    def dots(self, xy: np.ndarray, colour, radius: float = 3.0, outline=(255, 255, 255)) -> None:
        """Filled discs of ``radius`` pixels with a one-pixel ``outline``."""
        p = self.to_pixels(xy)
        p = p[np.isfinite(p).all(axis=1) & (np.abs(p) < 10**6).all(axis=1)]
        centres = np.rint(p).astype(np.int64)
        for r, paint in ((radius + 1, outline), (radius, colour)):
            k = int(np.ceil(r))
            dy, dx = np.mgrid[-k:k + 1, -k:k + 1]
            disc = dx * dx + dy * dy <= r * r
            offsets = np.column_stack([dx[disc], dy[disc]])
            cells = (centres[:, None, :] + offsets[None]).reshape(-1, 2)
            self._blend(cells[:, 0], cells[:, 1], paint, 1.0)

    def image(self) -> np.ndarray:
        """The picture, ``(height, width, 3)`` uint8."""
        return np.clip(self.pixels, 0, 255).astype(np.uint8)
