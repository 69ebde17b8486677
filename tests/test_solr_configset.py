"""The Solr configset in the repo is CKAN's own schema.xml, changed only in its text analysis."""
import os
import xml.etree.ElementTree as ET

import ckan

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_SCHEMA = os.path.join(REPO, "stack", "solr", "configset", "ckan", "conf", "schema.xml")
CKAN_SCHEMA = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")
IKOMA_FIELD_TYPES = {"text", "text_general"}


def _without_ikoma_types(path):
    root = ET.parse(path).getroot()
    types = root.find("types")
    for field_type in list(types):
        if field_type.get("name") in IKOMA_FIELD_TYPES:
            types.remove(field_type)
    return ET.canonicalize(ET.tostring(root, encoding="unicode"), strip_text=True)


def test_repo_schema_is_the_installed_ckan_schema_apart_from_text_analysis():
    assert _without_ikoma_types(REPO_SCHEMA) == _without_ikoma_types(CKAN_SCHEMA)


def test_schema_version_is_the_one_ckan_checks():
    root = ET.parse(REPO_SCHEMA).getroot()
    assert root.get("name") == f"ckan-{'.'.join(ckan.__version__.split('.')[:2])}"
