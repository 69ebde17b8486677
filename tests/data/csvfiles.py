"""Writing a fixture: rows as CSV text in the given encoding and line ending (for make_*.py)."""
import csv
import io
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, rows, encoding="utf-8", newline="\r\n"):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(buffer.getvalue().encode(encoding))
