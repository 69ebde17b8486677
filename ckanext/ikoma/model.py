"""The plugin's own tables: the latest validation of each resource (migrations 0002, 0006), the
catalog pages the harvester read (0003), the daily KPI counts (0004), metadata-quality scores and
link checks (0005)."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Optional

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, UnicodeText

import ckan.model as model
import ckan.plugins.toolkit as toolkit

PENDING, RUNNING, SUCCESS, FAILURE, ERROR = "pending", "running", "success", "failure", "error"
# not a check: the standard a CSV of a dataset without one seems to follow (logic/standard_suggestion.py)
SUGGESTED = "suggested"


def _owner(target: str) -> ForeignKey:
    """A report goes with its resource and dataset: PostgreSQL deletes it when they are purged."""
    return ForeignKey(target, ondelete="CASCADE", deferrable=True, initially="DEFERRED")


class ResourceValidation(toolkit.BaseModel):
    __tablename__ = "ikoma_resource_validation"

    resource_id = Column(UnicodeText, _owner("resource.id"), primary_key=True)
    package_id = Column(UnicodeText, _owner("package.id"), nullable=False, index=True)
    standard = Column(UnicodeText, nullable=False)
    status = Column(UnicodeText, nullable=False)
    error_count = Column(Integer, nullable=False, default=0)
    warning_count = Column(Integer, nullable=False, default=0)
    report = Column(UnicodeText)
    message = Column(UnicodeText)
    created = Column(DateTime, nullable=False)
    finished = Column(DateTime)

    @classmethod
    def get(cls, resource_id: str) -> Optional["ResourceValidation"]:
        return model.Session.get(cls, resource_id)

    @classmethod
    def for_package(cls, package_id: str) -> list["ResourceValidation"]:
        return model.Session.query(cls).filter(cls.package_id == package_id).all()

    @classmethod
    def forget_removed(cls, package_id_or_name: str, everything: bool = False) -> None:
        """Delete the rows of the dataset's resources that are no longer active (a resource deleted
        or left out of an update), or all of them (the dataset is being deleted); in the action's
        own transaction. Purges need nothing: the foreign keys cascade."""
        package = model.Package.get(package_id_or_name)
        if package is None:
            return
        doomed = model.Session.query(cls).filter(cls.package_id == package.id)
        if not everything:
            active = model.Session.query(model.Resource.id).filter(
                model.Resource.package_id == package.id, model.Resource.state == "active")
            doomed = doomed.filter(cls.resource_id.not_in(active.scalar_subquery()))
        doomed.delete(synchronize_session=False)

    @classmethod
    def start(cls, resource_id: str, package_id: str, standard: str, commit: bool = True) -> "ResourceValidation":
        """Mark a resource as waiting for its check (a new row, or the old one reset). Inside an
        action's own transaction (commit=False) the row is committed with the dataset."""
        row = cls.get(resource_id) or cls(resource_id=resource_id)
        row.package_id, row.standard, row.status = package_id, standard, PENDING
        row.error_count = row.warning_count = 0
        row.report = row.message = None
        row.created, row.finished = dt.datetime.utcnow(), None
        model.Session.add(row)
        if commit:
            model.Session.commit()
        else:
            model.Session.flush()
        return row

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource_id": self.resource_id,
            "package_id": self.package_id,
            "standard": self.standard,
            "status": self.status,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "message": self.message,
            "created": self.created.isoformat() if self.created else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "report": json.loads(self.report) if self.report else None,
        }


class HarvestPage(toolkit.BaseModel):
    """One catalog page as last read by the harvester (migration 0003)."""
    __tablename__ = "ikoma_harvest_page"

    source_id = Column(UnicodeText, primary_key=True)
    url = Column(UnicodeText, primary_key=True)
    etag = Column(UnicodeText)
    last_modified = Column(UnicodeText)
    content_hash = Column(UnicodeText)
    config_hash = Column(UnicodeText)
    next_url = Column(UnicodeText)
    identities = Column(UnicodeText, nullable=False, default="[]")
    fetched = Column(DateTime, nullable=False)

    @classmethod
    def for_source(cls, source_id: str) -> dict[str, "HarvestPage"]:
        return {page.url: page for page in model.Session.query(cls).filter(cls.source_id == source_id)}


class KpiSnapshot(toolkit.BaseModel):
    """Public datasets of one organization on one day (migration 0004)."""
    __tablename__ = "ikoma_kpi_snapshot"

    day = Column(Date, primary_key=True)
    organization_id = Column(UnicodeText, primary_key=True)
    public_datasets = Column(Integer, nullable=False)
    backfilled = Column(Boolean, nullable=False, default=False)


class QualityScore(toolkit.BaseModel):
    """A dataset's MQA score on the day it was scored (migration 0005)."""
    __tablename__ = "ikoma_quality_score"

    package_id = Column(UnicodeText, primary_key=True)
    day = Column(Date, primary_key=True)
    points = Column(Integer, nullable=False)
    rating = Column(UnicodeText, nullable=False)
    indicators = Column(UnicodeText, nullable=False)  # JSON {indicator: share or null}

    @classmethod
    def latest(cls, package_id: str) -> Optional["QualityScore"]:
        return (model.Session.query(cls).filter(cls.package_id == package_id).order_by(cls.day.desc()).first())


class LinkCheck(toolkit.BaseModel):
    """The link checker's last answer for one URL (migration 0005)."""
    __tablename__ = "ikoma_link_check"

    url = Column(UnicodeText, primary_key=True)
    status = Column(Integer)  # HTTP status; None when no answer (see error)
    error = Column(UnicodeText)
    checked = Column(DateTime, nullable=False)
