"""Quality figures for pages and the API, from each public dataset's latest score (SQL aggregates
over ikoma_quality_score; no loop over datasets on a request)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model

from ckanext.ikoma.model import QualityScore
from ckanext.ikoma.quality.mqa import MAX_POINTS, indicators, rating_of

_LATEST = """
    SELECT DISTINCT ON (s.package_id) s.package_id, s.points, s.rating, s.indicators, p.owner_org, p.name, p.title
    FROM ikoma_quality_score s JOIN package p ON p.id = s.package_id
    WHERE p.state = 'active' AND p.private = false AND p.type = 'dataset'
    ORDER BY s.package_id, s.day DESC
"""


@dataclass(frozen=True)
class OrganizationQuality:
    organization_id: str
    name: str
    title: str
    datasets: int
    average_points: float
    ratings: dict[str, int]


def _rows(sql: str, **params) -> list:
    return list(model.Session.execute(sa.text(sql), params))


def organizations() -> list[OrganizationQuality]:
    rows = _rows(f"""SELECT l.owner_org, g.name, g.title, count(*), avg(l.points),
                            count(*) FILTER (WHERE l.rating = 'excellent'), count(*) FILTER (WHERE l.rating = 'good'),
                            count(*) FILTER (WHERE l.rating = 'sufficient'), count(*) FILTER (WHERE l.rating = 'bad')
                     FROM ({_LATEST}) l JOIN "group" g ON g.id = l.owner_org
                     GROUP BY l.owner_org, g.name, g.title ORDER BY avg(l.points) DESC""")
    return [OrganizationQuality(org, name, title or name, n, float(avg),
                                {"excellent": e, "good": g, "sufficient": s, "bad": b})
            for org, name, title, n, avg, e, g, s, b in rows]


def region() -> dict[str, Any]:
    (count, average), = _rows(f"SELECT count(*), coalesce(avg(points), 0) FROM ({_LATEST}) l")
    return {"datasets": count, "average_points": round(float(average), 1), "max_points": MAX_POINTS,
            "rating": rating_of(float(average)) if count else None}


def indicator_shares() -> dict[str, Optional[float]]:
    """Per indicator, the average share of public datasets meeting it (None where never known)."""
    rows = _rows(f"""SELECT kv.key, avg((kv.value)::float) FROM ({_LATEST}) l,
                            jsonb_each_text(l.indicators::jsonb) kv
                     WHERE kv.value IS NOT NULL GROUP BY kv.key""")
    shares = {key: float(avg) for key, avg in rows}
    return {i.key: shares.get(i.key) for i in indicators()}


def failing(indicator: str, limit: int = 500) -> list[tuple[str, str]]:
    """(name, title) of public datasets that do not fully meet `indicator`, by name."""
    return [(name, title) for name, title in _rows(
        f"""SELECT l.name, l.title FROM ({_LATEST}) l
            WHERE coalesce((l.indicators::jsonb ->> :key)::float, 0) < 1 ORDER BY l.name LIMIT :limit""",
        key=indicator, limit=limit)]


def dataset_quality(package_id: str) -> Optional[dict[str, Any]]:
    """The latest score of one dataset, with what it misses in words (ja and en)."""
    row = QualityScore.latest(package_id)
    if row is None:
        return None
    shares = json.loads(row.indicators)
    missed = [{"key": i.key, "ja": i.ja, "en": i.en, "points": i.points, "dimension": i.dimension}
              for i in indicators() if (shares.get(i.key) or 0) < 1]
    return {"points": row.points, "max_points": MAX_POINTS, "rating": row.rating, "day": row.day.isoformat(),
            "indicators": shares, "missed": missed}
