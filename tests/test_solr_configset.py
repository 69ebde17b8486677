"""The Solr configset in the repo is CKAN's own schema.xml, changed only in its text analysis and
with the Japanese search fields added (docs/solr.md), and named `ckan-2.11`: the one name CKAN 2.11 and 2.12 both accept (2.12 ships `ckan-2.12`, which 2.11
refuses), so one Solr core serves a site on either version. The suite runs on both."""
import os
import xml.etree.ElementTree as ET

import ckan
from ckan.lib import search

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_SCHEMA = os.path.join(REPO, "stack", "solr", "configset", "ckan", "conf", "schema.xml")
CKAN_SCHEMA = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")
REPO_CONF = os.path.dirname(REPO_SCHEMA)
# What docs/solr.md tells an admin with their own Solr to add: keep the two in step.
IKOMA_FIELD_TYPES = {"text", "text_general", "text_ja_bigram", "text_ja_reading", "text_en"}
IKOMA_FIELDS = {"title_bigram", "text_bigram", "title_reading", "text_reading",
                "title_en", "notes_en", "keywords_en", "text_en"}
SCHEMA_NAME = "ckan-2.11"
# The one field of CKAN's own that the repo changes: `_version_`, a string in CKAN's schema, which
# SolrCloud cannot use (ckan/ckan#8373); see test_version_is_the_long_solrcloud_needs.
CHANGED_CKAN_FIELDS = {"_version_"}


def _without_name_and_ikoma_parts(path):
    root = ET.parse(path).getroot()
    del root.attrib["name"]  # the CKAN version it was written for
    types = root.find("types")
    for field_type in list(types):
        if field_type.get("name") in IKOMA_FIELD_TYPES:
            types.remove(field_type)
    fields = root.find("fields")
    for field in list(fields):
        if field.get("name") in IKOMA_FIELDS | CHANGED_CKAN_FIELDS:
            fields.remove(field)
    for copy in root.findall("copyField"):
        if copy.get("dest") in IKOMA_FIELDS:
            root.remove(copy)
    return ET.canonicalize(ET.tostring(root, encoding="unicode"), strip_text=True)


def test_repo_schema_is_the_installed_ckan_schema_apart_from_name_and_japanese_search():
    assert _without_name_and_ikoma_parts(REPO_SCHEMA) == _without_name_and_ikoma_parts(CKAN_SCHEMA)


def test_version_is_the_long_solrcloud_needs():
    # Solr reads a document's version from `_version_` as a long: a replica checking the order of
    # updates, peer sync after a node returns. As CKAN's string it failed on the cloud (issue #15).
    root = ET.parse(REPO_SCHEMA).getroot()
    types = {t.get("name"): t for t in root.find("types")}
    version = next(f for f in root.find("fields") if f.get("name") == "_version_")
    assert types[version.get("type")].get("class") == "solr.LongPointField"
    assert version.get("docValues") == "true" and version.get("multiValued") in (None, "false")


def test_every_ikoma_field_is_in_the_repo_schema_and_documented():
    root = ET.parse(REPO_SCHEMA).getroot()
    fields = {f.get("name") for f in root.find("fields")}
    types = {t.get("name") for t in root.find("types")}
    assert IKOMA_FIELDS <= fields and IKOMA_FIELD_TYPES <= types
    with open(os.path.join(REPO, "docs", "solr.md"), encoding="utf-8") as f:
        doc = f.read()
    assert [name for name in sorted(IKOMA_FIELDS | IKOMA_FIELD_TYPES) if f"`{name}`" not in doc] == []


def test_every_file_the_schema_names_is_in_the_configset():
    named = set()
    for element in ET.parse(REPO_SCHEMA).getroot().iter():
        for attribute in ("synonyms", "protected", "tags", "words", "mapping"):
            if element.get(attribute):
                named.add(element.get(attribute))
    assert {"synonyms_ja.txt", "mapping-kana-reading.txt", "lang/stoptags_ja.txt"} <= named
    assert [name for name in named if not os.path.isfile(os.path.join(REPO_CONF, name))] == []


def test_schema_name_is_one_both_ckan_versions_accept():
    assert ET.parse(REPO_SCHEMA).getroot().get("name") == SCHEMA_NAME
    assert SCHEMA_NAME.split("-", 1)[1] in search.SUPPORTED_SCHEMA_VERSIONS
    assert search.check_solr_schema_version(REPO_SCHEMA)


def test_the_running_solr_has_a_schema_the_installed_ckan_accepts():
    assert search.check_solr_schema_version()
