"""Which encoding a CSV file is in, decided over every byte of the file, not a sample.

UTF-8 and CP932 (Windows Shift_JIS) are decoded side by side in chunks; a decoder that meets an
invalid byte records the line and goes on, so a file of mixed encodings is reported line by line.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import BinaryIO, Optional

CHUNK = 1 << 18  # 256 KiB: bounds the memory of the encoding pass
CANDIDATES = ("utf-8", "cp932")
MAX_LINES_KEPT = 20
# Past this many bad lines an encoding is plainly wrong: stop decoding with it (UTF-8 text read
# as CP932 fails at nearly every character, and following each failure would cost more than the
# whole check).
GIVE_UP_AFTER = 100
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class EncodingResult:
    encoding: Optional[str]  # python codec: utf-8, utf-8-sig or cp932; None for binary input
    size: int = 0
    bom: bool = False
    binary: bool = False
    zip: bool = False
    utf16: bool = False
    bad_lines: list[int] = field(default_factory=list)  # lines with undecodable bytes (first few)
    bad_count: int = 0


class _Tracker:
    """Counts invalid byte sequences for one encoding and remembers their lines."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self.bad_count = 0  # lines with invalid bytes
        self.bad_lines: list[int] = []
        self.last_bad_line = 0

    @property
    def gave_up(self) -> bool:
        return self.bad_count >= GIVE_UP_AFTER

    def feed(self, chunk: bytes, line_at_start: int, final: bool = False) -> None:
        if self.gave_up:
            return
        data, offset = chunk, 0
        pending = self.decoder.getstate()[0]
        while True:
            try:
                self.decoder.decode(data, final)
                return
            except UnicodeDecodeError as e:
                # e.start counts from the bytes still pending in the decoder plus this data.
                position = max(0, offset + e.start - len(pending))
                line = line_at_start + chunk.count(b"\n", 0, position)
                if line != self.last_bad_line:  # one finding per line, however many bad bytes
                    self.last_bad_line = line
                    self.bad_count += 1
                    if len(self.bad_lines) < MAX_LINES_KEPT:
                        self.bad_lines.append(line)
                    if self.gave_up:
                        return
                skip = max(e.end - len(pending), 1)
                offset += skip
                data = chunk[offset:]
                pending = b""
                self.decoder.reset()
                if not data:
                    return


def detect_encoding(stream: BinaryIO) -> EncodingResult:
    first = stream.read(CHUNK)
    result = EncodingResult(encoding=None, size=len(first))
    if first.startswith(ZIP_MAGIC):
        result.zip = result.binary = True
        return result
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        result.utf16 = True
        return result
    if b"\x00" in first:
        result.binary = True
        return result
    result.bom = first.startswith(codecs.BOM_UTF8)
    trackers = [_Tracker(e) for e in CANDIDATES]
    line = 1
    chunk = first
    while chunk:
        for tracker in trackers:
            tracker.feed(chunk, line)
        line += chunk.count(b"\n")
        chunk = stream.read(CHUNK)
        result.size += len(chunk)
        if b"\x00" in chunk:
            result.binary = True
            return result
    for tracker in trackers:
        tracker.feed(b"", line, final=True)
    utf8, cp932 = trackers
    if utf8.bad_count == 0:
        result.encoding = "utf-8-sig" if result.bom else "utf-8"
    elif cp932.bad_count == 0 and not result.bom:
        result.encoding = "cp932"
    else:
        best = utf8 if utf8.bad_count <= cp932.bad_count or result.bom else cp932
        result.encoding = ("utf-8-sig" if result.bom else "utf-8") if best is utf8 else "cp932"
        result.bad_lines, result.bad_count = best.bad_lines, best.bad_count
    return result
