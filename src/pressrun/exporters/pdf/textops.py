"""PDF text operators for positioned glyphs: one text object per line, TJ arrays with their kerning numbers.

HarfBuzz gives every glyph an advance and an offset; the font's widths array gives the advance the
viewer moves by. The difference goes into the TJ array as a number (thousandths of the font size,
negative to the right), a mark's vertical offset becomes a text rise (``Ts``). Words whose glyphs
cannot be mapped back to their text one by one are wrapped in ``/ActualText`` spans.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str

from pressrun.exporters.pdf.glyphs import GlyphFont, actual_text


def _number(value: float) -> str:
    return fp_str(round(value, 2))


class TextOps:
    """Collects the operators of one text object (``BT`` … ``ET``) in a document."""

    def __init__(self, doc: Any):
        self.doc = doc
        self.ops: list[str] = ["BT"]
        self._tj: list[str] = []
        self._hex: list[str] = []
        self._font: tuple[str, float] | None = None
        self._rise = 0.0
        self._color: tuple[float, float, float] | None = None
        self._pending = 0.0  # points the pen still has to move before the next glyph

    def _flush(self) -> None:
        self._close_hex()
        if self._tj:
            self.ops.append(f"[{' '.join(self._tj)}] TJ")
            self._tj = []

    def _close_hex(self) -> None:
        if self._hex:
            self._tj.append(f"<{''.join(self._hex)}>")
            self._hex = []

    def move_to(self, x: float, y: float, squeeze: float = 1.0) -> None:
        """Start drawing at (x, y): the baseline of a line, in the flowable's coordinates; ``squeeze`` < 1
        condenses the line horizontally (the text matrix scales every advance and kerning number)."""
        self._flush()
        self.ops.append(f"{fp_str(round(squeeze, 5)) if squeeze < 1 else 1} 0 0 1 {_number(x)} {_number(y)} Tm")
        self._pending = 0.0

    def color(self, color: Any) -> None:
        rgb = (color.red, color.green, color.blue)
        if rgb != self._color:
            self._flush()
            self.ops.append(f"{fp_str(*rgb)} rg")
            self._color = rgb

    def glyph(self, font: GlyphFont, size: float, gid: int, text: str, advance: float, x_offset: float,
              y_offset: float, extra: float = 0.0) -> None:
        """Draw glyph ``gid`` (standing for ``text``) at the pen plus its offsets; move the pen by advance + extra."""
        resource, byte = font.code(self.doc, gid, text)
        if (resource, size) != self._font:
            self._flush()
            self.ops.append(f"{resource} {_number(size)} Tf")
            self._font = (resource, size)
        if abs(y_offset - self._rise) > 0.005:
            self._flush()
            self.ops.append(f"{_number(y_offset)} Ts")
            self._rise = y_offset
        shift = (self._pending + x_offset) * 1000 / size
        if abs(shift) > 0.005:
            self._close_hex()
            self._tj.append(_number(-shift))
        self._hex.append(f"{byte:02X}")
        self._pending = advance + extra - x_offset - font.width(gid) * size / 1000

    def skip(self, distance: float) -> None:
        """Move the pen without drawing (a space: viewers see the gap)."""
        self._pending += distance

    def begin_actual_text(self, text: str) -> None:
        self._flush()
        self.ops.append(actual_text(text))

    def end_actual_text(self) -> None:
        self._flush()
        self.ops.append("EMC")

    def mark(self, marker: str) -> None:
        """A marker for the tagger (tagging.py): where a piece of the line begins."""
        self._flush()
        self.ops.append(marker)

    def finish(self) -> str:
        self._flush()
        if self._rise:
            self.ops.append("0 Ts")
        self.ops.append("ET")
        return "\n".join(self.ops)
