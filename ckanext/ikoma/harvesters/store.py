"""What the harvester reads and writes in CKAN besides the harvest stages: the datasets already held
under an identity and by which source, which source's copy wins, the organization of a publisher,
the rules for writing a dataset (resource ids kept, curators' edits, values the schema refuses),
and the retention of harvest objects."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as toolkit
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectError, HarvestObjectExtra, HarvestSource

from ckanext.ikoma import vocabularies
from ckanext.ikoma.compat import extra_value
from ckanext.ikoma.harvesters.config import ROLES
from ckanext.ikoma.harvesters.mapping import HarvestWarning
from ckanext.ikoma.jp.errors import message

IDENTITY_LOCKS = 0x1C0A  # the first key of the advisory locks of harvest identities (holder_of)
LOCAL_EDIT_GRACE = dt.timedelta(seconds=60)  # a save this long after the harvest's is a curator's


def now() -> dt.datetime:
    return dt.datetime.utcnow()


@dataclasses.dataclass
class Holder:
    """A dataset already in CKAN under an identity, and which source (if any) holds it."""
    package_id: str
    state: str
    content_hash: str
    withdrawn: bool
    source_id: Optional[str]


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
    rows = holders_query(identities).all()
    current = dict(model.Session.query(HarvestObject.guid, HarvestObject.harvest_source_id).filter(
        HarvestObject.current.is_(True), HarvestObject.guid.in_(identities)))
    holders: dict[str, Holder] = {}
    for package_id, state, ident, content_hash, withdrawn_at in rows:
        if ident in holders and holders[ident].state == "active":
            continue
        holders[ident] = Holder(package_id, state, content_hash or "", bool(withdrawn_at), current.get(ident))
    return holders


def holder_of(identity: str) -> Optional[Holder]:
    """The dataset of this identity, read under a lock on the identity that its transaction holds
    until it ends: a second fetch consumer importing the same identity at the same moment (an
    aggregator's copy of an origin's dataset) waits for this one's commit, then finds its dataset
    instead of creating another."""
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:identity))"),
                          {"space": IDENTITY_LOCKS, "identity": identity})
    return find_holders([identity]).get(identity)


def holders_query(identities: list[str]):
    """(package id, state, identity, content hash, withdrawn at) of the datasets of these identities:
    an index lookup (migration 0007), whatever the number of datasets on the site."""
    query = model.Session.query(model.Package.id, model.Package.state)
    query, identity = extra_value(query, model.Package, "harvest_identity")
    query, digest = extra_value(query, model.Package, "harvest_content_hash", outer=True)
    query, withdrawn = extra_value(query, model.Package, "harvest_withdrawn_at", outer=True)
    return query.add_columns(identity, digest, withdrawn).filter(identity.in_(identities))


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
    try:
        created = toolkit.get_action("organization_create")({"user": site_user, "ignore_auth": True}, {
            "name": code, "title": government.full_name, "title_en": government.name_en, "lg_code": code})
    except (toolkit.ValidationError, sa.exc.IntegrityError):
        model.Session.rollback()  # another fetch consumer created it meanwhile (a hub runs several)
        org = model.Group.get(code)
        if org is not None and org.state == "active" and org.is_organization:
            return org.id
        raise
    return created["id"]


def keep_resource_ids(dataset: dict[str, Any], existing: dict[str, Any]) -> None:
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


def edited_locally(existing: dict[str, Any]) -> bool:
    try:
        harvested = dt.datetime.fromisoformat(existing.get("harvested_at") or "")
        modified = dt.datetime.fromisoformat(existing["metadata_modified"])
    except (ValueError, KeyError):
        return False
    return modified - harvested > LOCAL_EDIT_GRACE


def make_current(harvest_object) -> None:
    model.Session.query(HarvestObject).filter(
        HarvestObject.guid == harvest_object.guid, HarvestObject.current.is_(True),
        HarvestObject.id != harvest_object.id).update({"current": False}, synchronize_session=False)
    harvest_object.current = True
    harvest_object.add()


def add_extra(harvest_object, key: str, value: str) -> None:
    model.Session.add(HarvestObjectExtra(harvest_object_id=harvest_object.id, key=key, value=value))



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
    return message("harvest_invalid_values", "ja", detail=detail), message("harvest_invalid_values", "en", detail=detail)



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
