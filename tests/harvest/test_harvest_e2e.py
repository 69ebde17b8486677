"""The `ikoma_dcat` harvester end to end: real HTTP catalogs on 127.0.0.1, the real gather and
fetch consumers on Redis, real CKAN actions. Paging, change detection, deletions, dedupe across
sources, local edits, and Ikoma's own catalog harvested back."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.lib import search
from ckan.tests.helpers import call_action

from catalog_factory import dataset, write_catalog
from ckanext.harvest.model import HarvestObject

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def harvested(org_name="293423", include_private=True):
    model.Session.remove()
    result = call_action("package_search", q="*:*", fq=f"organization:{org_name}", rows=1000,
                         include_private=include_private)
    return {d["harvest_identity"]: d for d in result["results"]}


def shown(identity):
    model.Session.remove()
    hits = call_action("package_search", q="*:*", fq=f'harvest_identity:"{identity}"', rows=2,
                       include_private=True, include_drafts=True)["results"]
    return call_action("package_show", id=hits[0]["id"]) if hits else None


def test_pages_are_followed_and_values_mapped_into_the_ikoma_schema(catalog_server, make_source, harvest):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(i) for i in range(1, 26)], per_page=10)
    source = make_source(f"{base}/{first}")

    report = harvest(source["id"])
    assert report["stats"]["added"] == 25 and report["stats"]["errored"] == 0, report
    datasets = harvested()
    assert len(datasets) == 25
    d = call_action("package_show", id=datasets["293423-ds-0001@293423"]["id"])
    assert d["title"] == "平群町のデータ1" and d["title_en"] == "Data 1"
    assert d["frequency"] == "annual"                    # 年1回, free text
    assert d["issued"] == "2024-04-01"                   # 令和6年4月1日
    assert d["license_id"] == "cc-by"                    # http:// CC BY 4.0 URI
    assert d["contact_phone"] == "0745-45-1001"
    assert d["spatial_lg_codes"] == ["293423"]
    assert {t["name"] for t in d["tags"]} == {"オープンデータ", "統計"}
    assert d["harvest_original_uri"] == "https://data.example.jp/293423/dataset/0001"
    assert d["harvest_source_url"] == f"{base}/{first}" and d["harvested_at"]
    assert d["resources"][0]["url"] == "https://data.example.jp/293423/files/0001.csv"
    assert d["organization"]["name"] == "293423"


def test_an_unchanged_catalog_updates_nothing_and_one_change_updates_one(catalog_server, make_source, harvest):
    directory, base, requests = catalog_server
    datasets = [dataset(i) for i in range(1, 26)]
    first = write_catalog(directory, datasets, per_page=10)
    source = make_source(f"{base}/{first}")
    harvest(source["id"])
    before = {k: v["metadata_modified"] for k, v in harvested().items()}
    activities = call_action("package_activity_list", id=harvested()["293423-ds-0005@293423"]["id"])

    requests.clear()
    report = harvest(source["id"])
    assert report["stats"]["added"] == 0 and report["stats"]["updated"] == 0
    assert report["stats"]["not modified"] == 25
    assert {k: v["metadata_modified"] for k, v in harvested().items()} == before
    assert call_action("package_activity_list", id=harvested()["293423-ds-0005@293423"]["id"]) == activities
    assert [status for _, status in requests] == [304, 304, 304]  # conditional GET on every page

    datasets[4] = dataset(5, title="平群町のデータ5（改訂）")
    write_catalog(directory, datasets, per_page=10)
    report = harvest(source["id"])
    assert report["stats"]["updated"] == 1 and report["stats"]["added"] == 0, report
    after = {k: v["metadata_modified"] for k, v in harvested().items()}
    assert [k for k in after if after[k] != before[k]] == ["293423-ds-0005@293423"]
    assert harvested()["293423-ds-0005@293423"]["title"] == "平群町のデータ5（改訂）"


@pytest.mark.parametrize("policy", ["delete", "withdraw"])
def test_an_upstream_deletion_withdraws_the_local_copy(catalog_server, make_source, harvest, policy):
    directory, base, _ = catalog_server
    datasets = [dataset(i) for i in range(1, 6)]
    first = write_catalog(directory, datasets, per_page=2)
    source = make_source(f"{base}/{first}", deletion=policy)
    harvest(source["id"])

    write_catalog(directory, datasets[:2] + datasets[3:], per_page=2)  # number 3 is gone upstream
    report = harvest(source["id"])
    assert report["stats"]["deleted"] == 1, report
    gone = shown("293423-ds-0003@293423")
    if policy == "delete":
        assert gone is None or gone["state"] == "deleted"
    else:
        assert gone["private"] is True and gone["harvest_withdrawn_at"]
    public = call_action("package_search", q="*:*", rows=100)["results"]
    assert "293423-ds-0003@293423" not in {d.get("harvest_identity") for d in public}
    assert len(public) == 4

    if policy == "withdraw":  # back upstream: public again
        write_catalog(directory, datasets, per_page=2)
        report = harvest(source["id"])
        back = shown("293423-ds-0003@293423")
        assert report["stats"]["updated"] == 1, report
        assert back["private"] is False and not back["harvest_withdrawn_at"]


def test_the_same_dataset_from_two_sources_is_kept_once_the_origin_winning(
        catalog_server, make_source, harvest, sysadmin, cli):
    from ckan.cli.cli import ckan as ckan_command

    directory, base, _ = catalog_server
    nara = [dataset(i, code="292010") for i in range(1, 4)]
    write_catalog(directory, nara, per_page=10, prefix="nara")
    write_catalog(directory, nara + [dataset(9, code="293423")], per_page=10, prefix="bodik")
    nara_org = call_action("organization_create", context={"user": sysadmin["name"]}, name="292010", title="奈良市",
                           lg_code="292010")
    bodik_org = call_action("organization_create", context={"user": sysadmin["name"]}, name="bodik", title="BODIK")
    aggregator = make_source(f"{base}/bodik-1.ttl", name="bodik", org=bodik_org, role="aggregator")
    origin = make_source(f"{base}/nara-1.ttl", name="nara", org=nara_org)

    assert harvest(aggregator["id"])["stats"]["added"] == 4  # first come: the aggregator's copies
    copies = harvested("292010")
    assert len(copies) == 3  # filed under the publisher's organization, named by its code
    report = harvest(origin["id"])
    assert report["stats"]["updated"] == 3 and report["stats"]["added"] == 0, report  # the origin takes over
    assert harvested("292010").keys() == copies.keys()
    assert {d["id"] for d in harvested("292010").values()} == {d["id"] for d in copies.values()}
    report = harvest(aggregator["id"])  # the aggregator's copies are now duplicates
    assert report["stats"]["added"] == 0 and report["stats"]["updated"] == 0
    total = call_action("package_search", q="*:*", rows=0)["count"]
    assert total == 4

    result = cli.invoke(ckan_command, ["ikoma", "harvest", "duplicates"])
    assert result.exit_code == 0, result.output
    assert "292010-ds-0001@292010" in result.output and "nara" in result.output and "bodik" in result.output


def test_local_edits_are_overwritten_or_kept_as_configured(catalog_server, make_source, harvest, sysadmin):
    directory, base, _ = catalog_server
    datasets = [dataset(1), dataset(2)]
    first = write_catalog(directory, datasets)
    keep = make_source(f"{base}/{first}", local_edits="keep")
    harvest(keep["id"])
    one = harvested()["293423-ds-0001@293423"]
    # a curator's edit through the form's action, an hour "after" the harvest
    call_action("package_patch", context={"user": sysadmin["name"]}, id=one["id"], notes="職員が補足しました")
    model.Session.remove()
    pkg = model.Package.get(one["id"])
    pkg.extras["harvested_at"] = "2000-01-01T00:00:00"  # the harvest was long before the edit
    model.Session.commit()
    search.rebuild(one["id"])  # a model write is not indexed on commit (CKAN 2.12); package_show reads the index
    kept = call_action("package_show", id=one["id"])
    assert kept["harvest_identity"] == "293423-ds-0001@293423"  # the form's save kept provenance

    write_catalog(directory, [dataset(1, notes="上流で変更"), dataset(2, notes="上流で変更")])
    report = harvest(keep["id"])
    assert report["stats"]["updated"] == 1, report  # dataset 2 only
    assert call_action("package_show", id=one["id"])["notes"] == "職員が補足しました"
    messages = [e["message"] for errors in report["object_errors"].values() for e in errors["errors"]]
    assert any(m.startswith("[local_edit]") and "local_edits: keep" in m for m in messages)


def test_ikomas_own_catalog_comes_back_field_for_field(live_server, ikoma_org, create_dataset, make_source, harvest,
                                                      sysadmin):
    from dataset_examples import full_dataset_overrides

    call_action("organization_patch", context={"user": sysadmin["name"]}, id=ikoma_org["id"], lg_code="292095")
    create_dataset(name="full", **full_dataset_overrides())
    original = call_action("package_show", id="full")
    other = call_action("organization_create", context={"user": sysadmin["name"]}, name="mirror", title="ミラー")
    source = make_source(f"{live_server}/catalog.ttl", name="self", org=other, owner="source")
    report = harvest(source["id"])
    assert report["stats"]["added"] == 1 and report["stats"]["errored"] == 0, [
        e["message"] for o in report["object_errors"].values() for e in o["errors"]]
    copy = next(iter(harvested("mirror").values()))
    copy = call_action("package_show", id=copy["id"])
    assert copy["harvest_identity"] == f"{original['id']}@292095"
    skip = {"id", "name", "owner_org", "organization", "metadata_created", "metadata_modified", "revision_id",
            "creator_user_id", "resources", "num_resources", "num_tags", "relationships_as_object",
            "relationships_as_subject", "groups", "state", "private", "type", "isopen", "license_title",
            "license_url", "url", "tags", "extras"} | {k for k in copy if k.startswith("harvest")}
    for key, value in original.items():
        if key not in skip | {"keywords_en"}:
            assert copy.get(key) == value, key
    assert sorted(copy["keywords_en"].split(",")) == sorted(original["keywords_en"].split(","))  # RDF has no order
    assert sorted(t["name"] for t in copy["tags"]) == sorted(t["name"] for t in original["tags"])
    resource_skip = {"id", "package_id", "created", "metadata_modified", "last_modified", "position", "url_type",
                     "cache_url", "cache_last_updated", "datastore_active", "hash", "uri", "state",
                     "mimetype_inner", "resource_type"}
    for mine, theirs in zip(original["resources"], copy["resources"]):
        for key, value in mine.items():
            if key not in resource_skip:
                assert theirs.get(key) == value, f"resource {key}"


def objects_per_job(jobs):
    model.Session.remove()
    return [model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job_id).count()
            for job_id in jobs]


def test_an_unchanged_dataset_keeps_one_harvest_object_whatever_the_number_of_runs(
        catalog_server, make_source, harvest):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(1, title="<b>太字</b>のデータ")] + [dataset(i) for i in range(2, 6)])
    source = make_source(f"{base}/{first}")
    reports = [harvest(source["id"]) for _ in range(5)]
    # each dataset's object moves to the job that read it unchanged, with its warnings
    assert objects_per_job([r["id"] for r in reports]) == [0, 0, 0, 0, 5]
    assert model.Session.query(HarvestObject).count() == 5
    assert model.Session.query(HarvestObject).filter(HarvestObject.current.is_(True)).count() == 5
    assert reports[-1]["stats"]["not modified"] == 5
    assert [m for m in reports[-1]["object_errors"].values()] == [m for m in reports[0]["object_errors"].values()]
    assert len(harvested()) == 5


def test_the_history_of_changed_datasets_is_bounded_by_the_retention_setting(catalog_server, make_source, harvest):
    directory, base, _ = catalog_server
    source, jobs = None, []
    for run in range(5):
        first = write_catalog(directory, [dataset(i, title=f"データ{i} 第{run}版") for i in range(1, 6)])
        source = source or make_source(f"{base}/{first}")
        jobs.append(harvest(source["id"])["id"])
    assert objects_per_job(jobs) == [0, 0, 5, 5, 5]  # keep_jobs = 3 (the default)
    assert model.Session.query(HarvestObject).filter(HarvestObject.current.is_(True)).count() == 5
    assert sorted(d["title"] for d in harvested().values()) == [f"データ{i} 第4版" for i in range(1, 6)]


def test_the_neighbours_pages_list_each_source_in_japanese(catalog_server, make_source, harvest, app):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(1), dataset(2)])
    source = make_source(f"{base}/{first}", name="heguri")
    harvest(source["id"])
    index = app.get("/neighbours/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "近隣自治体のカタログ" in index and "新規 2" in index and "/neighbours/heguri" in index
    page = app.get("/neighbours/heguri").get_data(as_text=True)
    assert "前回の収集" in page and "エラーはありません" in page
    assert app.get("/neighbours/no-such-source").status_code == 404
    english = app.get("/en/neighbours/heguri").get_data(as_text=True)
    assert "Errors of the last run" in english


def test_a_ckan_site_without_dcat_is_harvested_through_its_api(live_server, ikoma_org, create_dataset, make_source,
                                                               harvest, sysadmin):
    from dataset_examples import full_dataset_overrides

    create_dataset(name="full", **full_dataset_overrides())
    for i in range(3):
        create_dataset(name=f"small-{i}", title=f"小さなデータ{i}")
    original = call_action("package_show", id="full")
    other = call_action("organization_create", context={"user": sysadmin["name"]}, name="mirror", title="ミラー")
    source = make_source(live_server, name="api", org=other, owner="source", api="ckan", publisher_code="292095",
                         page_size=2)  # three pages for four datasets, by keyset
    report = harvest(source["id"])
    assert report["stats"]["added"] == 4 and report["stats"]["errored"] == 0, report
    copy = harvested("mirror")[f"{original['id']}@292095"]
    copy = call_action("package_show", id=copy["id"])
    for key in ("title", "title_en", "notes", "notes_en", "theme", "frequency", "license_id", "issued", "modified",
                "contact_phone", "contact_email", "spatial_lg_codes", "temporal", "conforms_to", "access_rights"):
        assert copy[key] == original[key], key
    assert [r["url"] for r in copy["resources"]] == [r["url"] for r in original["resources"]]
    assert harvest(source["id"])["stats"]["not modified"] == 4  # and nothing written the second time


def test_a_curators_deletion_stands_while_the_dataset_is_unchanged_upstream(catalog_server, make_source, harvest,
                                                                          sysadmin):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(1), dataset(2)])
    source = make_source(f"{base}/{first}")
    harvest(source["id"])
    call_action("package_delete", context={"user": sysadmin["name"]}, id=harvested()["293423-ds-0001@293423"]["id"])
    report = harvest(source["id"])
    assert report["stats"]["added"] == 0 and report["stats"]["updated"] == 0, report
    assert set(harvested()) == {"293423-ds-0002@293423"}


def test_provenance_is_in_ikomas_own_dcat_output(catalog_server, make_source, harvest, app):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS

    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(7)])
    harvest(make_source(f"{base}/{first}")["id"])
    name = harvested()["293423-ds-0007@293423"]["name"]
    graph = Graph().parse(data=app.get(f"/dataset/{name}.ttl").get_data(as_text=True), format="turtle")
    [ref] = list(graph.subjects(DCTERMS.source, URIRef("https://data.example.jp/293423/dataset/0007")))
    assert list(graph.objects(ref, DCTERMS.identifier)) == [Literal("293423-ds-0007")]
    publisher = next(graph.objects(ref, DCTERMS.publisher))
    assert Literal("293423") in set(graph.objects(publisher, DCTERMS.identifier))  # same identity downstream
