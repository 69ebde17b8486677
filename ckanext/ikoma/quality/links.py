"""The link checker: does each public resource's URL answer? Through the extension's one fetcher
(public addresses only, unless the site allows others), at most one request per URL per day,
only the first kilobyte read; the answer is stored with the time it was checked."""
from __future__ import annotations

import datetime as dt
from typing import Callable, Optional

from sqlalchemy import or_

import ckan.model as model

from ckanext.ikoma.model import LinkCheck
from ckanext.ikoma.net.fetch import FetchError, FetchPolicy, fetch
from ckanext.ikoma.net.site import private_allowlist

RECHECK_AFTER = dt.timedelta(days=1)


def public_resource_urls() -> list[str]:
    """Distinct linked (not uploaded) URLs of the active resources of public datasets."""
    rows = (model.Session.query(model.Resource.url).join(model.Package, model.Package.id == model.Resource.package_id)
            .filter(model.Resource.state == "active", model.Package.state == "active",
                    model.Package.private.is_(False), model.Package.type == "dataset",
                    or_(model.Resource.url_type.is_(None), model.Resource.url_type != "upload"))
            .distinct())
    return sorted(url for (url,) in rows if url)


def _policy() -> FetchPolicy:
    return FetchPolicy(connect_timeout=10, read_timeout=20, max_bytes=1024, retries=0, any_host=True,
                       private_allowlist=private_allowlist(), user_agent="ckanext-ikoma link checker")


def check_links(now: Optional[dt.datetime] = None, progress: Optional[Callable[[int], None]] = None) -> int:
    """Check every URL not checked in the last day; returns how many were requested."""
    now = now or dt.datetime.utcnow()
    checked = dict(model.Session.query(LinkCheck.url, LinkCheck.checked))
    requested = 0
    policy = _policy()
    for url in public_resource_urls():
        if url in checked and now - checked[url] < RECHECK_AFTER:
            continue
        status, error = None, None
        try:
            status = fetch(url, policy, truncate=True).status
        except FetchError as failure:
            status, error = failure.status_code, str(failure)
        row = model.Session.get(LinkCheck, url) or LinkCheck(url=url)
        row.status, row.error, row.checked = status, error, now
        model.Session.add(row)
        model.Session.commit()
        requested += 1
        if progress:
            progress(1)
    return requested


def link_statuses() -> dict[str, Optional[int]]:
    return dict(model.Session.query(LinkCheck.url, LinkCheck.status))
