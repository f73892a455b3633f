"""Plain-text boxed tables, laid out the way ``Model.summary()`` lays them out.

Upstream Keras draws its summary with the ``rich`` library. refkeras does not
depend on it; this module reproduces the same characters for the one table
style the summary uses (heavy header box, a line between rows, fixed column
widths, cells padded by one space each side, words wrapped inside cells and
over-long words cut with "…"). It also reproduces how the text is fitted to
the console: lines wider than the console are cut at its width.

>>> lines = render_table([Column("A", 6, "left"), Column("B", 5, "right")],
...                      [["x", "1"]], width=15)
>>> print("\\n".join(lines))
┏━━━━━━━┳━━━━━━┓
┃ A     ┃    B ┃
┡━━━━━━━╇━━━━━━┩
│ x     │    1 │
└───────┴──────┘
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import NamedTuple

_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
ELLIPSIS = "…"


class Column(NamedTuple):
    """One column: its header, its width (content plus the two padding spaces
    are added to it), and how cells are justified ("left", "right", "center")."""

    header: str
    width: int
    justify: str


# --- measuring ----------------------------------------------------------------------------
def char_width(ch: str) -> int:
    """Terminal cells taken by one character: 0 for controls and combining marks,
    2 for East Asian wide characters, else 1."""
    code = ord(ch)
    if (code and code < 32) or 0x7F <= code < 0xA0 or unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def fit_cells(text: str, width: int) -> str:
    """``text`` cut or right-padded with spaces to exactly ``width`` cells."""
    if text.isascii():
        return text[:width] if len(text) >= width else text + " " * (width - len(text))
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def chop_cells(text: str, width: int) -> list[str]:
    """``text`` cut into pieces of at most ``width`` cells."""
    pieces, current, used = [], [], 0
    for ch in text:
        w = char_width(ch)
        if current and used + w > width:
            pieces.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += w
    pieces.append("".join(current))
    return pieces


# --- wrapping -----------------------------------------------------------------------------
def _break_offsets(text: str, width: int, fold: bool) -> list[int]:
    """Where to start new lines so that words (with their trailing spaces) fit ``width``.
    A word too long for any line is folded into pieces (``fold``) or left whole, to be
    cut later."""
    breaks: list[int] = []
    used = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = cell_len(word.rstrip())
        if width - used >= length:
            used += cell_len(word)
        elif length > width:
            if fold:
                pieces = chop_cells(word, width)
                for i, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if i == len(pieces) - 1:
                        used = cell_len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                used = cell_len(word)
        elif used and start:
            breaks.append(start)
            used = cell_len(word)
    return breaks


def _truncate(line: str, width: int, overflow: str) -> str:
    if cell_len(line) <= width:
        return line
    if overflow == "ellipsis":
        return fit_cells(line, width - 1) + ELLIPSIS
    return fit_cells(line, width)


def wrap(text: str, width: int, justify: str = "default", overflow: str = "fold") -> list[str]:
    """Word-wraps ``text`` to ``width`` cells, then justifies each line.

    ``justify`` is "left", "right", "center" (lines come out exactly ``width``
    cells) or "default" (lines keep their own length). ``overflow`` says what
    happens to a word longer than a line: "fold" splits it, "ellipsis" cuts it
    and ends it with "…".
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        offsets = _break_offsets(paragraph, width, fold=overflow == "fold")
        bounds = [0, *offsets, len(paragraph)]
        pieces = [paragraph[a:b] for a, b in zip(bounds, bounds[1:])] or [""]
        for piece in pieces:
            if len(piece) > width:  # drop trailing spaces that stick out of the line
                spaces = _TRAILING_SPACE.search(piece)
                if spaces is not None:
                    piece = piece[: len(piece) - min(len(spaces.group(0)), len(piece) - width)]
            lines.append(_justify(piece, width, justify, overflow))
    return lines


def _justify(line: str, width: int, justify: str, overflow: str) -> str:
    if justify == "left":
        return fit_cells(_truncate(line, width, overflow), width)
    if justify in ("center", "right"):
        line = _truncate(line.rstrip(), width, overflow)
        room = width - cell_len(line)
        left = room // 2 if justify == "center" else room
        return " " * left + line + " " * (room - left)
    return _truncate(line, width, overflow)


# --- the table ----------------------------------------------------------------------------
def column_widths(columns: list[Column], width: int) -> list[int]:
    """Final cell widths (padding included, borders excluded) for a table ``width`` wide.

    Each column asks for its width plus two padding spaces; when the sum does not
    fit between the borders, the excess is taken from all columns evenly.
    """
    room = width - (len(columns) + 1)  # the vertical border characters
    if room < 1:
        return [0] * len(columns)
    wanted = [min(c.width + 2, room) for c in columns]
    excess = sum(wanted) - room
    if excess <= 0:
        return wanted
    reduced, remaining, shares = [], excess, len(wanted)
    for w in wanted:
        # Python's round(): ties go to the even number, which decides odd splits.
        cut = min(w, round(remaining / shares))
        reduced.append(w - cut)
        remaining -= cut
        shares -= 1
    return [max(w, 0) for w in reduced]


_TOP, _HEAD_ROW, _HEAD_EDGE, _BODY_ROW, _ROW_LINE, _BOTTOM = (
    "┏━┳┓", "┃┃┃", "┡━╇┩", "│││", "├─┼┤", "└─┴┘")


def _rule(chars: str, widths: list[int]) -> str:
    left, fill, cross, right = chars
    return left + cross.join(fill * w for w in widths) + right


def _row(cells: list[str], columns: list[Column], widths: list[int], bars: str,
         bottom: bool = False) -> list[str]:
    blocks = []
    for text, column, w in zip(cells, columns, widths):
        inner = max(w - 2, 0)
        lines = wrap(text, inner, column.justify, "ellipsis") if inner else [""]
        blocks.append([fit_cells(" " + line + " ", w) for line in lines])
    height = max(len(b) for b in blocks)
    left, middle, right = bars
    # Short cells are filled with blank lines below (header cells: above).
    blocks = [[" " * w] * (height - len(b)) + b if bottom else b + [" " * w] * (height - len(b))
              for b, w in zip(blocks, widths)]
    out = []
    for i in range(height):
        parts = [b[i] for b in blocks]
        out.append(left + middle.join(parts) + right)
    return out


def render_table(columns: list[Column], rows: list[list[str]], width: int) -> list[str]:
    """The table's lines: header, then ``rows`` separated by lines."""
    widths = column_widths(columns, width)
    lines = [_rule(_TOP, widths)]
    lines += _row([c.header for c in columns], columns, widths, _HEAD_ROW, bottom=True)
    lines.append(_rule(_HEAD_EDGE, widths))
    for i, row in enumerate(rows):
        if i:
            lines.append(_rule(_ROW_LINE, widths))
        lines += _row(row, columns, widths, _BODY_ROW)
    lines.append(_rule(_BOTTOM, widths))
    return lines


def console_width() -> int:
    """The width text is fitted to: ``$COLUMNS`` when set, else the size of the first
    of stdin, stdout, stderr that is a terminal, else 80 (what upstream's renderer uses)."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


def crop(line: str, width: int) -> str:
    """``line`` cut to at most ``width`` cells (never padded)."""
    if cell_len(line) <= width:
        return line
    out, used = [], 0
    for ch in line:
        w = char_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)
