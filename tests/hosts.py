"""Servers that stand for other sites (neighbours' catalogs, linked files, this CKAN seen from
outside) listen on 127.0.0.2, the one non-public address test.ini lets the extension reach
(ckanext.ikoma.fetch.allowed_private); the attacks in tests/security aim at 127.0.0.1 and others."""
NEIGHBOUR_HOST = "127.0.0.2"
