"""Streaming validation of CSV files against the 自治体標準オープンデータセット definitions.

Pure Python, no CKAN import: the CLI, the CKAN background job and the benchmark share it.
Memory stays bounded whatever the file size: the file is read twice in chunks (encoding, then
rows) and only counts and the first occurrences of each finding are kept. With pyarrow installed,
a fast pass (fast.py) reads it once, in pieces, and makes the same report where it can.
"""
from ckanext.ikoma.csv_check.engine import check_csv  # noqa: F401
from ckanext.ikoma.csv_check.report import Issue, Report  # noqa: F401
