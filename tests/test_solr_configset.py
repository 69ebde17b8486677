"""The Solr configset in the repo is CKAN's own schema.xml, changed only in its text analysis, and
named `ckan-2.11`: the one name CKAN 2.11 and 2.12 both accept (2.12 ships `ckan-2.12`, which 2.11
refuses), so one Solr core serves a site on either version. The suite runs on both."""
import os
import xml.etree.ElementTree as ET

import ckan
from ckan.lib import search

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_SCHEMA = os.path.join(REPO, "stack", "solr", "configset", "ckan", "conf", "schema.xml")
CKAN_SCHEMA = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")
IKOMA_FIELD_TYPES = {"text", "text_general"}
SCHEMA_NAME = "ckan-2.11"


def _without_name_and_ikoma_types(path):
    root = ET.parse(path).getroot()
    del root.attrib["name"]  # the CKAN version it was written for
    types = root.find("types")
    for field_type in list(types):
        if field_type.get("name") in IKOMA_FIELD_TYPES:
            types.remove(field_type)
    return ET.canonicalize(ET.tostring(root, encoding="unicode"), strip_text=True)


def test_repo_schema_is_the_installed_ckan_schema_apart_from_name_and_text_analysis():
    assert _without_name_and_ikoma_types(REPO_SCHEMA) == _without_name_and_ikoma_types(CKAN_SCHEMA)


def test_schema_name_is_one_both_ckan_versions_accept():
    assert ET.parse(REPO_SCHEMA).getroot().get("name") == SCHEMA_NAME
    assert SCHEMA_NAME.split("-", 1)[1] in search.SUPPORTED_SCHEMA_VERSIONS
    assert search.check_solr_schema_version(REPO_SCHEMA)


def test_the_running_solr_has_a_schema_the_installed_ckan_accepts():
    assert search.check_solr_schema_version()
