"""Who may do what: every action and page of the extension (and the ckanext-harvest actions it
closes), tried as an anonymous visitor, a member of another organization, an editor of the owning
organization and a sysadmin. One table; each row is one test, each role a column."""
from __future__ import annotations

import dataclasses
import json
from typing import Callable, Optional

import pytest

import ckan.model as model
from ckan.lib import search
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectError, HarvestSource

from hosts import NEIGHBOUR_HOST
from roles import ROLES, headers_of

pytestmark = pytest.mark.usefixtures("clean_index", "clean_queues")
EVERYONE = frozenset(ROLES)
STAFF = frozenset({"editor", "sysadmin"})  # the owning organization's editor, and sysadmins
SYSADMIN = frozenset({"sysadmin"})


@dataclasses.dataclass(frozen=True)
class World:
    public: dict
    private: dict
    source: dict          # a public harvest source of the owning organization
    private_source: dict
    withdrawn: dict       # a private dataset harvested from `source`, with unmapped values and an error
    harvest_object: str


@pytest.fixture
def world(people, owner_org, make_source, create_dataset, sysadmin):
    csv = {"url": "https://example.jp/aed.csv", "name": "AED", "description": "CSV", "format": "CSV"}
    public = create_dataset(name="public-aed", resources=[csv])
    private = create_dataset(name="private-aed", private=True, resources=[csv])
    withdrawn = create_dataset(name="withdrawn-aed", title="非公開になった収集データ", private=True,
                               harvest_identity="x-1@293423", harvest_source_url="https://example.jp/catalog.ttl",
                               harvest_unmapped=json.dumps({"frequency": ["気まぐれ"]}))
    source = make_source(f"http://{NEIGHBOUR_HOST}:9/catalog.ttl", name="neighbour-public", org=owner_org)
    private_source = make_source(f"http://{NEIGHBOUR_HOST}:9/other.ttl", name="neighbour-private",
                                 org=owner_org)
    model.Session.query(model.Package).filter_by(id=private_source["id"]).update({"private": True})
    job = HarvestJob(source=HarvestSource.get(source["id"]), status="Finished")
    obj = HarvestObject(guid="x-1@293423", job=job, source=job.source, package_id=withdrawn["id"],
                        current=True, state="COMPLETE", report_status="errored", content="{}")
    model.Session.add_all([job, obj])
    model.Session.flush()
    model.Session.add(HarvestObjectError(harvest_object_id=obj.id, message="[validation] 誤り / invalid", stage="Import"))
    model.Session.commit()
    search.rebuild(private_source["id"])
    return World(public, private, source, private_source, withdrawn, obj.id)


@dataclasses.dataclass(frozen=True)
class Check:
    """A request and the roles it is allowed for. Without `shows`, allowed means 200 and refused
    means 403 or 404; with it, every role gets 200 and only the allowed ones see that text."""
    name: str
    request: Callable[[World], tuple[str, str, dict]]  # (api | page, action or path, params)
    allowed: frozenset
    shows: Optional[Callable[[World], str]] = None


def api(action, **params):
    return lambda w: ("api", action, {k: v(w) if callable(v) else v for k, v in params.items()})


def page(path):
    return lambda w: ("page", path(w), {})


MATRIX = [
    Check("ikoma_validation_show, public dataset",
          api("ikoma_validation_show", resource_id=lambda w: w.public["resources"][0]["id"]), EVERYONE),
    Check("ikoma_validation_show, private dataset",
          api("ikoma_validation_show", resource_id=lambda w: w.private["resources"][0]["id"]), STAFF),
    Check("resource page with its validation report, private dataset",
          page(lambda w: f"/dataset/private-aed/resource/{w.private['resources'][0]['id']}"), STAFF),
    Check("validation report on the resource page, public dataset",
          page(lambda w: f"/dataset/public-aed/resource/{w.public['resources'][0]['id']}"), EVERYONE,
          shows=lambda w: 'id="ikoma-validation"'),
    Check("/dataset/<public>.ttl", page(lambda w: "/dataset/public-aed.ttl"), EVERYONE),
    Check("/dataset/<private>.ttl", page(lambda w: "/dataset/private-aed.ttl"), STAFF),
    Check("/dataset/<private>.jsonld", page(lambda w: "/dataset/private-aed.jsonld"), STAFF),
    Check("/standard-datasets", page(lambda w: "/standard-datasets/"), EVERYONE),
    Check("/standard-datasets/13", page(lambda w: "/standard-datasets/13"), EVERYONE),
    Check("/neighbours lists a private source", page(lambda w: "/neighbours/"), STAFF,
          shows=lambda w: "/neighbours/neighbour-private"),
    Check("/neighbours/<public source>", page(lambda w: "/neighbours/neighbour-public"), EVERYONE),
    Check("/neighbours/<public source> names a private dataset's unmapped values",
          page(lambda w: "/neighbours/neighbour-public"), STAFF, shows=lambda w: "非公開になった収集データ"),
    Check("/neighbours/<public source> links a private dataset's error",
          page(lambda w: "/neighbours/neighbour-public"), STAFF, shows=lambda w: "/dataset/withdrawn-aed"),
    Check("/neighbours/<private source>", page(lambda w: "/neighbours/neighbour-private"), STAFF),
    Check("harvest_source_show, private source", api("harvest_source_show", id=lambda w: w.private_source["id"]),
          STAFF),
    Check("harvest_source_reindex", api("harvest_source_reindex", id=lambda w: w.source["id"]), STAFF),
    Check("harvest_sources_reindex", api("harvest_sources_reindex"), SYSADMIN),
    Check("harvest_abort_failed_jobs", api("harvest_abort_failed_jobs", life_span=7), SYSADMIN),
    Check("harvest_log_list", api("harvest_log_list"), SYSADMIN),
    Check("harvest_jobs_run", api("harvest_jobs_run", source_id=lambda w: w.source["id"]), SYSADMIN),
    Check("harvest_sources_job_history_clear", api("harvest_sources_job_history_clear"), SYSADMIN),
    Check("harvest_source_list names a private source", api("harvest_source_list"), SYSADMIN,
          shows=lambda w: w.private_source["id"]),
    Check("harvest_object_show", api("harvest_object_show", id=lambda w: w.harvest_object), STAFF),
    Check("harvest_object_show by dataset", api("harvest_object_show", dataset_id=lambda w: w.withdrawn["id"]), STAFF),
    Check("harvest_object_list of a source", api("harvest_object_list", source_id=lambda w: w.source["id"]), STAFF),
    Check("harvest_object_list of every source", api("harvest_object_list"), SYSADMIN),
    Check("harvest_job_list", api("harvest_job_list", source_id=lambda w: w.source["id"]), STAFF),
]


@pytest.mark.parametrize("check", MATRIX, ids=[c.name for c in MATRIX])
def test_authorization_matrix(app, world, people, check):
    wrong = []
    for role in ROLES:
        kind, target, params = check.request(world)
        headers = headers_of(people[role])
        if kind == "api":
            response = app.post(f"/api/3/action/{target}", json=params, headers=headers, status=None)
        else:
            response = app.get(target, headers=headers, status=None)
        allowed = role in check.allowed
        if check.shows:
            got = response.status_code == 200 and check.shows(world) in response.get_data(as_text=True)
            ok = response.status_code == 200 and got == allowed
        else:
            ok = response.status_code == 200 if allowed else response.status_code in (403, 404)
        if not ok:
            wrong.append(f"{role}: {response.status_code} ({'should be allowed' if allowed else 'should be refused'})")
    assert not wrong, f"{check.name}: " + "; ".join(wrong)
