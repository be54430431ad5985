"""A pdf page's ruled tables as rows of cells, from the borders drawn around them.

pypdf's plain text gives a table's cells in drawing order with no separator: a row that fits
on a line reads ``年度资金总额 100 100 95`` (three cells or a spaced 100100?), a narrow cell that
wraps breaks its words and the next cell goes on after the wrapped part (``年初预算`` / ``数``).
Word, WPS, Excel and WeasyPrint all draw a table's borders as straight strokes or thin filled
rectangles, so the cells are the rectangles the borders enclose, and each piece of text belongs
to the cell its position falls in. A table is rebuilt only where that is certain:

- the borders make a closed frame with at least one inner vertical border (a boxed paragraph,
  an underline or a two-column page with a rule between the columns is no table);
- every border between two grid slots is either clearly drawn or clearly absent, and every cell
  (slots merged where no border divides them) is a rectangle;
- no piece of text crosses a cell border or the frame;
- the text placed in cells is, character for character, the text the plain extraction gave for
  the same region (so nothing the plain reading had is lost or read twice).

Otherwise the page keeps pypdf's plain text, as before. Rows come out as the docx reader gives
them: cells joined by tabs, a merged cell's text in its first slot and an empty cell for every
further grid slot it covers, a cell's lines joined by a space.

pypdf's plain extraction sees the borders through its operator visitor (one parse of the page,
as before); only a page whose borders make a candidate table is parsed again, with pypdf's
layout-mode text state (``pypdf._text_extraction._layout_mode``: a private module, so any
failure there falls back to the plain text), for each piece of text's start and end.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

# pt: the borders of neighbouring cells are drawn a line's width apart (WeasyPrint draws each
# cell's border, Word a rectangle per border), and a grid line is one line within that
TOL = 2.0
# a filled rectangle this thin is a border; a thicker one is shading, not a rule
THIN = 2.5
# a slot's edge is a border when drawn along this share of its length, no border under the
# low share; in between the grid is not certain and the table is not rebuilt
DRAWN = 0.8
ABSENT = 0.2
# more path segments than this on a page is a drawing (a chart, a seal), not a table to rebuild;
# so are more pairs of merged horizontal and vertical lines, or more grid slots, than these
MAX_SEGMENTS = 20_000
MAX_CROSSINGS = 200_000
MAX_SLOTS = 20_000

_STROKE = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
_FILL = {b"f", b"F", b"f*"}
_CLOSE_AND_STROKE = {b"s", b"b", b"b*"}


@dataclass
class Line:
    """A horizontal (``at`` = y, from ``lo`` to ``hi`` in x) or vertical border."""

    at: float
    lo: float
    hi: float


@dataclass
class PathCollector:
    """The borders a page draws, for ``PageObject.extract_text(visitor_operand_before=…)``:
    straight axis-aligned strokes and thin filled rectangles, in page space."""

    horizontal: list[Line] = field(default_factory=list)
    vertical: list[Line] = field(default_factory=list)
    _subpaths: list[list[tuple[float, float]]] = field(default_factory=list)
    overflow: bool = False

    def __call__(self, op: bytes, args: Sequence[Any], cm: Sequence[float], tm: Any) -> None:
        if op in (b"m", b"l", b"re", b"c", b"v", b"y"):
            try:
                numbers = [float(a) for a in args]
            except (TypeError, ValueError):
                return
            self._construct(op, numbers, cm)
        elif op == b"h":
            if self._subpaths and len(self._subpaths[-1]) > 1:
                self._subpaths[-1].append(self._subpaths[-1][0])
        elif op in _STROKE:
            if op in _CLOSE_AND_STROKE and self._subpaths and len(self._subpaths[-1]) > 1:
                self._subpaths[-1].append(self._subpaths[-1][0])
            for sub in self._subpaths:
                for a, b in pairwise(sub):
                    self._segment(a, b)
            self._subpaths = []
        elif op in _FILL:
            for sub in self._subpaths:
                self._thin_rectangle(sub)
            self._subpaths = []
        elif op == b"n":
            self._subpaths = []

    def _construct(self, op: bytes, n: list[float], cm: Sequence[float]) -> None:
        def point(x: float, y: float) -> tuple[float, float]:
            return (cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5])

        if op == b"m" and len(n) >= 2:
            self._subpaths.append([point(n[-2], n[-1])])
        elif op == b"l" and len(n) >= 2:
            if not self._subpaths:
                self._subpaths.append([])
            self._subpaths[-1].append(point(n[-2], n[-1]))
        elif op == b"re" and len(n) >= 4:
            x, y, w, h = n[-4:]
            corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
            self._subpaths.append([point(a, b) for a, b in corners])
        elif len(n) >= 2:  # a curve is no border: its end starts a new straight run
            self._subpaths.append([point(n[-2], n[-1])])

    def _segment(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        if len(self.horizontal) + len(self.vertical) > MAX_SEGMENTS:
            self.overflow = True
            return
        (x0, y0), (x1, y1) = a, b
        if abs(y0 - y1) < 0.5 and abs(x0 - x1) >= 1:
            self.horizontal.append(Line((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) < 0.5 and abs(y0 - y1) >= 1:
            self.vertical.append(Line((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    def _thin_rectangle(self, sub: list[tuple[float, float]]) -> None:
        if len(sub) < 4:
            return
        xs = [p[0] for p in sub]
        ys = [p[1] for p in sub]
        left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
        corners = all(
            (abs(x - left) < 0.5 or abs(x - right) < 0.5)
            and (abs(y - bottom) < 0.5 or abs(y - top) < 0.5)
            for x, y in sub
        )
        if not corners:
            return
        width, height = right - left, top - bottom
        if height <= THIN < width:
            mid = (top + bottom) / 2
            self._segment((left, mid), (right, mid))
        elif width <= THIN < height:
            mid = (left + right) / 2
            self._segment((mid, bottom), (mid, top))


@dataclass
class Piece:
    """A run of text as drawn: x from ``x0`` to ``x1`` at baseline ``y``, font height ``h``."""

    x0: float
    x1: float
    y: float
    h: float
    text: str

    @property
    def mid_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def mid_y(self) -> float:
        return self.y + 0.3 * self.h


@dataclass
class Grid:
    xs: list[float]  # column borders, left to right
    ys: list[float]  # row borders, top to bottom (page space: y grows upwards)
    cell_of: list[list[int]]  # [row][col] -> cell number
    cells: dict[
        int, tuple[int, int, int, int]
    ]  # cell -> (first row, last row, first col, last col)

    def contains(self, x: float, y: float) -> bool:
        return (
            self.xs[0] - TOL <= x <= self.xs[-1] + TOL
            and self.ys[-1] - TOL <= y <= self.ys[0] + TOL
        )


def _merge(lines: Iterable[Line]) -> list[Line]:
    """Collinear borders within TOL of each other as one line per touching run."""
    merged: list[Line] = []
    ordered = sorted(lines, key=lambda ln: ln.at)
    groups: list[list[Line]] = []
    for line in ordered:
        if groups and line.at - groups[-1][0].at <= TOL:
            groups[-1].append(line)
        else:
            groups.append([line])
    for group in groups:
        at = sum(ln.at for ln in group) / len(group)
        run: Line | None = None
        for line in sorted(group, key=lambda ln: ln.lo):
            if run is not None and line.lo <= run.hi + TOL:
                run.hi = max(run.hi, line.hi)
                continue
            run = Line(at, line.lo, line.hi)
            merged.append(run)
    return merged


def _positions(lines: Sequence[Line]) -> list[float]:
    out: list[float] = []
    for at in sorted(ln.at for ln in lines):
        if not out or at - out[-1] > TOL:
            out.append(at)
    return out


def _coverage(lines: Sequence[Line], at: float, lo: float, hi: float) -> float:
    """The share of [lo, hi] drawn by borders at ``at``."""
    if hi - lo <= 0:
        return 0.0
    spans = sorted(
        (max(ln.lo, lo), min(ln.hi, hi))
        for ln in lines
        if abs(ln.at - at) <= TOL and ln.hi > lo and ln.lo < hi
    )
    covered = 0.0
    end = lo
    for a, b in spans:
        a = max(a, end)
        if b > a:
            covered += b - a
            end = b
    return covered / (hi - lo)


def find_grids(collector: PathCollector) -> list[Grid]:
    """The page's tables: groups of crossing borders with a closed frame and certain cells."""
    if collector.overflow:
        return []
    horizontal = _merge(collector.horizontal)
    vertical = _merge(collector.vertical)
    if len(horizontal) < 2 or len(vertical) < 3:
        return []
    if len(horizontal) * len(vertical) > MAX_CROSSINGS:
        return []  # a drawing's hatching or a chart's grid, not a sheet: the crossings cost
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if h.lo - TOL <= v.at <= h.hi + TOL and v.lo - TOL <= h.at <= v.hi + TOL:
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list[Line], list[Line]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    grids = []
    for hs, vs in groups.values():
        grid = _grid(hs, vs)
        if grid is not None:
            grids.append(grid)
    return grids


def _grid(hs: list[Line], vs: list[Line]) -> Grid | None:
    xs = _positions(vs)
    ys = _positions(hs)[::-1]
    if len(xs) < 3 or len(ys) < 2:
        return None
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    # a closed frame: an open side could hold text the grid does not see
    for at, lo, hi, lines in (
        (top, left, right, hs),
        (bottom, left, right, hs),
        (left, bottom, top, vs),
        (right, bottom, top, vs),
    ):
        if _coverage(lines, at, lo, hi) < 0.95:
            return None
    rows, cols = len(ys) - 1, len(xs) - 1
    if rows * cols > MAX_SLOTS:
        return None
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols:
                drawn = _coverage(vs, xs[c + 1], ys[r + 1], ys[r])
                if ABSENT < drawn < DRAWN:
                    return None
                if drawn <= ABSENT:
                    parent[find(r * cols + c)] = find(r * cols + c + 1)
            if r + 1 < rows:
                drawn = _coverage(hs, ys[r + 1], xs[c], xs[c + 1])
                if ABSENT < drawn < DRAWN:
                    return None
                if drawn <= ABSENT:
                    parent[find(r * cols + c)] = find((r + 1) * cols + c)
    cell_of = [[find(r * cols + c) for c in range(cols)] for r in range(rows)]
    slots: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            slots.setdefault(cell_of[r][c], []).append((r, c))
    cells: dict[int, tuple[int, int, int, int]] = {}
    for cell, members in slots.items():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        if len(members) != (r1 - r0 + 1) * (c1 - c0 + 1):
            return None  # an L-shaped region: no cell of a table
        cells[cell] = (r0, r1, c0, c1)
    if not any(len({cell_of[r][c] for c in range(cols)}) > 1 for r in range(rows)):
        return None  # no row of two cells: a boxed paragraph or a column of boxes
    return Grid(xs, ys, cell_of, cells)


def _index(borders: Sequence[float], value: float, descending: bool = False) -> int | None:
    for i in range(len(borders) - 1):
        a, b = borders[i], borders[i + 1]
        lo, hi = (b, a) if descending else (a, b)
        if lo <= value <= hi:
            return i
    return None


def place(grid: Grid, pieces: Sequence[Piece]) -> dict[int, list[Piece]] | None:
    """The pieces of text inside the grid by cell, or None when one cannot be placed: it crosses
    a cell's border or the frame."""
    by_cell: dict[int, list[Piece]] = {}
    left, right = grid.xs[0], grid.xs[-1]
    for piece in pieces:
        inside = grid.contains(piece.mid_x, piece.mid_y)
        overlaps = (
            piece.x1 > left + TOL
            and piece.x0 < right - TOL
            and grid.ys[-1] < piece.mid_y < grid.ys[0]
        )
        if not inside:
            if overlaps:
                return None
            continue
        if piece.x0 < left - TOL or piece.x1 > right + TOL:
            return None
        row = _index(grid.ys, piece.mid_y, descending=True)
        col = _index(grid.xs, piece.mid_x)
        if row is None or col is None:
            return None
        cell = grid.cell_of[row][col]
        _, _, c0, c1 = grid.cells[cell]
        if piece.x0 < grid.xs[c0] - TOL or piece.x1 > grid.xs[c1 + 1] + TOL:
            return None
        by_cell.setdefault(cell, []).append(piece)
    return by_cell


def cell_text(pieces: Sequence[Piece]) -> str:
    """A cell's pieces in reading order: pieces on a line left to right, a space where a gap shows
    one; lines top to bottom joined tight, or by a space between two Latin letters or digits. A
    narrow cell wraps Chinese anywhere (年初预算 / 数 is 年初预算数, as the docx reader gives the
    cell's paragraph), Latin words and figures where a space was (≥500 / 人次 stays tight; 10 / 20
    keeps a space, as the docx reader joins a cell's two paragraphs: whether a figure too wide
    for its cell was broken there cannot be told)."""
    lines: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: -p.mid_y):
        if lines and abs(lines[-1][0].mid_y - piece.mid_y) <= 0.5 * max(piece.h, 1.0):
            lines[-1].append(piece)
        else:
            lines.append([piece])
    out = []
    for line in lines:
        text = ""
        previous: Piece | None = None
        for piece in sorted(line, key=lambda p: p.x0):
            if previous is not None and piece.x0 - previous.x1 > 0.2 * max(piece.h, 1.0):
                text += " "
            text += piece.text
            previous = piece
        out.append(" ".join(text.split()))
    joined = ""
    for text in out:
        if joined and text and _LATIN.match(joined[-1]) and _LATIN.match(text[0]):
            joined += " "
        joined += text
    return joined


_LATIN = re.compile(r"[0-9A-Za-z]")


def grid_rows(grid: Grid, by_cell: dict[int, list[Piece]]) -> list[str]:
    """The rows as the docx reader gives a Word table's: a cell per grid column, tab-joined, a
    merged cell's text in its first slot."""
    rows = []
    for r, slots in enumerate(grid.cell_of):
        cells = []
        for c, cell in enumerate(slots):
            r0, _, c0, _ = grid.cells[cell]
            cells.append(cell_text(by_cell.get(cell, [])) if (r, c) == (r0, c0) else "")
        rows.append("\t".join(cells))
    return rows


def _chars(text: str) -> Counter[str]:
    return Counter("".join(text.split()))


@dataclass
class Chunk:
    """A piece of pypdf's plain text as its ``visitor_text`` gives it, at its start."""

    text: str
    x: float
    y: float


def chunk_visitor(chunks: list[Chunk]) -> Any:
    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, size: Any) -> None:
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        chunks.append(Chunk(text, x, y))

    return visit


def text_pieces(page: Any) -> list[Piece]:
    """Every run of text the page draws upright, with its start and end, by pypdf's layout-mode
    text state. A rotated or mirrored run, or one in a font it cannot read, is left out: its
    place is unknown, and the check of a table's characters against the plain text then keeps
    the plain text of any table it falls in."""
    from pypdf._text_extraction._layout_mode import _fixed_width_page as fixed
    from pypdf._text_extraction._layout_mode._text_state_manager import TextStateManager
    from pypdf.generic import ContentStream

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if contents is None:
        return []
    if not isinstance(contents, ContentStream):
        contents = ContentStream(contents, page.pdf, "bytes")
    fonts = page._layout_mode_fonts()
    ops = iter(contents.operations)
    state = TextStateManager()
    found = []
    for operands, op in ops:
        if op in (b"BT", b"q"):
            _, runs = fixed.recurse_to_target_op(
                ops, state, b"ET" if op == b"BT" else b"Q", fonts, False
            )
            found.extend(runs)
        elif op == b"cm":
            # the page-level matrix (WeasyPrint flips y here): layout mode itself ignores it
            state.add_cm(*operands)
        elif op == b"Tf":
            fixed.set_font_operation(state, fonts, operands)
        else:
            state.set_state_param(op, operands)
    pieces = []
    for run in found:
        if not run.text.strip():
            continue
        if run.rotated or not run.font.interpretable or run.flip_vertical:
            continue
        pieces.append(Piece(run.tx, run.displaced_tx, run.ty, run.font_height, run.text))
    return pieces


def refined(grid: Grid, xs: Sequence[float]) -> Grid:
    """The grid with the column borders of the same table's part on the next or previous page
    added: a cell that a new border crosses covers one more slot, in every row alike, so the rows
    of both pages keep their cells under the same header columns (as Word's grid does)."""
    new_xs = list(grid.xs)
    for x in xs:
        if grid.xs[0] + TOL < x < grid.xs[-1] - TOL and all(abs(x - o) > TOL for o in new_xs):
            new_xs.append(x)
    new_xs.sort()
    if len(new_xs) == len(grid.xs):
        return grid
    old = [_index(grid.xs, (a + b) / 2) or 0 for a, b in pairwise(new_xs)]
    cell_of = [[row[o] for o in old] for row in grid.cell_of]
    cells = {
        cell: (r0, r1, old.index(c0), len(old) - 1 - old[::-1].index(c1))
        for cell, (r0, r1, c0, c1) in grid.cells.items()
    }
    return Grid(new_xs, grid.ys, cell_of, cells)


def continued(pages_grids: list[list[Grid]]) -> list[list[Grid]]:
    """Each page's grids, a table that runs over a page break given the column borders of all
    its parts: the last grid of a page and the first of the next with the same frame (left and
    right) are one table's parts, whose rows Word lays on one grid; a part's own borders alone
    would give its rows fewer cells than the header's on the page before."""
    out = [list(grids) for grids in pages_grids]
    # chains of parts: (page, index of the grid on the page)
    chains: list[list[tuple[int, int]]] = []
    for number, grids in enumerate(out):
        if not grids:
            continue
        first = max(range(len(grids)), key=lambda i: grids[i].ys[0])
        previous = chains[-1][-1] if chains else None
        if previous is not None and previous[0] == number - 1:
            before = out[previous[0]][previous[1]]
            head = grids[first]
            if abs(before.xs[0] - head.xs[0]) <= TOL and abs(before.xs[-1] - head.xs[-1]) <= TOL:
                chains[-1].append((number, first))
            else:
                chains.append([(number, first)])
        last = min(range(len(grids)), key=lambda i: grids[i].ys[-1])
        if not chains or chains[-1][-1] != (number, last):
            chains.append([(number, last)])
    for chain in chains:
        if len(chain) < 2:
            continue
        xs = [x for page, index in chain for x in out[page][index].xs]
        for page, index in chain:
            out[page][index] = refined(out[page][index], xs)
    return out


def page_with_cells(page: Any, chunks: Sequence[Chunk], grids: Sequence[Grid]) -> str | None:
    """The page's text with each certain table's region replaced by its rows, or None (keep the
    plain text) when there is no table or one cannot be rebuilt."""
    if not grids:
        return None
    pieces = text_pieces(page)
    if not pieces:
        return None
    replaced: dict[int, str] = {}  # first chunk of a table's region -> its rows
    dropped: set[int] = set()
    for grid in grids:
        by_cell = place(grid, pieces)
        if by_cell is None:
            return None
        if not by_cell:
            continue
        region = [i for i, ch in enumerate(chunks) if grid.contains(ch.x, ch.y)]
        placed = Counter[str]()
        for cell_pieces in by_cell.values():
            for piece in cell_pieces:
                placed += _chars(piece.text)
        plain = Counter[str]()
        for i in region:
            plain += _chars(chunks[i].text)
        if not region or placed != plain or dropped.intersection(region):
            return None
        replaced[region[0]] = "\n".join(grid_rows(grid, by_cell)) + "\n"
        dropped.update(region)
    if not replaced:
        return None
    out: list[str] = []
    after_table = False
    for i, chunk in enumerate(chunks):
        if i in replaced:
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            out.append(replaced[i])
            after_table = True
        elif i not in dropped:
            if after_table and not chunk.text.strip():
                continue  # the line break that ended the table's last plain line: rows end in one
            out.append(chunk.text)
            after_table = False
    return "".join(out)


@dataclass
class PageScan:
    """What pypdf's plain extraction of a page saw: its text, the text's pieces at their
    positions, and the borders drawn."""

    text: str
    chunks: list[Chunk] = field(default_factory=list)
    borders: PathCollector = field(default_factory=PathCollector)


def scan_page(page: Any) -> PageScan:
    """pypdf's plain text of the page, with the positions and borders its visitors report (one
    parse of the page, as the plain text alone; the page's content stream is left parsed on the
    page object, which only this reading holds)."""
    from pypdf.generic import ContentStream, NameObject

    scan = PageScan("")
    contents = page.get("/Contents")
    resolved = contents.get_object() if contents is not None else None
    if resolved is not None and not isinstance(resolved, ContentStream):
        try:
            # parsed once: pypdf's extract_text takes a parsed stream as it is, and a page with a
            # table reads its runs' positions from the same operations
            page[NameObject("/Contents")] = ContentStream(resolved, page.pdf, "bytes")
        except MemoryError:
            raise
        except Exception:  # extract_text below meets the same damage and says which page
            pass
    scan.text = (
        page.extract_text(
            visitor_operand_before=scan.borders, visitor_text=chunk_visitor(scan.chunks)
        )
        or ""
    )
    return scan


def with_cells(pages: Sequence[Any], scans: Sequence[PageScan | None]) -> list[str | None]:
    """Each page's text with its certain tables as rows of cells, or None where the plain text
    stays (no table, or one that cannot be rebuilt, or pypdf's private layout code failed)."""
    found: list[list[Grid]] = []
    for scan in scans:
        try:
            found.append(find_grids(scan.borders) if scan is not None else [])
        except Exception:
            found.append([])
    grids = continued(found)
    out: list[str | None] = []
    for page, scan, page_grids in zip(pages, scans, grids, strict=True):
        if scan is None or not page_grids:
            out.append(None)
            continue
        try:
            out.append(page_with_cells(page, scan.chunks, page_grids))
        except MemoryError:
            raise
        except Exception:  # the layout-mode text state is pypdf's private code
            out.append(None)
    return out
