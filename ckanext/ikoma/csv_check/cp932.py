"""CP932 to UTF-8 for the fast pass, off the GIL: the C library's iconv through ctypes (which lets
the GIL go for each call), so a CP932 file is converted on one core while the other checks it.

iconv is used only where it reads CP932 exactly as CPython's cp932 codec (the row pass's reader)
does. Both are stateless and read left to right, so that holds for every text if it holds for every
one- and two-byte sequence: each that iconv accepts, CPython decodes to the same characters.
`verified()` compares them all once per process (0.1 s), but for the C libraries and Pythons
listed in AGREEING, where the comparison was made and found no difference (tests/csv_check).
Sequences CPython accepts and iconv refuses (glibc: 0x80, 0xA0, 0xFD–0xFF, which CPython maps to
U+0080 and private-use characters) are converted by CPython, the rest of their line with them.
Without an iconv that knows CP932, or where it does not agree, the conversion is CPython's.
"""
from __future__ import annotations

import ctypes
import errno
import functools
import sys
from typing import Optional

_FAILED = ctypes.c_size_t(-1).value
# UTF-8 bytes per CP932 byte made room for at first: a two-byte character is three bytes in UTF-8
# (a one-byte half-width katakana is three too: the buffer grows when it must)
_GROWTH = 1.5
# (C library, its version, Python's version) whose full comparison found no difference; elsewhere it
# is made at the first CP932 file of each process (a C library's CP932 table is fixed in its release)
AGREEING = {("glibc", "2.36", "3.11")}


class _Iconv:
    """The C library's iconv_open/iconv/iconv_close, declared for ctypes."""

    def __init__(self, libc: ctypes.CDLL):
        self.open, self.convert, self.close = libc.iconv_open, libc.iconv, libc.iconv_close
        self.open.restype, self.open.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
        self.convert.restype = ctypes.c_size_t
        self.close.argtypes = [ctypes.c_void_p]


@functools.lru_cache(maxsize=1)
def _library() -> Optional[_Iconv]:
    try:  # the process's own symbols, the C library's among them (find_library would run ldconfig)
        library = _Iconv(ctypes.CDLL(None, use_errno=True))
    except (OSError, AttributeError, TypeError):
        return None
    handle = library.open(b"UTF-8", b"CP932")
    if not handle or handle == _FAILED:
        return None
    library.close(handle)
    return library


class Converter:
    """CP932 bytes of whole lines into UTF-8, written into one of two buffers in turn: a piece
    converted stays untouched while the next one is converted (the caller checks one piece while
    the next is made)."""

    def __init__(self, library: _Iconv):
        self.library = library
        self.handle = library.open(b"UTF-8", b"CP932")
        self.buffers = [bytearray(), bytearray()]
        self.turn = 0
        self.source, self.source_left = ctypes.c_void_p(), ctypes.c_size_t()
        self.target, self.target_left = ctypes.c_void_p(), ctypes.c_size_t()
        self.arguments = (ctypes.c_void_p(self.handle), ctypes.byref(self.source), ctypes.byref(self.source_left),
                          ctypes.byref(self.target), ctypes.byref(self.target_left))

    def convert(self, piece: bytearray, start: int, end: int) -> tuple[bytearray, int]:
        """(buffer, length): the bytes from `start` to `end` of `piece` in UTF-8, the buffer's first
        `length` bytes. Raises UnicodeDecodeError where they are not CP932 (CPython's verdict)."""
        out = self._room(self.buffers[self.turn], int(_GROWTH * (end - start)) + 64, 0)
        done, position = 0, start
        while position < end:
            converted, position, error = self._iconv(piece, position, end, out, done)
            done += converted
            if error == errno.E2BIG:
                out = self._room(out, len(out) + len(out) // 2 + 4 * (end - position), done)
            elif position < end:  # refused: CPython takes the rest of the line
                line_end = piece.find(b"\n", position, end) + 1 or end
                text = str(memoryview(piece)[position:line_end], "cp932").encode("utf-8")
                out = self._room(out, done + len(text) + 3 * (end - line_end), done)
                out[done:done + len(text)] = text
                done, position = done + len(text), line_end
        self.turn = 1 - self.turn
        return out, done

    def _room(self, out: bytearray, size: int, keep: int) -> bytearray:
        """`out`, or one of `size` bytes holding its first `keep` (a new one: the old one may still
        be exported, to the piece checked before)."""
        if len(out) < size:
            grown = bytearray(size)
            grown[:keep] = memoryview(out)[:keep]
            out = self.buffers[self.turn] = grown
        return out

    def _iconv(self, piece: bytearray, position: int, end: int, out: bytearray, done: int) -> tuple[int, int, int]:
        """One call of iconv: (bytes made, where it stopped, errno or 0)."""
        source = (ctypes.c_char * len(piece)).from_buffer(piece)
        target = (ctypes.c_char * len(out)).from_buffer(out)
        base, out_base = ctypes.addressof(source), ctypes.addressof(target)
        self.source.value, self.source_left.value = base + position, end - position
        self.target.value, self.target_left.value = out_base + done, len(out) - done
        failed = self.library.convert(*self.arguments) == _FAILED  # stops at a sequence it refuses
        made, stopped = self.target.value - out_base - done, self.source.value - base
        del source, target  # ctypes' views export the buffers: let them go
        return made, stopped, ctypes.get_errno() if failed else 0

    def close(self) -> None:
        if self.handle:
            self.library.close(self.handle)
            self.handle = None


def converter() -> Optional[Converter]:
    """A converter through iconv, or None where there is none that reads CP932 as CPython does."""
    library = _library()
    return Converter(library) if library is not None and verified() else None


@functools.lru_cache(maxsize=1)
def verified() -> bool:
    """Whether every one- and two-byte sequence iconv accepts, CPython decodes to the same text."""
    library = _library()
    if library is None:
        return False
    if _identity() in AGREEING:
        return True
    converter = Converter(library)
    try:
        return _agree(converter)
    finally:
        converter.close()


def _identity() -> tuple[str, str, str]:
    try:
        version = ctypes.CDLL(None).gnu_get_libc_version
    except (OSError, AttributeError):
        return "", "", ""
    version.restype = ctypes.c_char_p
    return "glibc", version().decode("ascii"), "%d.%d" % sys.version_info[:2]


def _agree(converter: Converter) -> bool:
    singles = bytes(range(256))
    outcomes = _each_alone(converter, singles, 1)
    if any(ours is not None and ours != _python(singles[i:i + 1]) for i, ours in enumerate(outcomes)):
        return False
    # pairs after each byte iconv does not take alone (a lead byte, or one it refuses)
    pairs = b"".join(bytes((lead, trail)) for lead, ours in enumerate(outcomes) if ours is None
                     for trail in range(256))
    outcomes = _each_alone(converter, pairs, 2)
    return not any(ours is not None and ours != _python(pairs[2 * i:2 * i + 2]) for i, ours in enumerate(outcomes))


def _each_alone(converter: Converter, data: bytes, size: int) -> list[Optional[str]]:
    """What iconv makes of each `size` bytes of `data` on its own: its text, or None if refused."""
    source = ctypes.create_string_buffer(data, len(data))
    target = ctypes.create_string_buffer(16)
    base, out = ctypes.addressof(source), ctypes.addressof(target)
    convert, arguments = converter.library.convert, converter.arguments
    position, left, into, room = converter.source, converter.source_left, converter.target, converter.target_left
    outcomes = []
    for offset in range(0, len(data), size):
        position.value, left.value, into.value, room.value = base + offset, size, out, 16
        if convert(*arguments) == _FAILED:
            outcomes.append(None)
            convert(arguments[0], None, None, None, None)  # back to the initial state
        else:
            outcomes.append(target.raw[:16 - room.value].decode("utf-8"))
    return outcomes


def _python(data: bytes) -> Optional[str]:
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        return None
