"""Neighbouring municipalities as data (vocab/neighbours.yaml): one organization per government,
named by its 全国地方公共団体コード as BODIK does, and one harvest source per known catalog."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Iterator, Optional

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma import vocabularies
from ckanext.ikoma.jp.codes import normalize_lg_code
from ckanext.ikoma.yamlfile import read_yaml

NEIGHBOURS_FILE = os.path.join(vocabularies.VOCAB_DIR, "neighbours.yaml")
ROLES = ("origin", "prefecture", "aggregator")
KINDS = ("dcat", "ckan")  # a DCAT catalog, or a CKAN site's API: both through the ikoma_dcat harvester


@dataclass(frozen=True)
class Neighbour:
    code: str
    ja: str
    en: str
    role: str
    kind: str
    catalog_url: str
    config: str = ""  # the harvest source's configuration, as JSON (see harvesters/config.py)

    @property
    def organization_name(self) -> str:
        return self.code


def load_neighbours(path: str = NEIGHBOURS_FILE) -> list[Neighbour]:
    """The neighbours file, checked: known codes, roles and kinds (ValueError names the entry)."""
    governments = vocabularies.local_governments()
    neighbours = []
    for entry in read_yaml(path)["neighbours"]:
        code = normalize_lg_code(str(entry["code"]), known=governments)
        if entry.get("role") not in ROLES or entry.get("kind") not in KINDS:
            raise ValueError(f"{path}: {code}: role must be one of {ROLES}, kind one of {tuple(KINDS)}")
        settings = dict(entry.get("config") or {})
        if entry["kind"] == "ckan":
            settings["api"] = "ckan"
        config = json.dumps(settings, ensure_ascii=False, sort_keys=True) if settings else ""
        neighbours.append(Neighbour(code, entry["ja"], entry["en"], entry["role"], entry["kind"],
                                    (entry.get("catalog_url") or "").strip(), config))
    return neighbours


def _site_context() -> dict[str, Any]:
    user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": user, "ignore_auth": True}


def _show(action: str, id_: str) -> Optional[dict[str, Any]]:
    try:
        return toolkit.get_action(action)(_site_context(), {"id": id_})
    except toolkit.ObjectNotFound:
        return None


def sync_organization(neighbour: Neighbour) -> str:
    """created / updated / unchanged"""
    wanted = {"name": neighbour.organization_name, "title": neighbour.ja, "title_en": neighbour.en,
              "lg_code": neighbour.code}
    org = _show("organization_show", neighbour.organization_name)
    if org is None:
        toolkit.get_action("organization_create")(_site_context(), wanted)
        return "created"
    if all(org.get(k) == v for k, v in wanted.items()):
        return "unchanged"
    toolkit.get_action("organization_patch")(_site_context(), dict(wanted, id=org["id"]))
    return "updated"


def sync_harvest_source(neighbour: Neighbour) -> Optional[str]:
    """created / updated / unchanged, or None when the neighbour has no known catalog."""
    if not neighbour.catalog_url:
        return None
    name = f"harvest-{neighbour.code}"
    wanted = {"name": name, "title": f"{neighbour.ja}のカタログ", "url": neighbour.catalog_url,
              "source_type": "ikoma_dcat", "owner_org": neighbour.organization_name,
              "frequency": "DAILY", "config": neighbour.config or None}
    source = _show("harvest_source_show", name)
    if source is None:
        toolkit.get_action("harvest_source_create")(_site_context(), wanted)
        return "created"
    org_id = _show("organization_show", neighbour.organization_name)["id"]
    same = {k: (source.get(k) or None) == (v or None) for k, v in wanted.items() if k != "owner_org"}
    if source.get("owner_org") == org_id and all(same.values()):
        return "unchanged"
    toolkit.get_action("harvest_source_patch")(_site_context(), dict(wanted, id=source["id"]))
    return "updated"


def sync(neighbours: list[Neighbour]) -> Iterator[tuple[Neighbour, str, Optional[str]]]:
    for neighbour in neighbours:
        yield neighbour, sync_organization(neighbour), sync_harvest_source(neighbour)
