"""Geometry shared by the PDF readers: affine matrices and the page's ``/Rotate``.

PDF objects are positioned in user space by matrices; the layout works in display coordinates,
as the page is shown with its ``/Rotate`` applied, with y growing up the page.
"""

from __future__ import annotations

from dataclasses import dataclass

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Turn:
    """Maps PDF user space to the page as displayed with its ``/Rotate``."""

    rotation: int
    width: float
    height: float

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y, self.height - x
        if self.rotation == 180:
            return self.width - x, self.height - y
        if self.rotation == 270:
            return self.width - y, x
        return x, y

    def back(self, x: float, y: float) -> tuple[float, float]:
        """The inverse: from the page as displayed back to PDF user space."""
        if self.rotation == 90:
            return self.height - y, x
        if self.rotation == 180:
            return self.width - x, self.height - y
        if self.rotation == 270:
            return y, self.width - x
        return x, y


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix that applies ``inner`` first, then ``outer``."""
    a, b, c, d, e, f = inner
    x, y = apply(outer, e, f)
    return (
        a * outer[0] + b * outer[2],
        a * outer[1] + b * outer[3],
        c * outer[0] + d * outer[2],
        c * outer[1] + d * outer[3],
        x,
        y,
    )
