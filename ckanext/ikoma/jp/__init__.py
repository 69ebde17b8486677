"""Japanese identifiers, dates and formats: pure Python, no CKAN import.

Every check normalises what it safely can (NFKC, trimming) and either returns the normalised
value or raises `JpValueError` with a stable code and messages in Japanese and English. The same
functions serve the CKAN forms and API, the CSV checker and the harvester.
"""
from ckanext.ikoma.jp.errors import JpValueError, message  # noqa: F401
