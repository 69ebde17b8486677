"""RDF profiles: ikoma_dcat (DCAT-GoJ on DCAT-AP 3) and the Turtle serializer the endpoints use."""
from __future__ import annotations

import functools

from ckanext.ikoma.profiles.ikoma_dcat import IkomaDCATProfile  # noqa: F401


@functools.lru_cache(maxsize=1)
def installed_profiles() -> frozenset[str]:
    """The RDF profiles installed in this site (entry points read once per process: tens of ms)."""
    from importlib.metadata import entry_points

    return frozenset(ep.name for ep in entry_points(group="ckan.rdf.profiles"))
