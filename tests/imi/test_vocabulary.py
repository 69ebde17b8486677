"""IMI core 2.4.1 as shipped in vocab/imi/: loaded once, classes, inherited properties, value types."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from ckanext.ikoma.imi.vocabulary import IMI_DIR, imi_context, imi_vocabulary

SOURCE = "/work/shared/data/imi/imicore241.jsonld"


def test_header_names_source_version_and_licence():
    with open(os.path.join(IMI_DIR, "core-2.4.1.json"), encoding="utf-8") as f:
        data = json.load(f)
    assert data["version"] == "2.4.1"
    assert data["licence"].startswith("CC0")
    assert "imicore241.imiv" in data["source"]


def test_loaded_once_per_process():
    assert imi_vocabulary() is imi_vocabulary()


def test_counts_agree_with_the_owl_rendering():
    """The OWL/JSON-LD rendering of the same release has as many classes, properties and restrictions."""
    vocab = imi_vocabulary()
    live = [c for c in vocab.classes.values() if not c.deprecated]
    assert len(live) == 61  # 60 owl:Class + the 電話番号型 datatype
    assert len([p for p in vocab.properties.values() if not p.deprecated]) == 232
    assert sum(len(props) for props in vocab.declared.values()) == 315
    if os.path.exists(SOURCE):
        with open(SOURCE, encoding="utf-8") as f:
            graph = json.load(f)["@graph"]
        kinds = [node.get("@type") for node in graph]
        assert kinds.count("owl:Restriction") == 315
        assert kinds.count("owl:ObjectProperty") + kinds.count("owl:DatatypeProperty") == 232


def test_superclass_chain_and_inherited_properties():
    vocab = imi_vocabulary()
    assert vocab.ancestors("施設型") == ("施設型", "地物型", "場所型", "事物型", "概念型")
    assert vocab.property_of("施設型", "住所") == ("場所型", "0..1")
    assert vocab.property_of("施設型", "種別") == ("概念型", "0..n")
    assert vocab.property_of("施設型", "設置地点") is None
    assert "名称" in vocab.properties_of("駐車場型")


def test_value_types():
    vocab = imi_vocabulary()
    assert vocab.datatype("標準型日付") == "xsd:date"
    assert vocab.datatype("開始時間") == "xsd:time"
    assert vocab.datatype("電話番号") == "xsd:string"  # 電話番号型 restricts xsd:string
    assert vocab.datatype("緯度") == "xsd:string"
    assert vocab.datatype("地理座標") is None and vocab.properties["地理座標"].range == "座標型"


def test_context_makes_every_term_an_imi_iri():
    context = imi_context()["@context"]
    vocab = imi_vocabulary()
    assert context["@vocab"] == vocab.namespace == "http://imi.go.jp/ns/core/rdf#"
    assert set(vocab.classes) | set(vocab.properties) <= set(context)
    assert context["標準型日付"] == {"@id": "ic:標準型日付", "@type": "xsd:date"}


def test_pure_python_no_ckan_import():
    code = ("import sys; import ckanext.ikoma.imi.vocabulary, ckanext.ikoma.imi.columns, "
            "ckanext.ikoma.imi.paths; assert not [m for m in sys.modules if m == 'ckan' or "
            "m.startswith('ckan.')], 'ckan imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_shipped_file_is_what_the_build_derives_from_the_source():
    from ckanext.ikoma.imi.build_vocabulary import parse

    source = "/work/shared/data/imi/imicore241.imiv"
    if not os.path.exists(source):
        return
    with open(source, encoding="utf-8") as f:
        parsed = parse(f.read())
    with open(os.path.join(IMI_DIR, "core-2.4.1.json"), encoding="utf-8") as f:
        shipped = json.load(f)
    for key in ("classes", "properties", "members"):
        assert parsed[key] == shipped[key], key
