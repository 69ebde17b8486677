"""The gather stage of `ikoma_dcat`: a catalog read page by page (RDF through ckanext-dcat's public
RDFParser and profile classes, or a CKAN site's package_search), with a conditional request for
every page on every run. New and changed datasets become harvest objects; unchanged ones are
recorded in one statement; the datasets another source holds are recorded as duplicates; a
catalog read to its end withdraws what left it."""
from __future__ import annotations

import functools
import hashlib
import json
from importlib.metadata import entry_points
from typing import Any, Iterable, Optional
from urllib.parse import urljoin

import ckan.model as model
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError, HarvestObjectExtra

from ckanext.ikoma.harvesters.config import SourceConfig
from ckanext.ikoma.harvesters.ckan_api import ckan_search_url, from_ckan_package
from ckanext.ikoma.harvesters.mapping import Harvested, MappingError, map_dataset
from ckanext.ikoma.harvesters.records import bilingual, carry_errored, error_text, errored_object
from ckanext.ikoma.harvesters.store import find_holders, kept_elsewhere, now
from ckanext.ikoma.jp.errors import message
from ckanext.ikoma.model import HarvestPage
from ckanext.ikoma.net.content import has_xml_entity_declarations, looks_like_html
from ckanext.ikoma.net.fetch import FetchError, fetch
from ckanext.ikoma.net.site import private_allowlist

MAX_PAGES = 10_000
RDF_MEDIA_TYPES = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/rdf+xml": "xml",
                   "application/xml": "xml", "text/xml": "xml", "application/ld+json": "json-ld",
                   "application/json": "json-ld", "application/n-triples": "nt", "text/n3": "n3",
                   "application/trig": "trig", "application/n-quads": "nquads"}



class Gather:
    def __init__(self, harvester, job, config: SourceConfig):
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
                self.error("paging", *bilingual("harvest_paging_loop", url=url))
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
            self.error("incomplete", *bilingual("harvest_incomplete"))
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
        row.fetched = now()
        model.Session.add(row)
        model.Session.commit()
        return next_url

    def rdf_page(self, url: str, result):
        """(the page's datasets, next page URL), or (None, None) when the page cannot be read."""
        if looks_like_html(result.content, result.content_type):
            self.error("not_rdf", *bilingual("harvest_not_rdf", url=url))
            return None, None
        if has_xml_entity_declarations(result.content):
            self.error("entity", *bilingual("harvest_xml_entities", url=url))
            return None, None
        from ckanext.dcat.processors import RDFParser

        parser = RDFParser(profiles=list(self.config.profiles))
        rdf_format = self.config.rdf_format or rdf_format_for(result.content_type, url, result.content)
        try:
            text = result.content.decode("utf-8")
            parser.parse(text, _format=rdf_format)
        except Exception as error:
            self.error("parse", *bilingual("harvest_rdf_unreadable", url=url, detail=_short(error)))
            return None, None
        next_link = parser.next_page()
        return list(parse_each(parser.g, self.config.profiles)), urljoin(url, str(next_link)) if next_link else None

    def ckan_page(self, url: str, content: bytes):
        """A page of a CKAN site's package_search, as the RDF parser would give its datasets."""
        try:
            answer = json.loads(content.decode("utf-8"))["result"]
            packages, count = list(answer["results"]), int(answer["count"])
        except Exception as error:
            self.error("parse", *bilingual("harvest_ckan_unreadable", url=url, detail=_short(error)))
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
                self.object_error(str(ref), "parse", *bilingual("harvest_dataset_unreadable", detail=_short(parsed)))
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
        """Unchanged datasets are not queued: their current objects move into this job, in one
        statement, with their warnings (a re-run of an unchanged catalog writes no dataset at all).
        One object per dataset whatever the number of runs: change detection needs no more, and the
        job that read a dataset unchanged is the one that reports it."""
        identities = list(identities)
        if not identities:
            return
        at = now()
        model.Session.query(HarvestObject).filter(
            HarvestObject.current.is_(True), HarvestObject.harvest_source_id == self.source.id,
            HarvestObject.guid.in_(identities)).update(
            {"harvest_job_id": self.job.id, "report_status": "not modified", "state": "COMPLETE",
             "gathered": at, "import_finished": at}, synchronize_session=False)
        model.Session.commit()

    def record_duplicates(self, duplicates: list[tuple[str, str, str]]) -> None:
        """(identity, package kept, this source's URI of it) of the datasets another source holds."""
        if not duplicates:
            return
        # the earlier runs' records of the same duplicates go: one record each, as for unchanged ones
        earlier = (model.Session.query(HarvestObjectExtra.harvest_object_id)
                   .join(HarvestObject, HarvestObject.id == HarvestObjectExtra.harvest_object_id)
                   .filter(HarvestObject.harvest_source_id == self.source.id, HarvestObject.current.is_not(True),
                           HarvestObject.guid.in_([identity for identity, _, _ in duplicates]),
                           HarvestObjectExtra.key == "duplicate_of"))
        model.Session.query(HarvestObject).filter(HarvestObject.id.in_(earlier.scalar_subquery())).delete(
            synchronize_session=False)  # extras and errors go with them (ON DELETE CASCADE)
        at = now()
        for identity, package_id, uri in duplicates:
            obj = HarvestObject(guid=identity, job=self.job, state="COMPLETE", report_status="not modified",
                                harvest_source_id=self.source.id, gathered=at, import_finished=at,
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


def parse_each(graph, profile_names: Iterable[str]):
    """(dataset URI, dataset dict or the exception) for each dcat:Dataset of the graph, through the
    profile classes ckanext-dcat registers as `ckan.rdf.profiles` entry points. RDFParser.datasets()
    does the same, but its generator dies with the first dataset a profile cannot read, and every
    dataset after it would be lost."""
    from ckanext.dcat.profiles.base import DCAT, RDF

    classes = profile_classes(tuple(profile_names))
    for dataset_ref in graph.subjects(RDF.type, DCAT.Dataset):
        dataset_dict: dict[str, Any] = {}
        try:
            for profile_class in classes:
                profile_class(graph).parse_dataset(dataset_dict, dataset_ref)
        except Exception as error:
            yield dataset_ref, error
            continue
        yield dataset_ref, dataset_dict


@functools.lru_cache(maxsize=None)
def profile_classes(names: tuple[str, ...]) -> tuple[type, ...]:
    """The RDF profile classes of these names, in order (validated with the source's config)."""
    found = {ep.name: ep for ep in entry_points(group="ckan.rdf.profiles")}
    return tuple(found[name].load() for name in names)


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

