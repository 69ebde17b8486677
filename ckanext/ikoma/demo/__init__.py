"""Demo content for `make demo`: the Ikoma organization and a few datasets, created idempotently
through CKAN actions (a second run updates nothing and duplicates nothing)."""
from __future__ import annotations

import mimetypes
import os
from typing import Any, Iterator

from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.yamlfile import read_yaml

HERE = os.path.dirname(__file__)


def demo_definition() -> dict[str, Any]:
    return read_yaml(os.path.join(HERE, "demo_data.yaml"))


def _site_context() -> dict[str, Any]:
    site_user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def ensure_organization(org: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Return (organization, created)."""
    try:
        return toolkit.get_action("organization_show")(_site_context(), {"id": org["name"]}), False
    except toolkit.ObjectNotFound:
        return toolkit.get_action("organization_create")(_site_context(), dict(org)), True


def _resource_payload(resource: dict[str, Any]) -> dict[str, Any]:
    payload = {k: v for k, v in resource.items() if k != "upload"}
    if "upload" in resource:
        path = os.path.join(HERE, resource["upload"])
        payload["upload"] = FileStorage(
            stream=open(path, "rb"),
            filename=resource["upload"],
            content_type=mimetypes.guess_type(path)[0] or "application/octet-stream",
        )
        payload["url"] = resource["upload"]
    return payload


def ensure_dataset(dataset: dict[str, Any], owner_org: str) -> tuple[dict[str, Any], bool]:
    """Create the dataset with its resources unless a dataset of that name exists."""
    context = _site_context()
    try:
        return toolkit.get_action("package_show")(context, {"id": dataset["name"]}), False
    except toolkit.ObjectNotFound:
        pass
    payload = {k: v for k, v in dataset.items() if k not in ("tags", "resources")}
    payload["owner_org"] = owner_org
    payload["tags"] = [{"name": t} for t in dataset.get("tags", [])]
    created = toolkit.get_action("package_create")(_site_context(), payload)
    try:
        for resource in dataset.get("resources", []):
            res = _resource_payload(resource)
            upload = res.get("upload")  # resource_create pops it from the dict
            res["package_id"] = created["id"]
            try:
                toolkit.get_action("resource_create")(_site_context(), res)
            finally:
                if upload is not None:
                    upload.stream.close()
    except Exception:
        # Leave no half-written dataset behind: the next run starts it again from scratch.
        toolkit.get_action("dataset_purge")(_site_context(), {"id": created["id"]})
        raise
    return toolkit.get_action("package_show")(_site_context(), {"id": created["id"]}), True


def load_demo_data() -> Iterator[tuple[str, str, bool]]:
    """Yield (kind, name, created) as each item is ensured."""
    definition = demo_definition()
    org, created = ensure_organization(definition["organization"])
    yield "organization", org["name"], created
    for dataset in definition["datasets"]:
        pkg, created = ensure_dataset(dataset, org["id"])
        yield "dataset", pkg["name"], created
