"""How `ikoma_dcat` writes and indexes datasets (issue #15): each dataset in one database transaction,
indexed in batches after its commit (harvesters/indexing.py), and every dataset of a job in the
search index, with its visibility, once ckanext-harvest marks the job finished."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests.helpers import call_action

from catalog_factory import dataset, write_catalog
from conftest import package_trigger
from ckanext.harvest.model import HarvestObject

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

REFUSED = "書き込めないデータ"


def found(identity: str, **params) -> list[dict]:
    model.Session.remove()
    return call_action("package_search", q="*:*", fq=f'harvest_identity:"{identity}"', rows=2, **params)["results"]


@pytest.fixture
def refused_at_commit():
    """The database refuses, at COMMIT, any dataset titled REFUSED: a failure after every statement
    of the dataset's import has run (as a crash or a lost connection there would be)."""
    with package_trigger("ikoma_test_refuse",
                         f"IF NEW.title = '{REFUSED}' THEN RAISE EXCEPTION 'refused at commit'; END IF;"):
        yield


def test_a_dataset_whose_commit_fails_leaves_nothing_behind(catalog_server, make_source, harvest, refused_at_commit):
    directory, base, _ = catalog_server
    datasets = [dataset(i) for i in range(1, 13)]
    datasets[6] = dataset(7, title=REFUSED)
    first = write_catalog(directory, datasets, per_page=5)
    source = make_source(f"{base}/{first}")

    report = harvest(source["id"])
    assert report["stats"]["added"] == 11 and report["stats"]["errored"] == 1, report
    model.Session.remove()
    # nothing of it in the database: no dataset, no resource, no current object pointing anywhere
    assert model.Session.query(model.Package).filter(model.Package.title == REFUSED).count() == 0
    assert model.Session.query(model.Resource).filter(
        model.Resource.url == "https://data.example.jp/293423/files/0007.csv").count() == 0
    current = model.Session.query(HarvestObject).filter(HarvestObject.guid == "293423-ds-0007@293423",
                                                        HarvestObject.current.is_(True)).all()
    assert current == []
    assert not found("293423-ds-0007@293423", include_private=True, include_drafts=True)
    # the others are whole, and in the index as soon as the job is finished
    for number in (1, 6, 8, 12):
        hits = found(f"293423-ds-{number:04d}@293423")
        assert len(hits) == 1 and hits[0]["num_resources"] == 1
    assert call_action("package_search", q="*:*", rows=0)["count"] == 11

    # once the database accepts it, the next run imports it (its failure was not its content's)
    model.Session.execute(sa.text("DROP TRIGGER ikoma_test_refuse ON package"))
    model.Session.commit()
    report = harvest(source["id"])
    assert report["stats"]["added"] == 1, report
    assert [d["title"] for d in found("293423-ds-0007@293423")] == [REFUSED]


def test_a_harvested_update_of_a_dataset_made_private_stays_out_of_public_search(
        catalog_server, make_source, harvest, sysadmin):
    directory, base, _ = catalog_server
    datasets = [dataset(i) for i in range(1, 4)]
    first = write_catalog(directory, datasets, per_page=10)
    source = make_source(f"{base}/{first}")
    harvest(source["id"])
    kept = found("293423-ds-0002@293423")[0]
    call_action("package_patch", context={"user": sysadmin["name"]}, id=kept["id"], private=True)

    datasets[1] = dataset(2, title="平群町のデータ2（改訂）")
    write_catalog(directory, datasets, per_page=10)
    report = harvest(source["id"])
    assert report["stats"]["updated"] == 1, report
    assert found("293423-ds-0002@293423") == []  # anonymous search: not there
    model.Session.remove()
    anonymous = call_action("package_search", context={"user": "", "ignore_auth": False}, q="*:*", rows=10,
                            include_private=True)["results"]
    assert "293423-ds-0002@293423" not in {d.get("harvest_identity") for d in anonymous}
    hits = call_action("package_search", context={"user": sysadmin["name"]}, q="*:*",
                       fq='harvest_identity:"293423-ds-0002@293423"', include_private=True)["results"]
    assert [(d["title"], d["private"]) for d in hits] == [("平群町のデータ2（改訂）", True)]


def test_datasets_added_in_a_run_that_also_withdraws_are_found_when_it_finishes(catalog_server, make_source, harvest):
    """The withdrawals are the job's last objects: the datasets written before them are indexed
    in the import of the last one, which writes nothing itself."""
    directory, base, _ = catalog_server
    datasets = [dataset(i) for i in range(1, 6)]
    first = write_catalog(directory, datasets, per_page=10)
    source = make_source(f"{base}/{first}", deletion="withdraw")
    harvest(source["id"])

    write_catalog(directory, datasets[:2] + datasets[3:] + [dataset(6), dataset(7)], per_page=10)
    report = harvest(source["id"])
    assert report["stats"]["added"] == 2 and report["stats"]["deleted"] == 1, report
    assert [d["title"] for d in found("293423-ds-0006@293423")] == ["平群町のデータ6"]
    assert [d["title"] for d in found("293423-ds-0007@293423")] == ["平群町のデータ7"]
    assert found("293423-ds-0003@293423") == []  # withdrawn: private, out of public search


def test_a_distribution_moved_upstream_is_found_at_its_new_url(catalog_server, make_source, harvest):
    """A resource URL changed: on CKAN 2.11 the dataset is then indexed at its commit, as CKAN does,
    so that the plugins listening for URL changes hear of it; either way search has the new URL."""
    directory, base, _ = catalog_server
    datasets = [dataset(i) for i in range(1, 3)]
    first = write_catalog(directory, datasets, per_page=10)
    source = make_source(f"{base}/{first}")
    harvest(source["id"])

    moved = "https://data.example.jp/293423/files/0001-v2.csv"
    datasets[0] = dataset(1, distributions=[(moved, "CSV", "CSVファイル")])
    write_catalog(directory, datasets, per_page=10)
    report = harvest(source["id"])
    assert report["stats"]["updated"] == 1, report
    model.Session.remove()
    hits = call_action("package_search", q="*:*", fq=f'res_url:"{moved}"', rows=2)["results"]
    assert [d["harvest_identity"] for d in hits] == ["293423-ds-0001@293423"]


def test_the_identity_lookup_is_an_index_lookup(catalog_server, make_source, harvest):
    """find_holders runs for every page and every imported dataset: with migration 0007 PostgreSQL
    can answer it from the identity index, whatever the number of datasets on the site (planned
    with sequential scans off, so that the plan shows whether the index fits the query at all)."""
    from ckanext.ikoma.harvesters.store import find_holders, holders_query

    directory, base, _ = catalog_server
    harvest(make_source(f"{base}/{write_catalog(directory, [dataset(1), dataset(2)])}")["id"])
    identities = ["293423-ds-0001@293423", "293423-ds-0002@293423", "nowhere@000000"]
    assert sorted(find_holders(identities)) == identities[:2]
    query = holders_query(identities)
    sql = str(query.statement.compile(dialect=model.Session.bind.dialect, compile_kwargs={"literal_binds": True}))
    connection = model.Session.connection()
    connection.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(row[0] for row in connection.execute(sa.text("EXPLAIN " + sql)))
    model.Session.rollback()
    assert "ikoma_harvest_identity_idx" in plan, plan
