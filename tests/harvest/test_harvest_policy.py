"""The harvest policy (README "Harvesting"): a dataset is never dropped for an optional value — the
value is left out, kept raw in `harvest_unmapped` and named in a warning on the harvest object;
nothing a source said is lost silently; only a missing title or identifier, or a conflict of
identity, rejects a dataset. Real catalogs over HTTP on 127.0.0.2, the real consumers."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

import ckan.model as model
from ckan.tests.helpers import call_action

from catalog_factory import dataset, write_catalog

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def by_identity():
    model.Session.remove()
    hits = call_action("package_search", q="*:*", rows=100, include_private=True)["results"]
    return {d["harvest_identity"]: call_action("package_show", id=d["id"]) for d in hits if d.get("harvest_identity")}


def object_messages(report, identity=None):
    return [e["message"] for guid, errors in report["object_errors"].items() for e in errors["errors"]
            if identity is None or errors.get("guid", guid) == identity or identity in str(errors)]


def warnings(report):
    return [m for m in object_messages(report) if m.startswith("[warning:")]


def test_an_invalid_optional_value_is_left_out_kept_raw_and_warned(catalog_server, make_source, harvest):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [
        dataset(1, modified="2023-02-30"),   # shaped like a date, not one
        dataset(2, phone="電話はありません"),  # not a phone number: the form's validator refuses it
        dataset(3),
    ])
    source = make_source(f"{base}/{first}")
    report = harvest(source["id"])

    # ckanext-harvest counts an object with any recorded problem as "errored"; none is an error here
    assert report["stats"]["added"] == 3, object_messages(report)
    assert all(m.startswith("[warning:") for m in object_messages(report)), object_messages(report)
    hits = by_identity()
    one, two = hits["293423-ds-0001@293423"], hits["293423-ds-0002@293423"]
    assert not one.get("modified") and json.loads(one["harvest_unmapped"])["modified"] == ["2023-02-30"]
    assert not two.get("contact_phone") and "電話はありません" in json.loads(two["harvest_unmapped"])["contact_phone"]
    found = warnings(report)
    assert any("modified" in m and "2023-02-30" in m and "data.example.jp/293423/dataset/0001" in m for m in found), found
    assert any("contact_phone" in m and "電話はありません" in m for m in found), found


def test_only_a_missing_title_rejects_a_dataset(catalog_server, make_source, harvest):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(1, title="", title_en=""), dataset(2)])
    report = harvest(make_source(f"{base}/{first}")["id"])
    assert report["stats"]["added"] == 1, report
    assert [m for m in object_messages(report) if "dct:title" in m and m.startswith("[mapping]")], report


def test_foreign_conforms_to_is_kept_and_published_back(catalog_server, make_source, harvest, app):
    directory, base, _ = catalog_server
    foreign = "https://www.w3.org/TR/vocab-dcat-3/"
    first = write_catalog(directory, [dataset(1, conforms_to=[foreign, "https://other.example.jp/standard-datasets/8"])])
    harvest(make_source(f"{base}/{first}")["id"])
    copy = by_identity()["293423-ds-0001@293423"]
    assert copy["conforms_to"] == "08"  # a URI known to name a standard dataset: its number
    assert json.loads(copy["harvest_unmapped"])["conforms_to"] == [foreign]
    graph = Graph().parse(data=app.get(f"/dataset/{copy['name']}.ttl").get_data(as_text=True), format="turtle")
    ref = next(graph.subjects(DCTERMS.source, URIRef("https://data.example.jp/293423/dataset/0001")))
    assert URIRef(foreign) in set(graph.objects(ref, DCTERMS.conformsTo))


def test_a_distributions_foreign_conforms_to_is_published_back_on_that_distribution(catalog_server, make_source,
                                                                                   harvest, app):
    directory, base, _ = catalog_server
    foreign = "https://www.w3.org/TR/vocab-dcat-3/"
    files = [f"https://data.example.jp/293423/files/{n}.csv" for n in ("a", "b", "c")]
    first = write_catalog(directory, [dataset(1, distributions=[
        (files[0], "CSV", "第1"), (files[1], "CSV", "第2", [foreign]),
        (files[2], "CSV", "第3", ["https://other.example.jp/standard-datasets/13"])])])
    harvest(make_source(f"{base}/{first}")["id"])
    copy = by_identity()["293423-ds-0001@293423"]
    assert {r["url"]: r.get("conforms_to") or "" for r in copy["resources"]}[files[2]] == "13"
    graph = Graph().parse(data=app.get(f"/dataset/{copy['name']}.ttl").get_data(as_text=True), format="turtle")
    standards = {str(url): set(graph.objects(dist, DCTERMS.conformsTo))
                 for dist, url in graph.subject_objects(DCAT.accessURL) if str(url) in files}
    assert URIRef(foreign) in standards[files[1]]
    assert URIRef(foreign) not in standards[files[0]] | standards[files[2]]
    assert all(URIRef(foreign) not in set(graph.objects(ref, DCTERMS.conformsTo))
               for ref in graph.subjects(RDF.type, DCAT.Dataset))


def test_formats_given_as_uris_are_shown_as_labels(catalog_server, make_source, harvest, app):
    directory, base, _ = catalog_server
    files = "https://data.example.jp/293423/files/"
    first = write_catalog(directory, [dataset(1, distributions=[
        (files + "a.csv", "http://www.iana.org/assignments/media-types/text/csv", "A"),
        (files + "b.csv", "http://publications.europa.eu/resource/authority/file-type/CSV", "B"),
        (files + "c.json", "https://www.iana.org/assignments/media-types/application/json", "C"),
    ])])
    harvest(make_source(f"{base}/{first}")["id"])
    copy = by_identity()["293423-ds-0001@293423"]
    assert [r["format"] for r in copy["resources"]] == ["CSV", "CSV", "JSON"]
    page = app.get(f"/dataset/{copy['name']}").get_data(as_text=True)
    assert "iana.org/assignments" not in page and "resource/authority/file-type" not in page


def test_markup_in_text_is_a_warning_and_the_source_page_says_so(catalog_server, make_source, harvest, app):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(1, title="<b>太字</b>のタイトル")])
    source = make_source(f"{base}/{first}", name="heguri")
    report = harvest(source["id"])
    assert report["stats"]["added"] == 1
    assert any("title" in m and "<b>" in m for m in warnings(report)), object_messages(report)
    page = app.get("/neighbours/heguri", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "収集した値はすべて取り込めました" not in page and "&lt;b&gt;太字" in page


def test_a_duplicate_identifier_names_both_uris(catalog_server, make_source, harvest, cli):
    directory, base, _ = catalog_server
    kept, left = "https://data.example.jp/293423/dataset/0004", "https://mirror.example.jp/293423/0004"
    first = write_catalog(directory, [dataset(4), dataset(4, title="2件目", uri=left)])
    source = make_source(f"{base}/{first}", name="heguri")
    report = harvest(source["id"])
    [message] = [m for m in object_messages(report) if m.startswith("[duplicate_identifier]")]
    assert kept in message and left in message
    from ckan.cli.cli import ckan as ckan_command

    output = cli.invoke(ckan_command, ["ikoma", "harvest", "duplicates"]).output
    [line] = [line for line in output.splitlines() if kept in line]  # within one catalog, both URIs too
    assert left in line and "heguri" in line


def test_duplicates_across_sources_are_listed_with_both_uris(catalog_server, make_source, harvest, sysadmin, cli,
                                                            app):
    from ckan.cli.cli import ckan as ckan_command

    directory, base, _ = catalog_server
    write_catalog(directory, [dataset(1, code="292010")], prefix="nara")
    write_catalog(directory, [dataset(1, code="292010", uri="https://bodik.example.jp/dataset/nara-1")], prefix="bodik")
    nara_org = call_action("organization_create", context={"user": sysadmin["name"]}, name="292010", title="奈良市",
                           lg_code="292010")
    bodik_org = call_action("organization_create", context={"user": sysadmin["name"]}, name="bodik", title="BODIK")
    origin = make_source(f"{base}/nara-1.ttl", name="nara", org=nara_org)
    aggregator = make_source(f"{base}/bodik-1.ttl", name="bodik", org=bodik_org, role="aggregator")
    harvest(origin["id"])
    for _ in range(3):
        report = harvest(aggregator["id"])
    # one record of the duplicate, in the last job, however many runs found it
    from ckanext.harvest.model import HarvestObject

    model.Session.remove()
    assert [o.harvest_job_id for o in model.Session.query(HarvestObject).filter_by(
        harvest_source_id=aggregator["id"])] == [report["id"]]
    output = cli.invoke(ckan_command, ["ikoma", "harvest", "duplicates"]).output
    assert "https://data.example.jp/292010/dataset/0001" in output and "https://bodik.example.jp/dataset/nara-1" in output
    page = app.get("/neighbours/bodik", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "奈良市のデータ1" in page  # the duplicate named on the source page


def test_raw_text_of_mapped_values_is_kept_in_provenance(catalog_server, make_source, harvest, app):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(1, frequency="毎月"), dataset(2, frequency="随時")])
    harvest(make_source(f"{base}/{first}")["id"])
    hits = by_identity()
    one = hits["293423-ds-0001@293423"]
    assert one["frequency"] == "monthly"
    assert json.loads(one["harvest_raw_values"])["frequency"] == ["毎月"]
    assert "随時" in json.loads(hits["293423-ds-0002@293423"]["harvest_raw_values"])["frequency"]
    assert "毎月" in app.get(f"/dataset/{one['name']}").get_data(as_text=True)


def test_conditional_requests_are_used_after_a_run_with_errors(catalog_server, make_source, harvest):
    directory, base, requests = catalog_server
    first = write_catalog(directory, [dataset(i) for i in range(1, 16)] + [dataset(99, title="", title_en="")], per_page=8)
    source = make_source(f"{base}/{first}")
    first_report = harvest(source["id"])
    assert first_report["stats"]["added"] == 15 and len(object_messages(first_report)) == 1
    requests.clear()
    report = harvest(source["id"])
    assert [status for _, status in requests] == [304, 304]
    # the error stands, reported again, without reading the page
    assert object_messages(report) == object_messages(first_report)
    assert report["stats"]["not modified"] == 15


def test_one_character_keywords_are_accepted(catalog_server, make_source, harvest, create_dataset):
    created = create_dataset(name="dogs", tag_string="犬,水")
    assert {"犬", "水"} <= {t["name"] for t in created["tags"]}
    created = create_dataset(name="forest", tags=[{"name": "森"}])
    assert "森" in [t["name"] for t in created["tags"]]
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(1, keywords=["犬", "水", "統計"])])
    harvest(make_source(f"{base}/{first}")["id"])
    copy = by_identity()["293423-ds-0001@293423"]
    assert {t["name"] for t in copy["tags"]} == {"犬", "水", "統計"}


def test_a_distribution_without_a_date_gets_none_in_ikomas_output(catalog_server, make_source, harvest, app):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(1)])
    harvest(make_source(f"{base}/{first}")["id"])
    copy = by_identity()["293423-ds-0001@293423"]
    graph = Graph().parse(data=app.get(f"/dataset/{copy['name']}.ttl").get_data(as_text=True), format="turtle")
    [distribution] = list(graph.subjects(DCAT.accessURL, URIRef("https://data.example.jp/293423/files/0001.csv")))
    assert list(graph.objects(distribution, DCTERMS.modified)) == []
    assert list(graph.objects(distribution, DCTERMS.issued)) == []


def test_the_source_page_names_withdrawn_datasets_and_shows_dates_in_the_locale(catalog_server, make_source, harvest,
                                                                                app, sysadmin):
    directory, base, _ = catalog_server
    datasets = [dataset(1), dataset(2, title="消えるデータ")]
    first = write_catalog(directory, datasets)
    source = make_source(f"{base}/{first}", name="heguri", deletion="withdraw")
    harvest(source["id"])
    write_catalog(directory, datasets[:1])
    harvest(source["id"])
    page = app.get("/neighbours/heguri", headers={"Accept-Language": "ja", "Authorization": sysadmin["token"]})
    page = page.get_data(as_text=True)
    assert "消えるデータ" in page
    public = app.get("/neighbours/heguri", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "消えるデータ" not in public  # withdrawn copies are private: named to the source's curators only
    assert "年" in page.split("前回の収集", 1)[1][:400] and "月 " not in page.split("前回の収集", 1)[1][:400]
