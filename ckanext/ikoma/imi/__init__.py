"""共通語彙基盤 (IMI core vocabulary): the vocabulary, column paths, and the CSV → IMI converter.

Pure Python, no CKAN import: vocabulary.py loads vocab/imi/, paths.py parses and checks the
column paths of the standard-dataset definitions, convert.py streams conforming CSV rows out as
IMI JSON-LD, Turtle or N-Triples.
"""
