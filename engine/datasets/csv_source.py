"""A CSV source read as numbered text lines, a chunk at a time, within a byte limit.

``text_lines(source)`` yields the lines of a path, bytes, or a binary or text file object
(read from its start) as ``str``, each with its line break (``\\n``, ``\\r\\n`` or ``\\r``), for
:func:`csv.reader`.  It never holds more than a chunk and one line of the file: a source
whose size is known (a path, bytes, a seekable file) is refused before any of it is read
when it is over ``MAX_CSV_BYTES``; any other stops being read at that many bytes.  UTF-8
only (a BOM is dropped); binary data and other encodings are refused naming the byte and
line, and every refusal is a ValueError.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

MAX_CSV_BYTES = 100_000_000      # the whole file
MAX_LINE_BYTES = 1_048_576       # one line; csv's own field limit is 131,072 characters
READ_CHUNK = 1_048_576           # bytes read at a time
BOM = b"\xef\xbb\xbf"
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def text_lines(source) -> Iterator[str]:
    """The lines of ``source`` as text, line breaks kept; see the module's docstring."""
    offset, line_number, carry, at_start = 0, 0, b"", True
    for chunk in _chunks(source):
        if b"\x00" in chunk:
            raise ValueError("not a CSV text file: it contains NUL bytes (binary data such as an "
                             "image, or UTF-16 text); save it as CSV UTF-8")
        data = carry + chunk
        if at_start:
            if chunk and len(data) < len(BOM):
                carry = data
                continue
            at_start = False
            if data.startswith(BOM):
                data, offset = data[len(BOM):], len(BOM)
        cut = _end_of_last_line(data) if chunk else len(data)
        for line in _lines(_decode(data[:cut], offset, line_number)):
            line_number += 1
            yield line
        offset, carry = offset + cut, data[cut:]
        if len(carry) > MAX_LINE_BYTES:
            raise ValueError(f"line {line_number + 1} is longer than {MAX_LINE_BYTES:,} bytes; "
                             "is this a CSV file?")


def _end_of_last_line(data: bytes) -> int:
    """Where the last complete line of ``data`` ends (0: none); a final \\r may be half of \\r\\n."""
    return max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1


def _decode(data: bytes, offset: int, line_number: int) -> str:
    """``data`` as text; it starts at byte ``offset``, after ``line_number`` lines."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = line_number + sum(1 for _ in _lines(data[: error.start].decode("utf-8") + "x"))
        raise ValueError(f"not a CSV text file: byte {offset + error.start} (line {line}) is not "
                         "valid UTF-8 (binary data or another encoding); save it as CSV UTF-8") from None


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, one at a time, broken at \\n, \\r\\n and \\r only
    (str.splitlines also breaks at \\f, \\x1c, \\u2028, ...)."""
    return (match[0] for match in LINE.finditer(text))


def _chunks(source) -> Iterator[bytes]:
    """The bytes of ``source``, READ_CHUNK at a time, ending with one empty chunk."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        view = memoryview(source).cast("B")
        _check_size(len(view))
        for start in range(0, len(view), READ_CHUNK):
            yield bytes(view[start:start + READ_CHUNK])
        yield b""
    elif isinstance(source, (str, os.PathLike)):
        with _open(source) as file:
            yield from _file_chunks(file)
    elif hasattr(source, "read"):
        yield from _file_chunks(source)
    else:
        raise ValueError(f"source must be a path, bytes or a file object, not {type(source).__name__}")


def _open(path):
    try:
        return Path(path).open("rb")
    except (OSError, ValueError) as error:
        hint = " (pass CSV text as bytes or io.StringIO, not str)" if "\n" in str(path) else ""
        reason = getattr(error, "strerror", None) or error
        raise ValueError(f"cannot read the file {str(path)[:200]!r}: {reason}{hint}") from None


def _file_chunks(file) -> Iterator[bytes]:
    if getattr(file, "seekable", lambda: False)():
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
        _check_size(size)
    total = 0
    while True:
        chunk = file.read(READ_CHUNK)
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", "surrogatepass")
        if not isinstance(chunk, (bytes, bytearray)):
            raise ValueError(f"the file object's read() gave {type(chunk).__name__}, not bytes or str")
        total += len(chunk)
        if total > MAX_CSV_BYTES:
            raise ValueError(f"the CSV file is more than the {MAX_CSV_BYTES / 1e6:g} MB allowed "
                             "(stopped reading there)")
        yield bytes(chunk)
        if not chunk:
            return


def _check_size(size: int) -> None:
    if size > MAX_CSV_BYTES:
        raise ValueError(f"the CSV file is {size / 1e6:,.1f} MB, more than the "
                         f"{MAX_CSV_BYTES / 1e6:g} MB allowed")
