"""The ikoma_dcat profile: every field of the Ikoma schemas survives a round trip through RDF, and a
neighbour with stock ckanext-dcat (euro_dcat_ap_3) still reads the essentials."""
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFParser, RDFSerializer

from dataset_examples import full_dataset_overrides

SITE = "http://test.ckan.net"


@pytest.fixture
def full_dataset(ikoma_org, sysadmin, create_dataset):
    call_action("organization_patch", context={"user": sysadmin["name"]}, id=ikoma_org["id"],
                lg_code="292095", title_en="Ikoma City", homepage="https://www.city.ikoma.lg.jp/")
    create_dataset(name="ikoma-toilets", **full_dataset_overrides())
    return call_action("package_show", id="ikoma-toilets")


def round_trip(dataset, profiles=("ikoma_dcat",)):
    turtle = RDFSerializer(profiles=["ikoma_dcat"]).serialize_dataset(dataset, _format="turtle")
    parser = RDFParser(profiles=list(profiles))
    parser.parse(turtle, _format="turtle")
    [parsed] = list(parser.datasets())
    return parsed, turtle


FAMILIES = {
    "titles and descriptions (ja/en)": ["title", "title_en", "notes", "notes_en"],
    "contact point": ["contact_name", "contact_department", "contact_phone", "contact_email", "contact_url"],
    "spatial and temporal coverage": ["spatial_lg_codes", "temporal"],
    "dates": ["issued", "modified"],
    "vocabularies": ["frequency", "access_rights", "language", "theme", "conforms_to", "license_id"],
    "landing page, version, creator, provenance": ["url", "version", "creator", "provenance"],
}
RESOURCE_FIELDS = ["url", "name", "name_en", "description", "description_en", "format", "mimetype", "size",
                   "issued", "modified", "status", "language", "license", "conforms_to", "character_encoding"]


@pytest.mark.parametrize("family", FAMILIES)
def test_round_trip_per_field_family(full_dataset, family):
    parsed, _ = round_trip(full_dataset)
    for field in FAMILIES[family]:
        assert parsed.get(field) == full_dataset.get(field), field


def test_round_trip_keywords_ja_and_en(full_dataset):
    # keywords are a set in RDF: their order is not kept
    parsed, _ = round_trip(full_dataset)
    assert sorted(t["name"] for t in parsed["tags"]) == sorted(t["name"] for t in full_dataset["tags"])
    assert sorted(parsed["keywords_en"].split(",")) == sorted(full_dataset["keywords_en"].split(","))


@pytest.mark.parametrize("position", [0, 1])
def test_round_trip_distributions(full_dataset, position):
    parsed, _ = round_trip(full_dataset)
    original = full_dataset["resources"][position]
    resource = parsed["resources"][position]
    for field in RESOURCE_FIELDS:
        assert str(resource.get(field) or "") == str(original.get(field) or ""), field


def test_publisher_is_an_organization_with_its_local_government_code(full_dataset):
    parsed, turtle = round_trip(full_dataset)
    graph = Graph().parse(data=turtle, format="turtle")
    publisher = URIRef(f"{SITE}/organization/ikoma-city")
    assert (None, DCTERMS.publisher, publisher) in graph
    assert (publisher, DCTERMS.identifier, Literal("292095")) in graph
    assert (publisher, FOAF.name, Literal("生駒市", lang="ja")) in graph
    assert (publisher, FOAF.name, Literal("Ikoma City", lang="en")) in graph
    assert parsed["ikoma_publisher"]["lg_code"] == "292095"


def test_output_uses_language_tags_and_vocabulary_uris(full_dataset):
    _, turtle = round_trip(full_dataset)
    graph = Graph().parse(data=turtle, format="turtle")
    [dataset] = graph.subjects(DCTERMS.identifier, Literal(full_dataset["id"]))
    assert Literal("公衆トイレ一覧", lang="ja") in graph.objects(dataset, DCTERMS.title)
    assert Literal("Public toilets", lang="en") in graph.objects(dataset, DCTERMS.title)
    assert URIRef("http://publications.europa.eu/resource/authority/frequency/MONTHLY") in graph.objects(dataset, DCTERMS.accrualPeriodicity)
    assert URIRef(f"{SITE}/standard-datasets/13") in graph.objects(dataset, DCTERMS.conformsTo)
    assert URIRef(f"{SITE}/lg-codes/292095") in graph.objects(dataset, DCTERMS.spatial)
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/HEAL") in graph.objects(dataset, DCAT.theme)


def test_untagged_literals_from_other_catalogs_are_read_as_japanese():
    turtle = """
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    <https://example.jp/dataset/1> a dcat:Dataset ; dct:title "奈良市の避難所" ; dct:description "説明" ;
        dcat:keyword "防災" ; dct:accrualPeriodicity "年1回" ; dct:identifier "1" .
    """
    parser = RDFParser(profiles=["ikoma_dcat"])
    parser.parse(turtle, _format="turtle")
    [dataset] = list(parser.datasets())
    assert (dataset["title"], dataset["notes"], dataset["title_en"]) == ("奈良市の避難所", "説明", "")
    assert [t["name"] for t in dataset["tags"]] == ["防災"]
    assert dataset["frequency"] == "annual"  # free text normalised through vocab/frequencies.yaml


def test_a_neighbour_with_stock_ckanext_dcat_still_reads_the_essentials(full_dataset):
    # stock ckanext-dcat takes the licence of whichever distribution it meets first, so the
    # dataset here has one licence throughout, as most do
    dataset = dict(full_dataset, resources=[dict(r, license="") for r in full_dataset["resources"]])
    parsed, _ = round_trip(dataset, profiles=("euro_dcat_ap_3",))
    assert parsed["title"] in ("公衆トイレ一覧", "Public toilets")
    assert "生駒市の公衆トイレ" in parsed["notes"] or "Public toilets in Ikoma" in parsed["notes"]
    assert {"トイレ", "公衆"} <= {t["name"] for t in parsed["tags"]}
    assert parsed["license_id"] == "pdl-1.0"
    extras = {e["key"]: e["value"] for e in parsed.get("extras", [])}
    assert extras.get("publisher_name") in ("生駒市", "Ikoma City") or parsed.get("publisher")
    assert parsed["issued"].startswith("2024-04-01") and parsed["modified"].startswith("2024-05-01")
    assert sorted(r["url"] for r in parsed["resources"]) == sorted(r["url"] for r in full_dataset["resources"])
    assert {r["format"] for r in parsed["resources"]} == {"CSV"}
