"""The one read guard for every xlsx the project reads (units, rule-sets, data tables, …).

``check_workbook(data)`` runs before openpyxl sees the file, and refuses with
``WorkbookTooLarge`` (a Chinese reason) a workbook that would cost more than a real one ever
does. A shared-strings bomb took 109 s and 297 MB in the unit import; a sheet that declares the
dimension A1:XFD1048576 makes openpyxl pad every row to 16 384 cells. In order:

1. the zip directory: the declared uncompressed size of all parts together, and the ratio of
   that to the compressed size (nothing is inflated yet);
2. a streamed pass over the worksheets and the shared strings: each part is inflated in chunks
   and stopped at its declared size (a directory that lies gains nothing), and the rows, columns,
   cells and strings are counted as the XML goes by, refusing as soon as one is over its limit;
   a declared ``<dimension>`` over the limits is refused too.

A file that is not a zip at all passes through: the caller's reader reports it in its own words.
Pure Python, no Django (``scoring`` uses it too).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import IO
from xml.etree.ElementTree import ParseError, iterparse

MiB = 1024 * 1024


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may hold. Far above any real one (our 数据表 has ~100 rows, a city's unit
    list hundreds); far below what makes openpyxl take seconds."""

    uncompressed_bytes: int = 64 * MiB  # all parts together, as declared and as inflated
    ratio: int = 100  # uncompressed ÷ compressed (checked when over 1 MiB uncompressed)
    rows: int = 20_000  # per sheet, by row number (a row 1 000 000 counts as a million)
    columns: int = 200  # by column letter (XFD is 16 384)
    cells: int = 500_000  # all sheets together
    shared_strings: int = 500_000


DEFAULT_LIMITS = WorkbookLimits()


class WorkbookTooLarge(ValueError):
    """The workbook is over a limit; ``reason`` (Chinese) says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse(detail: str) -> WorkbookTooLarge:
    return WorkbookTooLarge(f"Excel 文件过大或过于复杂，未读取（{detail}）")


_CELL_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_workbook(data: bytes, limits: WorkbookLimits = DEFAULT_LIMITS) -> None:
    """Refuse (WorkbookTooLarge) a workbook over ``limits``; return quietly otherwise."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the caller's reader says so in its words
    declared = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    if declared > limits.uncompressed_bytes:
        raise _refuse(
            f"解压后 {declared / MiB:.0f} MB，超过上限 {limits.uncompressed_bytes // MiB} MB"
        )
    if declared > MiB and declared / compressed > limits.ratio:
        raise _refuse(f"压缩比 {declared / compressed:.0f} 倍，超过上限 {limits.ratio} 倍")
    counter = _Counter(limits)
    for info in infos:
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            counter.sheet(_stream(archive, info, counter))
        elif name == "xl/sharedStrings.xml":
            counter.strings(_stream(archive, info, counter))


class _Counter:
    def __init__(self, limits: WorkbookLimits) -> None:
        self.limits = limits
        self.cells = 0
        self.inflated = 0

    def sheet(self, stream: IO[bytes]) -> None:
        limits = self.limits
        rows = 0
        try:
            for event, element in iterparse(stream, events=("start", "end")):
                tag = element.tag.rsplit("}", 1)[-1]
                if event == "end":
                    if tag == "row":
                        element.clear()  # its cells are counted; keep memory flat
                    continue
                if tag == "dimension":
                    self._dimension(element.get("ref", ""))
                elif tag == "row":
                    rows += 1
                    r = element.get("r") or ""
                    number = int(r) if r.isdigit() and len(r) < 10 else rows
                    if max(number, rows) > limits.rows:
                        raise _refuse(f"工作表超过 {limits.rows} 行")
                elif tag == "c":
                    self.cells += 1
                    if self.cells > limits.cells:
                        raise _refuse(f"单元格超过 {limits.cells} 个")
                    ref = _CELL_REF.match(element.get("r") or "")
                    if ref and _column_number(ref.group(1)) > limits.columns:
                        raise _refuse(f"工作表超过 {limits.columns} 列")
        except ParseError:
            return  # damaged XML: openpyxl reports it as an unreadable file

    def strings(self, stream: IO[bytes]) -> None:
        count = 0
        try:
            for _event, element in iterparse(stream, events=("end",)):
                if element.tag.rsplit("}", 1)[-1] == "si":
                    count += 1
                    if count > self.limits.shared_strings:
                        raise _refuse(f"共享字符串超过 {self.limits.shared_strings} 个")
                    element.clear()
        except ParseError:
            return

    def _dimension(self, ref: str) -> None:
        last = ref.split(":")[-1]
        m = _CELL_REF.fullmatch(last)
        if m is None:
            return
        columns, rows = _column_number(m.group(1)), int(m.group(2))
        if rows > self.limits.rows:
            raise _refuse(f"工作表范围 {ref} 超过 {self.limits.rows} 行")
        if columns > self.limits.columns:
            raise _refuse(f"工作表范围 {ref} 超过 {self.limits.columns} 列")


_CHUNK = 64 * 1024


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, counter: _Counter) -> IO[bytes]:
    """The part, inflated as it is read, stopped at its declared size and at the total limit."""

    class Bounded:
        def __init__(self) -> None:
            self.member = archive.open(info)
            self.read_bytes = 0

        def read(self, size: int = -1) -> bytes:
            want = _CHUNK if size is None or size < 0 else min(size, _CHUNK)
            try:
                chunk = self.member.read(want)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                return b""
            self.read_bytes += len(chunk)
            counter.inflated += len(chunk)
            if self.read_bytes > info.file_size:
                raise _refuse(f"“{info.filename}”解压后大于其声明的大小")
            if counter.inflated > counter.limits.uncompressed_bytes:
                raise _refuse(f"解压后超过 {counter.limits.uncompressed_bytes // MiB} MB")
            return chunk

    return Bounded()  # type: ignore[return-value]
