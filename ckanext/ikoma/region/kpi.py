"""The plan's KPI, オープンデータ公開件数: public datasets per organization, now and month by month.

`ckan ikoma stats snapshot` stores today's counts (from a Solr facet: exactly what the public can
find) once per day, idempotently. On its first run it also reconstructs the past from the
database: a dataset counts from the day it was created; one that is now deleted or private stops
counting on the day of its last change, which is when it left unless it was edited afterwards.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.model import KpiSnapshot


@dataclass(frozen=True)
class OrganizationCount:
    organization_id: str
    name: str
    title: str
    public_datasets: int


@dataclass(frozen=True)
class Kpi:
    total: int  # the whole region, now
    own: Optional[OrganizationCount]  # the municipality running the site (ckanext.ikoma.municipality_code)
    organizations: list[OrganizationCount]  # now, most datasets first
    months: list[str]  # YYYY-MM
    monthly: dict[str, dict[str, int]]  # organization id -> month -> count at the month's last snapshot

    def as_dict(self) -> dict:
        return {"total": self.total, "own": self.own.__dict__ if self.own else None,
                "organizations": [o.__dict__ for o in self.organizations], "months": self.months,
                "monthly": self.monthly}


def current_counts() -> dict[str, int]:
    """{organization id: public datasets} now, from the search index (one facet query)."""
    result = toolkit.get_action("package_search")({"ignore_auth": True}, {
        "q": "*:*", "fq": "+dataset_type:dataset", "rows": 0, "facet.field": '["owner_org"]',
        "facet.limit": -1, "include_private": False, "include_drafts": False})
    return {org_id: count for org_id, count in result["facets"].get("owner_org", {}).items() if org_id}


def _upsert(day: dt.date, counts: dict[str, int], backfilled: bool) -> None:
    for organization_id, count in counts.items():
        row = model.Session.get(KpiSnapshot, (day, organization_id)) or KpiSnapshot(
            day=day, organization_id=organization_id)
        row.public_datasets, row.backfilled = count, backfilled
        model.Session.add(row)


def backfill(until: dt.date) -> int:
    """Daily counts before `until`, reconstructed from the database; returns the days written."""
    rows = model.Session.query(model.Package.owner_org, model.Package.metadata_created, model.Package.metadata_modified,
                               model.Package.state, model.Package.private).filter(
        model.Package.type == "dataset", model.Package.owner_org.isnot(None), model.Package.state != "draft")
    changes: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    first: Optional[dt.date] = None
    for org, created, modified, state, private in rows:
        born = created.date()
        first = born if first is None else min(first, born)
        changes[born][org] += 1
        if state != "active" or private:
            changes[modified.date()][org] -= 1  # left on its last change
    if first is None:
        return 0
    running: dict[str, int] = defaultdict(int)
    day, written, values = first, 0, []
    while day < until:
        for org, delta in changes.get(day, {}).items():
            running[org] += delta
        values.extend({"day": day, "organization_id": org, "public_datasets": count, "backfilled": True}
                      for org, count in running.items())
        day += dt.timedelta(days=1)
        written += 1
    table = KpiSnapshot.__table__
    model.Session.execute(table.delete().where(table.c.day < until))
    if values:
        model.Session.execute(table.insert(), values)  # one executemany, not a row at a time
    return written


def snapshot(day: Optional[dt.date] = None) -> tuple[dt.date, int, int]:
    """Store the counts of `day` (today); on the first run, backfill the days before it. Running
    it again the same day replaces that day's counts. Returns (day, organizations, days backfilled)."""
    day = day or dt.date.today()
    backfilled = 0
    if model.Session.query(KpiSnapshot).filter(KpiSnapshot.backfilled.is_(False)).first() is None:
        backfilled = backfill(until=day)
    counts = current_counts()
    known = {org_id for (org_id,) in model.Session.query(KpiSnapshot.organization_id).distinct()}
    _upsert(day, {**{org_id: 0 for org_id in known}, **counts}, backfilled=False)  # an emptied organization counts 0
    model.Session.commit()
    from ckanext.ikoma.region import figures

    figures.changed()
    return day, len(counts), backfilled


def monthly_counts() -> dict[str, dict[str, int]]:
    """organization id -> YYYY-MM -> count on that month's last snapshot day (one SQL query that
    reads only those days' rows through the primary key, not every day of every organization)."""
    table = KpiSnapshot.__table__
    last_days = sa.select(sa.func.max(table.c.day)).group_by(sa.func.date_trunc("month", table.c.day))
    query = sa.select(table.c.organization_id, sa.func.to_char(table.c.day, "YYYY-MM"), table.c.public_datasets
                      ).where(table.c.day.in_(last_days))
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for organization_id, ym, count in model.Session.execute(query):
        out[organization_id][ym] = count
    return dict(out)


def kpi() -> Kpi:
    counts = current_counts()
    monthly = monthly_counts()
    ids = set(counts) | set(monthly)
    groups = {g.id: g for g in model.Session.query(model.Group).filter(model.Group.id.in_(ids))} if ids else {}
    organizations = sorted(
        (OrganizationCount(i, groups[i].name, groups[i].title or groups[i].name, counts.get(i, 0))
         for i in ids if i in groups and groups[i].state == "active"),
        key=lambda o: (-o.public_datasets, o.title))
    code = toolkit.config.get("ckanext.ikoma.municipality_code")
    own = next((o for o in organizations if groups[o.organization_id].extras.get("lg_code") == code
                or o.name == code), None)
    months = sorted({m for per_org in monthly.values() for m in per_org})
    visible = {o.organization_id for o in organizations}
    return Kpi(sum(counts.values()), own, organizations, months,
               {org: per for org, per in monthly.items() if org in visible})
