"""`ikoma_dcat`: a harvester of neighbours' catalogs, safe and incremental, built on ckanext-harvest's
HarvesterBase with ckanext-dcat's RDF parser and profiles (see README "Harvesting").

The stages, each in a module named for it, as ckanext-harvest keeps them apart:
- gather (harvesters/gather.py): the catalog page by page, with conditional requests; one harvest
  object per new or changed dataset, unchanged ones recorded in one statement, duplicates and
  upstream deletions decided;
- fetch: nothing (the content came with the page);
- import (here): the dataset written through package_create / package_update (harvesters/store.py
  holds the lookups and the writing rules), values the schema refuses left out with a warning;
- errors and warnings are recorded per job or per object (harvesters/records.py), as
  "[kind] 日本語 / English"; one bad dataset never stops the others.

Per-source configuration: harvesters/config.py; the mapping into the Ikoma schema: mapping.py.
"""
from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestGatherError, HarvestObjectError, HarvestSource

from ckanext.ikoma.harvesters.config import ConfigError, SourceConfig, parse_config
from ckanext.ikoma.harvesters import indexing
from ckanext.ikoma.harvesters.gather import Gather
from ckanext.ikoma.harvesters.mapping import Harvested, dataset_name, fill_contact
from ckanext.ikoma.harvesters.records import add_warnings, bilingual, error_text
from ckanext.ikoma.harvesters.store import (
    add_extra, edited_locally, holder_of, keep_resource_ids, kept_elsewhere, leave_out_invalid, make_current,
    neighbour_roles, now, organization_for, prune_history, validation_messages,
)
from ckanext.ikoma.profiles import installed_profiles

log = logging.getLogger(__name__)

HARVESTER_NAME = "ikoma_dcat"


class IkomaDCATHarvester(HarvesterBase):
    plugins.implements(IHarvester)

    # lookups that hold for a whole job, made once per job in each fetch consumer rather than once
    # per dataset: the publishers' organizations, the source's role
    _job_id: Optional[str] = None
    _job_lookups: dict[Any, Any] = {}

    def _once_per_job(self, job_id: str, key: Any, compute):
        if self._job_id != job_id:
            self._job_id, self._job_lookups = job_id, {}
        if key not in self._job_lookups:
            self._job_lookups[key] = compute()
        return self._job_lookups[key]

    def info(self):
        return {
            "name": HARVESTER_NAME,
            "title": " / ".join(bilingual("harvester_title")),
            "description": " / ".join(bilingual("harvester_description")),
        }

    # ---------------------------------------------------------------- configuration

    def validate_config(self, source_config):
        from ckanext.ikoma.bilingual import pick

        try:
            parse_config(source_config, known_profiles=installed_profiles())
        except ConfigError as error:  # the source form shows the text of a ValueError as the field's error
            raise ValueError(pick(error.ja, error.en)) from None
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
        gather = Gather(self, harvest_job, config)
        try:
            return gather.run()
        except Exception as error:  # never leave a job without a word on what happened
            log.exception("ikoma_dcat gather failed")
            model.Session.rollback()
            HarvestGatherError.create(error_text("internal", *bilingual("harvest_gather_internal", detail=repr(error))),
                                      harvest_job)
            return []

    def fetch_stage(self, harvest_object):
        return True  # the content came with the catalog page

    # ---------------------------------------------------------------- import

    def import_stage(self, harvest_object):
        job_id = harvest_object.harvest_job_id
        try:
            return self._import_object(harvest_object)
        finally:  # whatever this object's fate (a withdrawal, an error), the job's written datasets
            indexing.index_due(job_id)  # are indexed in time: it may be the job's last object

    def _import_object(self, harvest_object):
        source = harvest_object.source or harvest_object.job.source
        try:
            config = self._config(source)
        except ConfigError as error:
            self._object_error(harvest_object, "config", error.ja, error.en)
            return False
        if self._get_object_extra(harvest_object, "status") == "delete":
            return self._withdraw(harvest_object, config)
        if not harvest_object.content:
            self._object_error(harvest_object, "internal", *bilingual("harvest_no_content"))
            return False
        harvested = Harvested.from_json(harvest_object.content)
        try:
            return self._import(harvest_object, source, config, harvested)
        except Exception as error:
            log.exception("ikoma_dcat import failed")
            model.Session.rollback()
            self._object_error(harvest_object, "internal", *bilingual("harvest_import_internal", detail=repr(error)))
            return False

    def _object_error(self, harvest_object, kind: str, ja: str, en: str) -> None:
        HarvestObjectError.create(error_text(kind, ja, en), harvest_object, "Import")

    def _context(self) -> dict[str, Any]:
        # ikoma_harvest: the schema fills no value the source did not give (a distribution's date)
        return {"user": self._get_user_name(), "ignore_auth": True, "return_id_only": True, "ikoma_harvest": True}

    def _import(self, harvest_object, source, config: SourceConfig, harvested: Harvested, restarts: int = 0):
        job_id = harvest_object.harvest_job_id
        holder = holder_of(harvested.identity)  # locked until this dataset's commit or rollback
        locked_in = model.Session().get_transaction()

        def written_meanwhile() -> bool:
            """Whether another consumer wrote the identity while this transaction had let go of its
            lock (an organization created and committed, or CKAN's rollback of a refused value);
            read again only then, not for every dataset."""
            if restarts >= 2 or model.Session().get_transaction() is locked_in:
                return False
            return holder_of(harvested.identity) != holder

        role = self._once_per_job(job_id, "role", lambda: self._role(source, config)) if holder else None
        if kept_elsewhere(holder, source.id, role, lambda other: self._once_per_job(
                job_id, ("role", other), lambda: self._role_of(other))):
            add_extra(harvest_object, "duplicate_of", holder.package_id)
            harvest_object.package_id = None
            harvest_object.add()
            model.Session.commit()
            return "unchanged"

        existing = (toolkit.get_action("package_show")({"ignore_auth": True}, {"id": holder.package_id})
                    if holder else None)
        if existing and config.local_edits == "keep" and edited_locally(existing):
            self._object_error(harvest_object, "local_edit", *bilingual("harvest_local_edit"))
            return "unchanged"

        owner_org = self._once_per_job(job_id, ("org", config.owner, harvested.publisher_code), lambda: (
            model.Package.get(source.id).owner_org if config.owner == "source"
            else organization_for(harvested.publisher_code, source)))
        if written_meanwhile():
            return self._import(harvest_object, source, config, harvested, restarts + 1)
        dataset, unmapped = dict(harvested.dataset), {k: list(v) for k, v in harvested.unmapped.items()}
        warnings = list(harvested.warnings)
        for _attempt in range(3):
            error = self._write(harvest_object, harvested, existing, owner_org, dataset, unmapped)
            if error is None:
                break
            if written_meanwhile():
                return self._import(harvest_object, source, config, harvested, restarts + 1)
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
        # the dataset, its harvest object and warnings in one transaction; indexed with its batch
        if indexing.commit_unindexed():
            indexing.queue(harvest_object.harvest_job_id, harvest_object.package_id)
        return True

    def _write(self, harvest_object, harvested: Harvested, existing, owner_org: str, values: dict[str, Any],
               unmapped: dict[str, list[str]]):
        """package_create or package_update of the dataset; the ValidationError, rolled back, if
        the schema refuses a value (nothing of this dataset is written; what was there stays)."""
        dataset = dict(values, resources=[dict(r) for r in values.get("resources", [])])
        dataset.update(
            harvest_identity=harvested.identity, harvest_original_uri=harvested.original_uri,
            harvest_source_url=harvest_object.source.url if harvest_object.source else harvest_object.job.source.url,
            harvested_at=now().isoformat(timespec="seconds"), harvest_content_hash=harvested.content_hash,
            harvest_unmapped=json.dumps(unmapped, ensure_ascii=False) if unmapped else "",
            harvest_raw_values=json.dumps(harvested.raw_values, ensure_ascii=False) if harvested.raw_values else "",
            harvest_withdrawn_at="", owner_org=owner_org,
        )
        context = dict(self._context(), defer_commit=True)  # committed by _import, indexed in a batch
        # current before the dataset is written, in the same transaction (a change to the harvest
        # object after the dataset's commit would index the dataset a second time)
        make_current(harvest_object)
        try:
            if existing:
                dataset["id"], dataset["name"] = existing["id"], existing["name"]
                dataset["state"] = "active"
                # a copy we withdrew comes back public; one a curator made private stays private
                dataset["private"] = False if existing.get("harvest_withdrawn_at") else existing.get("private", False)
                keep_resource_ids(dataset, existing)
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
                    "harvest_withdrawn_at": now().isoformat(timespec="seconds")})
        except toolkit.ObjectNotFound:
            pass  # already gone
        except toolkit.ValidationError as error:
            model.Session.rollback()
            self._object_error(harvest_object, "validation", *validation_messages(error))
            return False
        model.Session.commit()
        return True

    @staticmethod
    def _get_object_extra(harvest_object, key: str) -> Optional[str]:
        for extra in harvest_object.extras:
            if extra.key == key:
                return extra.value
        return None
