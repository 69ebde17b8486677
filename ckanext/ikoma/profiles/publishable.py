"""What Ikoma's RDF output may point to: no javascript:, data: … IRI, and none that would break the
serialisation. Values stored before URLs were checked, resource extras the schema does not know
and a neighbour's values all pass through here on their way out."""
from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, URIRef

from ckanext.ikoma.jp.contact import publishable_iri


def with_publishable_uris(dataset_dict: dict[str, Any]) -> dict[str, Any]:
    """The dataset without a resource `uri` the output may not carry: that distribution is then
    published under its URI on this site (what ckanext-dcat's resource_uri gives without one)."""
    def publishable(resource: dict[str, Any]) -> dict[str, Any]:
        uri = resource.get("uri")
        if uri and not publishable_iri(str(uri)):
            return {k: v for k, v in resource.items() if k != "uri"}
        return resource
    return dict(dataset_dict, resources=[publishable(r) for r in dataset_dict.get("resources") or []])


def drop_unpublishable_iris(g: Graph, dataset_ref=None, depth: int = 3) -> None:
    """Remove, from the dataset's part of the graph (the whole graph without a dataset), the triples
    that point to an IRI the output may not carry, and the triples about that IRI (a typed landing
    page or access URL)."""
    if dataset_ref is None:
        for triple in list(g):
            if any(isinstance(node, URIRef) and not publishable_iri(str(node)) for node in (triple[0], triple[2])):
                g.remove(triple)
        return
    seen, todo = set(), [(dataset_ref, 0)]
    while todo:
        node, level = todo.pop()
        if node in seen or level > depth:
            continue
        seen.add(node)
        for predicate, obj in list(g.predicate_objects(node)):
            if isinstance(obj, URIRef) and not publishable_iri(str(obj)):
                g.remove((node, predicate, obj))
                g.remove((obj, None, None))
            elif isinstance(obj, (URIRef, BNode)):
                todo.append((obj, level + 1))
