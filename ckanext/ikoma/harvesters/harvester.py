"""`ikoma_dcat`: ckanext-dcat's DCAT RDF harvester, made safe and incremental for neighbours' catalogs.

What it adds to the stock `dcat_rdf` harvester (see README "Harvesting"):
- per-source configuration checked with clear errors (harvesters/config.py), including the RDF
  profiles to parse with, timeouts, size limits, retries and the hosts a source may reach
  (harvesters/fetch.py);
- one identity per dataset across all sources, `<original identifier>@<全国地方公共団体コード>`;
  when two sources bring the same dataset, the origin municipality wins over the prefecture, which
  wins over an aggregator; the other copy is recorded as a duplicate (`ckan ikoma harvest duplicates`);
- change detection: a content hash per dataset (an unchanged dataset is not written: no
  package_update, no activity) and conditional GET per catalog page;
- provenance on each dataset (identity, original URI, catalog, harvest time), shown on its page and
  written back into Ikoma's own DCAT output;
- upstream deletions delete or withdraw (make private) the local copy, per source;
- harvest_object rows bounded by `ckanext.ikoma.harvest.keep_jobs`.

Every error is recorded on the job or on the object as "[kind] 日本語 / English"; one bad dataset
never stops the others, and a catalog that cannot be read completely withdraws nothing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import logging
import uuid
from typing import Any, Iterable, Optional
from urllib.parse import urljoin

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit
from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import (
    HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError, HarvestObjectExtra, HarvestSource,
)

from ckanext.ikoma import vocabularies
from ckanext.ikoma.compat import extra_value
from ckanext.ikoma.profiles import installed_profiles
from ckanext.ikoma.harvesters.config import ROLES, ConfigError, SourceConfig, parse_config
from ckanext.ikoma.net.content import has_xml_entity_declarations, looks_like_html
from ckanext.ikoma.net.fetch import FetchError, fetch
from ckanext.ikoma.net.site import private_allowlist
from ckanext.ikoma.harvesters.mapping import (
    Harvested, HarvestWarning, MappingError, ckan_search_url, dataset_name, fill_contact, from_ckan_package,
    map_dataset,
)
from ckanext.ikoma.model import HarvestPage
from ckanext.ikoma.harvesters.records import (  # noqa: F401 (error_kind: read by the harvest report)
    add_warnings, carry_errored, copy_errors, error_kind, error_text, errored_object,
)
from ckanext.ikoma.jp.errors import message

log = logging.getLogger(__name__)

HARVESTER_NAME = "ikoma_dcat"
LOCAL_EDIT_GRACE = dt.timedelta(seconds=60)  # a save this long after the harvest's is a curator's
MAX_PAGES = 10_000
RDF_MEDIA_TYPES = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/rdf+xml": "xml",
                   "application/xml": "xml", "text/xml": "xml", "application/ld+json": "json-ld",
                   "application/json": "json-ld", "application/n-triples": "nt", "text/n3": "n3",
                   "application/trig": "trig", "application/n-quads": "nquads"}


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


@dataclasses.dataclass
class Holder:
    """A dataset already in CKAN under an identity, and which source (if any) holds it."""
    package_id: str
    state: str
    content_hash: str
    withdrawn: bool
    source_id: Optional[str]


class IkomaDCATHarvester(DCATRDFHarvester):
    plugins.implements(IHarvester)  # CKAN plugins do not inherit their interfaces

    def __new__(cls, *args, **kwargs):
        # SingletonPlugin finds its instance with hasattr(cls, "_instance"), which is the parent's
        # once dcat_rdf_harvester is loaded: this class would be that plugin again.
        if "_instance" not in cls.__dict__:
            cls._instance = object.__new__(cls)
        return cls._instance

    def info(self):
        return {
            "name": HARVESTER_NAME,
            "title": "DCAT（生駒市・近隣自治体） / DCAT (Ikoma, neighbours)",
            "description": ("近隣自治体のDCATカタログを収集します。識別子の重複排除、変更検出、来歴の記録に対応。"
                            " / Harvests neighbours' DCAT catalogs with cross-source identities, change "
                            "detection and provenance."),
        }

    # ---------------------------------------------------------------- configuration

    def validate_config(self, source_config):
        parse_config(source_config, known_profiles=installed_profiles())  # ConfigError is a ValueError
        return source_config

    @staticmethod
    def _config(source: HarvestSource) -> SourceConfig:
        return parse_config(source.config, known_profiles=installed_profiles())

    @staticmethod
    def _source_code(source: HarvestSource) -> Optional[str]:
        """The 全国地方公共団体コード of the source's organization (neighbours are named by it)."""
        package = model.Package.get(source.id)
        org = model.Group.get(package.owner_org) if package is not None and package.owner_org else None
        if org is None:
            return None
        code = (org.extras or {}).get("lg_code") or (org.name if org.name.isdigit() and len(org.name) == 6 else None)
        return code

    def _role(self, source: HarvestSource, config: Optional[SourceConfig] = None) -> str:
        if config is None:
            try:
                config = self._config(source)
            except ConfigError:
                config = SourceConfig()
        if config.role:
            return config.role
        return neighbour_roles().get(self._source_code(source), "origin")

    def _role_of(self, source_id: str) -> str:
        source = HarvestSource.get(source_id)
        return self._role(source) if source else "aggregator"

    # ---------------------------------------------------------------- gather

    def gather_stage(self, harvest_job):
        source = harvest_job.source
        try:
            config = self._config(source)
        except ConfigError as error:
            HarvestGatherError.create(error_text("config", error.ja, error.en), harvest_job)
            return []
        prune_history(source.id)
        gather = _Gather(self, harvest_job, config)
        try:
            return gather.run()
        except Exception as error:  # never leave a job without a word on what happened
            log.exception("ikoma_dcat gather failed")
            model.Session.rollback()
            HarvestGatherError.create(error_text("internal", f"収集中に予期しないエラーが発生しました（{error!r}）",
                                                 f"unexpected error while gathering ({error!r})"), harvest_job)
            return []

    def fetch_stage(self, harvest_object):
        return True  # the content came with the catalog page

    # ---------------------------------------------------------------- import

    def import_stage(self, harvest_object):
        source = harvest_object.source or harvest_object.job.source
        try:
            config = self._config(source)
        except ConfigError as error:
            self._object_error(harvest_object, "config", error.ja, error.en)
            return False
        if self._get_object_extra(harvest_object, "status") == "delete":
            return self._withdraw(harvest_object, config)
        if not harvest_object.content:
            self._object_error(harvest_object, "internal", "内容が空です", "the object has no content")
            return False
        harvested = Harvested.from_json(harvest_object.content)
        try:
            return self._import(harvest_object, source, config, harvested)
        except Exception as error:
            log.exception("ikoma_dcat import failed")
            model.Session.rollback()
            self._object_error(harvest_object, "internal", f"取り込み中に予期しないエラーが発生しました（{error!r}）",
                               f"unexpected error while importing ({error!r})")
            return False

    def _object_error(self, harvest_object, kind: str, ja: str, en: str) -> None:
        HarvestObjectError.create(error_text(kind, ja, en), harvest_object, "Import")

    def _context(self) -> dict[str, Any]:
        # ikoma_harvest: the schema fills no value the source did not give (a distribution's date)
        return {"user": self._get_user_name(), "ignore_auth": True, "return_id_only": True, "ikoma_harvest": True}

    def _import(self, harvest_object, source, config: SourceConfig, harvested: Harvested):
        holder = find_holders([harvested.identity]).get(harvested.identity)
        if kept_elsewhere(holder, source.id, self._role(source, config), self._role_of):
            _add_extra(harvest_object, "duplicate_of", holder.package_id)
            harvest_object.package_id = None
            harvest_object.add()
            model.Session.commit()
            return "unchanged"

        existing = (toolkit.get_action("package_show")({"ignore_auth": True}, {"id": holder.package_id})
                    if holder else None)
        if existing and config.local_edits == "keep" and _edited_locally(existing):
            self._object_error(
                harvest_object, "local_edit",
                "このデータセットは収集後に職員が編集しているため、収集元の変更を反映しませんでした（local_edits: keep）",
                "not updated: a curator edited this dataset after it was harvested (local_edits: keep)")
            return "unchanged"

        owner_org = (model.Package.get(source.id).owner_org if config.owner == "source"
                     else organization_for(harvested.publisher_code, source))
        dataset, unmapped = dict(harvested.dataset), {k: list(v) for k, v in harvested.unmapped.items()}
        warnings = list(harvested.warnings)
        for _attempt in range(3):
            error = self._write(harvest_object, harvested, existing, owner_org, dataset, unmapped)
            if error is None:
                break
            # the policy: an optional value the schema refuses is left out, kept raw and warned
            # about; a dataset is rejected only for its title or its identity
            left_out = leave_out_invalid(dataset, unmapped, error)
            if not left_out:
                self._object_error(harvest_object, "validation", *validation_messages(error))
                return False
            warnings.extend(left_out)
            fill_contact(dataset, harvested.original_uri or harvested.identity.rsplit("@", 1)[0])
        else:
            self._object_error(harvest_object, "validation", *validation_messages(error))
            return False
        add_warnings(harvest_object, warnings, harvested.original_uri or harvested.identity)
        model.Session.commit()
        return True

    def _write(self, harvest_object, harvested: Harvested, existing, owner_org: str, values: dict[str, Any],
               unmapped: dict[str, list[str]]):
        """package_create or package_update of the dataset; the ValidationError, rolled back, if
        the schema refuses a value (nothing of this dataset is written; what was there stays)."""
        dataset = dict(values, resources=[dict(r) for r in values.get("resources", [])])
        dataset.update(
            harvest_identity=harvested.identity, harvest_original_uri=harvested.original_uri,
            harvest_source_url=harvest_object.source.url if harvest_object.source else harvest_object.job.source.url,
            harvested_at=_now().isoformat(timespec="seconds"), harvest_content_hash=harvested.content_hash,
            harvest_unmapped=json.dumps(unmapped, ensure_ascii=False) if unmapped else "",
            harvest_raw_values=json.dumps(harvested.raw_values, ensure_ascii=False) if harvested.raw_values else "",
            harvest_withdrawn_at="", owner_org=owner_org,
        )
        context = self._context()
        # current before the dataset is written, in the same transaction (a change to the harvest
        # object after the dataset's commit would index the dataset a second time)
        _make_current(harvest_object)
        try:
            if existing:
                dataset["id"], dataset["name"] = existing["id"], existing["name"]
                dataset["state"] = "active"
                # a copy we withdrew comes back public; one a curator made private stays private
                dataset["private"] = False if existing.get("harvest_withdrawn_at") else existing.get("private", False)
                _keep_resource_ids(dataset, existing)
                harvest_object.package_id = existing["id"]
                harvest_object.add()
                toolkit.get_action("package_update")(context, dataset)
            else:
                dataset["id"] = str(uuid.uuid4())
                dataset["name"] = dataset_name(harvested.identity, lambda n: model.Package.get(n) is not None)
                dataset["private"] = False
                harvest_object.package_id = dataset["id"]
                harvest_object.add()
                # the harvest plugin indexes the dataset with its harvest object: defer the key check
                model.Session.execute(sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED"))
                model.Session.flush()
                toolkit.get_action("package_create")(context, dataset)
        except toolkit.ValidationError as error:
            model.Session.rollback()
            return error
        return None

    def _withdraw(self, harvest_object, config: SourceConfig):
        """The dataset left the upstream catalog: delete the copy, or withdraw it (private, dated)."""
        harvest_object.current = False
        harvest_object.add()
        context = self._context()
        try:
            if config.deletion == "delete":
                toolkit.get_action("package_delete")(context, {"id": harvest_object.package_id})
            else:
                toolkit.get_action("package_patch")(context, {
                    "id": harvest_object.package_id, "private": True,
                    "harvest_withdrawn_at": _now().isoformat(timespec="seconds")})
        except toolkit.ObjectNotFound:
            pass  # already gone
        except toolkit.ValidationError as error:
            model.Session.rollback()
            self._object_error(harvest_object, "validation", *validation_messages(error))
            return False
        model.Session.commit()
        return True


# ---------------------------------------------------------------- gather, page by page

class _Gather:
    def __init__(self, harvester: IkomaDCATHarvester, job, config: SourceConfig):
        self.harvester, self.job, self.config = harvester, job, config
        self.source = job.source
        self.source_code = harvester._source_code(self.source)
        self.role = harvester._role(self.source, config)
        self.config_hash = hashlib.sha256(json.dumps([self.source.config or "", self.source.url]).encode()).hexdigest()
        self.pages = HarvestPage.for_source(self.source.id)
        # a page unchanged since the last run is not read again, whatever that run's errors: the
        # datasets that failed on it fail again (carried over), unless the failure was ours
        self.previous_job_id = _previous_job_id(self.source.id, job.id)
        self.policy = config.fetch_policy(self.source.url, private_allowlist())
        self.seen: dict[str, str] = {}  # identity: the URI of the copy kept
        self.page_errors: list[str] = []  # guids of the objects in error for the page being read
        self.unreadable = False  # a dataset without a known identity failed: withdraw nothing
        self.object_ids: list[str] = []
        self.roles: dict[str, str] = {}

    def error(self, kind: str, ja: str, en: str) -> None:
        HarvestGatherError.create(error_text(kind, ja, en), self.job)

    def run(self) -> list[str]:
        url: Optional[str] = (ckan_search_url(self.source.url, self.config.page_size) if self.config.api == "ckan"
                              else self.source.url)
        visited: set[str] = set()
        complete = True
        while url:
            if url in visited or len(visited) >= MAX_PAGES:
                self.error("paging", f"ページのリンクが循環しています（{url}）", f"the page links loop back to {url}")
                break
            visited.add(url)
            next_url = self.page(url)
            if next_url is False:  # the page could not be read: the catalog is incomplete
                complete = False
                break
            url = next_url
        if complete and not self.unreadable:
            self.object_ids.extend(self.withdraw_missing())
        else:
            self.error("incomplete", "カタログを最後まで読めなかったため、削除の判定はしていません",
                       "the catalog could not be read to its end, so no dataset was withdrawn")
        return self.object_ids

    def page(self, url: str):
        """Read one page; returns the next page's URL, None at the end, False if it failed."""
        known = self.pages.get(url)
        recorded = read_page_record(known.identities) if known is not None else {"datasets": {}, "errors": []}
        failed_guids = list(recorded["datasets"]) + recorded["errors"]
        use_validators = (known is not None and known.config_hash == self.config_hash
                          and not _failed_on_our_side(self.previous_job_id, failed_guids))
        try:
            result = fetch(url, self.policy, etag=known.etag if use_validators else None,
                           last_modified=known.last_modified if use_validators else None)
        except FetchError as error:
            self.error(error.kind, error.ja, error.en)
            return False
        if result.status == 304 or (use_validators and _sha(result.content) == known.content_hash):
            uris = recorded["datasets"]
            self.seen.update(uris)
            holders = find_holders(list(uris))
            duplicates = [(i, h.package_id, uris[i] or "") for i, h in holders.items()
                          if h.source_id and h.source_id != self.source.id]
            self.record_unchanged(list(uris))
            self.record_duplicates(duplicates)
            carry_errored(self.job, self.source.id, self.previous_job_id, failed_guids)
            if recorded["errors"]:  # a dataset of the page could not be read: withdraw nothing, as then
                self.unreadable = True
            return known.next_url
        if self.config.api == "ckan":
            entries, next_url = self.ckan_page(url, result.content)
        else:
            entries, next_url = self.rdf_page(url, result)
        if entries is None:
            return False
        self.page_errors = []
        uris = self.datasets(entries)
        row = known or HarvestPage(source_id=self.source.id, url=url)
        row.etag, row.last_modified = result.etag, result.last_modified
        row.content_hash, row.config_hash, row.next_url = _sha(result.content), self.config_hash, next_url
        row.identities = json.dumps({"datasets": uris, "errors": self.page_errors}, ensure_ascii=False)
        row.fetched = _now()
        model.Session.add(row)
        model.Session.commit()
        return next_url

    def rdf_page(self, url: str, result):
        """(the page's datasets, next page URL), or (None, None) when the page cannot be read."""
        if looks_like_html(result.content, result.content_type):
            self.error("not_rdf", f"RDFではなくHTMLが返されました（{url}）", f"{url} answered HTML, not RDF")
            return None, None
        if has_xml_entity_declarations(result.content):
            self.error("entity", f"XMLの実体宣言（<!ENTITY>）を含むため読みません（{url}）",
                       f"{url} declares XML entities (<!ENTITY>), which are refused")
            return None, None
        from ckanext.dcat.processors import RDFParser

        parser = RDFParser(profiles=list(self.config.profiles))
        rdf_format = self.config.rdf_format or rdf_format_for(result.content_type, url, result.content)
        try:
            text = result.content.decode("utf-8")
            parser.parse(text, _format=rdf_format)
        except Exception as error:
            self.error("parse", f"RDFとして読めません（{url}：{_short(error)}）", f"{url} is not readable RDF ({_short(error)})")
            return None, None
        next_link = parser.next_page()
        return list(parse_each(parser)), urljoin(url, str(next_link)) if next_link else None

    def ckan_page(self, url: str, content: bytes):
        """A page of a CKAN site's package_search, as the RDF parser would give its datasets."""
        try:
            answer = json.loads(content.decode("utf-8"))["result"]
            packages, count = list(answer["results"]), int(answer["count"])
        except Exception as error:
            self.error("parse", f"CKAN APIの応答として読めません（{url}：{_short(error)}）",
                       f"{url} is not a CKAN package_search answer ({_short(error)})")
            return None, None
        site_url = url.split("/api/3/action/package_search", 1)[0]
        entries = []
        for package in packages:
            try:
                entries.append((package.get("name") or package.get("id"), from_ckan_package(package, site_url)))
            except Exception as error:
                entries.append((str(package.get("name") or package.get("id")), error))
        last = packages[-1] if packages else {}
        more = len(packages) < count and last.get("metadata_created") and last.get("id")
        return entries, ckan_search_url(site_url, self.config.page_size,
                                        (last["metadata_created"], last["id"])) if more else None

    def datasets(self, entries) -> dict[str, str]:
        """One harvest object per new or changed dataset on the page; {identity: URI} of those on it."""
        mapped: list[Harvested] = []
        candidates: list[Harvested] = []
        for ref, parsed in entries:
            if isinstance(parsed, Exception):  # one dataset the profiles cannot read: say so, go on
                self.unreadable = True
                self.object_error(str(ref), "parse", f"データセットを読めません（{_short(parsed)}）",
                                  f"the dataset could not be read ({_short(parsed)})")
                continue
            try:
                candidates.append(map_dataset(parsed, fixed_code=self.config.publisher_code,
                                              fallback_code=self.source_code, defaults=self.config.defaults))
            except MappingError as error:
                self.unreadable = True
                self.object_error(parsed.get("title") or "", "mapping", error.ja, error.en)
        # RDF has no order: of two datasets with one identifier, the one with the smaller URI is
        # kept, so that every run keeps the same one
        for harvested in sorted(candidates, key=lambda h: (h.identity, h.original_uri)):
            if harvested.identity in self.seen:
                kept = self.seen[harvested.identity] or harvested.identity
                params = dict(identity=harvested.identity, kept=kept, left_out=harvested.original_uri)
                self.object_error(harvested.identity, "duplicate_identifier",
                                  message("harvest_duplicate_identifier", "ja", **params),
                                  message("harvest_duplicate_identifier", "en", **params),
                                  extras={"kept_uri": kept, "original_uri": harvested.original_uri})
                continue
            self.seen[harvested.identity] = harvested.original_uri
            mapped.append(harvested)

        holders = find_holders([h.identity for h in mapped])
        unchanged, duplicates = [], []
        for harvested in mapped:
            holder = holders.get(harvested.identity)
            if kept_elsewhere(holder, self.source.id, self.role, self.role_of):
                duplicates.append((harvested.identity, holder.package_id, harvested.original_uri))
                continue
            # unchanged upstream: not written, whatever its state here (a curator's deletion stands);
            # a copy this harvester withdrew or deleted has no current object, so it comes back
            if (holder and holder.source_id == self.source.id and holder.content_hash == harvested.content_hash
                    and not holder.withdrawn):
                unchanged.append(harvested.identity)
                continue
            obj = HarvestObject(guid=harvested.identity, job=self.job, content=harvested.to_json())
            model.Session.add(obj)
            model.Session.flush()
            self.object_ids.append(obj.id)
        model.Session.commit()
        self.record_unchanged(unchanged)
        self.record_duplicates(duplicates)
        return {h.identity: h.original_uri for h in mapped}

    def role_of(self, source_id: str) -> str:
        if source_id not in self.roles:  # a page holds many datasets of few sources
            self.roles[source_id] = self.harvester._role_of(source_id)
        return self.roles[source_id]

    def object_error(self, guid: str, kind: str, ja: str, en: str, extras: Optional[dict[str, str]] = None) -> None:
        """An error that belongs to one dataset: an object in ERROR, so the job report lists it."""
        errored_object(self.job, self.source.id, guid, [error_text(kind, ja, en)], extras=extras)
        self.page_errors.append(guid)

    def record_unchanged(self, identities: Iterable[str]) -> None:
        """Unchanged datasets are not queued: their objects are written here, complete and current,
        in one statement (a re-run of an unchanged catalog writes no dataset at all)."""
        identities = list(identities)
        if not identities:
            return
        rows = model.Session.query(HarvestObject.guid, HarvestObject.package_id, HarvestObject.id).filter(
            HarvestObject.current.is_(True), HarvestObject.harvest_source_id == self.source.id,
            HarvestObject.guid.in_(identities)).all()
        current = {guid: package_id for guid, package_id, _ in rows}
        if not current:
            return
        new_ids = {guid: str(uuid.uuid4()) for guid in current}
        old_to_new = {old_id: new_ids[guid] for guid, _, old_id in rows}
        model.Session.query(HarvestObject).filter(
            HarvestObject.current.is_(True), HarvestObject.harvest_source_id == self.source.id,
            HarvestObject.guid.in_(list(current))).update({"current": False}, synchronize_session=False)
        now = _now()
        model.Session.bulk_insert_mappings(HarvestObject, [
            {"id": new_ids[guid], "guid": guid, "current": True, "package_id": package_id, "state": "COMPLETE",
             "report_status": "not modified", "harvest_job_id": self.job.id, "harvest_source_id": self.source.id,
             "gathered": now, "import_finished": now}
            for guid, package_id in current.items()])
        copy_errors(old_to_new, warnings_only=True)  # an unchanged dataset keeps its warnings
        model.Session.commit()

    def record_duplicates(self, duplicates: list[tuple[str, str, str]]) -> None:
        """(identity, package kept, this source's URI of it) of the datasets another source holds."""
        now = _now()
        for identity, package_id, uri in duplicates:
            obj = HarvestObject(guid=identity, job=self.job, state="COMPLETE", report_status="not modified",
                                harvest_source_id=self.source.id, gathered=now, import_finished=now,
                                extras=[HarvestObjectExtra(key="duplicate_of", value=package_id),
                                        HarvestObjectExtra(key="original_uri", value=uri)])
            model.Session.add(obj)
        model.Session.commit()

    def withdraw_missing(self) -> list[str]:
        """Objects flagged for deletion for this source's datasets that are no longer upstream."""
        held = model.Session.query(HarvestObject.guid, HarvestObject.package_id).filter(
            HarvestObject.current.is_(True), HarvestObject.harvest_source_id == self.source.id)
        ids = []
        for guid, package_id in held:
            if guid in self.seen or not package_id:
                continue
            obj = HarvestObject(guid=guid, job=self.job, package_id=package_id,
                                extras=[HarvestObjectExtra(key="status", value="delete")])
            model.Session.query(HarvestObject).filter_by(guid=guid, current=True).update({"current": False}, False)
            obj.save()
            ids.append(obj.id)
        return ids


# ---------------------------------------------------------------- shared lookups

def parse_each(parser):
    """(dataset URI, dataset dict or the exception) for each dataset of the parsed graph. What
    RDFParser.datasets() does, one dataset at a time: its generator dies with the first dataset a
    profile cannot read, and every dataset after it would be lost."""
    for dataset_ref in parser._datasets():
        dataset_dict: dict[str, Any] = {}
        try:
            for profile_class in parser._profiles:
                profile_class(parser.g, dataset_type=parser.dataset_type,
                              compatibility_mode=parser.compatibility_mode).parse_dataset(dataset_dict, dataset_ref)
        except Exception as error:
            yield dataset_ref, error
            continue
        yield dataset_ref, dataset_dict


def outranks(role: str, other: str) -> bool:
    """Whether a copy from a source of `role` replaces one from `other` (ties keep the first)."""
    return ROLES.index(role) < ROLES.index(other)


def kept_elsewhere(holder: Optional[Holder], source_id: str, role: str, role_of) -> bool:
    """Whether the dataset is held by another source that this one (of `role`) does not outrank:
    this source's copy is then a duplicate."""
    return bool(holder and holder.source_id and holder.source_id != source_id
                and not outranks(role, role_of(holder.source_id)))


@functools.lru_cache(maxsize=1)
def neighbour_roles() -> dict[str, str]:
    """{code: role} of vocab/neighbours.yaml, read once per process."""
    from ckanext.ikoma.neighbours import load_neighbours

    return {neighbour.code: neighbour.role for neighbour in load_neighbours()}


def find_holders(identities: list[str]) -> dict[str, Holder]:
    """The datasets already harvested under these identities (active before deleted)."""
    if not identities:
        return {}
    query = model.Session.query(model.Package.id, model.Package.state)
    query, identity = extra_value(query, model.Package, "harvest_identity")
    query, digest = extra_value(query, model.Package, "harvest_content_hash", outer=True)
    query, withdrawn = extra_value(query, model.Package, "harvest_withdrawn_at", outer=True)
    rows = query.add_columns(identity, digest, withdrawn).filter(identity.in_(identities)).all()
    current = dict(model.Session.query(HarvestObject.guid, HarvestObject.harvest_source_id).filter(
        HarvestObject.current.is_(True), HarvestObject.guid.in_(identities)))
    holders: dict[str, Holder] = {}
    for package_id, state, ident, content_hash, withdrawn_at in rows:
        if ident in holders and holders[ident].state == "active":
            continue
        holders[ident] = Holder(package_id, state, content_hash or "", bool(withdrawn_at), current.get(ident))
    return holders


def organization_for(code: str, source: HarvestSource) -> str:
    """The organization named by the publisher's code, created from the code list when missing
    (as BODIK files data under its publisher); otherwise the source's own organization."""
    org = model.Group.get(code)
    if org is not None and org.state == "active" and org.is_organization:
        return org.id
    query, lg_code = extra_value(model.Session.query(model.Group.id), model.Group, "lg_code")
    by_code = query.filter(lg_code == code, model.Group.state == "active", model.Group.is_organization.is_(True)).first()
    if by_code:
        return by_code[0]
    government = vocabularies.local_governments().get(code)
    if government is None:
        return model.Package.get(source.id).owner_org
    site_user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    created = toolkit.get_action("organization_create")({"user": site_user, "ignore_auth": True}, {
        "name": code, "title": government.full_name, "title_en": government.name_en, "lg_code": code})
    return created["id"]


def _keep_resource_ids(dataset: dict[str, Any], existing: dict[str, Any]) -> None:
    """Resources keep their ids (and so their URLs and validation reports) when matched by URI or URL."""
    by_key = {}
    for resource in existing.get("resources", []):
        for key in (resource.get("uri"), resource.get("url")):
            if key:
                by_key.setdefault(key, resource["id"])
    for resource in dataset.get("resources", []):
        match = by_key.get(resource.get("uri")) or by_key.get(resource.get("url"))
        if match:
            resource["id"] = match


def _edited_locally(existing: dict[str, Any]) -> bool:
    try:
        harvested = dt.datetime.fromisoformat(existing.get("harvested_at") or "")
        modified = dt.datetime.fromisoformat(existing["metadata_modified"])
    except (ValueError, KeyError):
        return False
    return modified - harvested > LOCAL_EDIT_GRACE


def _make_current(harvest_object) -> None:
    model.Session.query(HarvestObject).filter(
        HarvestObject.guid == harvest_object.guid, HarvestObject.current.is_(True),
        HarvestObject.id != harvest_object.id).update({"current": False}, synchronize_session=False)
    harvest_object.current = True
    harvest_object.add()


def _add_extra(harvest_object, key: str, value: str) -> None:
    model.Session.add(HarvestObjectExtra(harvest_object_id=harvest_object.id, key=key, value=value))


def _previous_job_id(source_id: str, job_id: str) -> Optional[str]:
    previous = (model.Session.query(HarvestJob.id).filter(HarvestJob.source_id == source_id, HarvestJob.id != job_id)
                .order_by(HarvestJob.created.desc()).first())
    return previous[0] if previous else None


def _failed_on_our_side(previous_job_id: Optional[str], guids: list[str]) -> bool:
    """Whether a dataset of the page failed last time for a reason of ours, not of its content (an
    unexpected error): then the page is read again, so that it is retried."""
    if not previous_job_id or not guids:
        return False
    return bool(model.Session.query(HarvestObject.id)
                .join(HarvestObjectError, HarvestObjectError.harvest_object_id == HarvestObject.id)
                .filter(HarvestObject.harvest_job_id == previous_job_id, HarvestObject.guid.in_(guids),
                        HarvestObjectError.message.like("[internal]%")).first())


def read_page_record(text: Optional[str]) -> dict[str, Any]:
    """What a catalog page held when it was last read: {"datasets": {identity: URI}, "errors":
    [guids of the objects in error]}. Pages read before URIs were kept hold a list of identities."""
    loaded = json.loads(text or "[]")
    if isinstance(loaded, list):
        return {"datasets": dict.fromkeys(loaded, ""), "errors": []}
    return {"datasets": dict(loaded.get("datasets") or {}), "errors": list(loaded.get("errors") or [])}


IDENTITY_FIELDS = {"title", "name", "id", "owner_org"}  # refused: the dataset is, not one value


def leave_out_invalid(dataset: dict[str, Any], unmapped: dict[str, list[str]], error) -> list[HarvestWarning]:
    """Take the values the schema refused out of `dataset` into `unmapped`, one warning each; []
    when one cannot be left out (the title, the identity, or a required value already missing)."""
    warnings = []
    for field, messages in (error.error_dict or {}).items():
        if field in IDENTITY_FIELDS or field.startswith("harvest_"):
            return []
        if field == "resources" and isinstance(messages, list):
            for position, resource_errors in enumerate(messages):
                for key, texts in (resource_errors or {}).items():
                    resource = dataset["resources"][position] if position < len(dataset.get("resources", [])) else {}
                    if key in ("url",) or not _present(resource.get(key)):
                        return []
                    value = str(resource.pop(key))
                    unmapped.setdefault(f"resources.{key}", []).append(value)
                    warnings.append(HarvestWarning("harvest_value_invalid", f"resources[{position + 1}].{key}", value,
                                                   "; ".join(map(str, texts))))
        elif field == "tags" and isinstance(messages, list):
            tags = dataset.get("tags") or []
            refused = [i for i, tag_errors in enumerate(messages) if tag_errors and i < len(tags)]
            if not refused:
                return []
            for i in refused:
                value = tags[i].get("name", "")
                unmapped.setdefault("tags", []).append(value)
                warnings.append(HarvestWarning("harvest_value_invalid", "tags", value, _flat(messages[i])))
            dataset["tags"] = [t for i, t in enumerate(tags) if i not in refused]
        else:
            if not _present(dataset.get(field)):
                return []
            value = dataset.pop(field)
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            unmapped.setdefault(field, []).append(text)
            warnings.append(HarvestWarning("harvest_value_invalid", field, text, _flat(messages)))
    return warnings


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def _flat(messages: Any) -> str:
    if isinstance(messages, dict):
        return "; ".join(_flat(v) for v in messages.values())
    if isinstance(messages, list):
        return "; ".join(_flat(v) for v in messages)
    return str(messages)


def validation_messages(error) -> tuple[str, str]:
    """A package validation error as one ja and one en line naming the fields."""
    parts = []
    for field, messages in (error.error_dict or {}).items():
        if field == "resources" and isinstance(messages, list):
            for position, resource_errors in enumerate(messages, 1):
                for key, texts in (resource_errors or {}).items():
                    parts.append(f"resources[{position}].{key}: {'; '.join(map(str, texts))}")
        else:
            texts = messages if isinstance(messages, list) else [messages]
            parts.append(f"{field}: {'; '.join(map(str, texts))}")
    detail = " | ".join(parts)
    return f"項目の値が正しくありません（{detail}）", f"invalid field values ({detail})"


def rdf_format_for(content_type: Optional[str], url: str, content: bytes) -> str:
    """The rdflib format of a page: its media type, else its file extension, else its first byte
    (static servers often answer .ttl files as application/octet-stream)."""
    if content_type in RDF_MEDIA_TYPES:
        return RDF_MEDIA_TYPES[content_type]
    from rdflib.util import guess_format

    guessed = guess_format(url.split("?", 1)[0])
    if guessed:
        return guessed
    start = content.lstrip()[:1]
    return "xml" if start == b"<" else "json-ld" if start in (b"{", b"[") else "turtle"


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _short(error: Exception, limit: int = 300) -> str:
    text = str(error) or repr(error)
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- retention

def keep_jobs() -> int:
    return toolkit.asint(toolkit.config.get("ckanext.ikoma.harvest.keep_jobs"))


def prune_history(source_id: str, keep: Optional[int] = None) -> int:
    """Delete the harvest objects (with their extras and errors) of all but the last `keep` jobs of a
    source, except current ones (they link datasets to the source). Returns how many went."""
    keep = keep_jobs() if keep is None else keep
    job_ids = [row[0] for row in model.Session.query(HarvestJob.id).filter(HarvestJob.source_id == source_id)
               .order_by(HarvestJob.created.desc()).offset(keep)]
    if not job_ids:
        return 0
    doomed = model.Session.query(HarvestObject.id).filter(
        HarvestObject.harvest_job_id.in_(job_ids), HarvestObject.current.is_not(True))
    doomed_ids = [row[0] for row in doomed]
    for chunk_start in range(0, len(doomed_ids), 1000):
        chunk = doomed_ids[chunk_start:chunk_start + 1000]
        model.Session.query(HarvestObjectError).filter(HarvestObjectError.harvest_object_id.in_(chunk)).delete(False)
        model.Session.query(HarvestObjectExtra).filter(HarvestObjectExtra.harvest_object_id.in_(chunk)).delete(False)
        model.Session.query(HarvestObject).filter(HarvestObject.id.in_(chunk)).delete(False)
    model.Session.commit()
    return len(doomed_ids)
