"""Against the SolrCloud of `stack/stack.sh cloud-up` (two nodes, two shards with a replica of
each on both): a node that goes down while datasets are being indexed has every one of them once
it returns. Run by tests/test_solrcloud.py with an ini whose solr_url is the cloud; skipped in a
run against the standalone Solr."""
from __future__ import annotations

import json
import urllib.request

import pytest

from ckan.plugins.toolkit import config
from ckan.tests.helpers import call_action

CONTROL = "http://127.0.0.1:8993"
NODES = ("http://127.0.0.1:8991/solr", "http://127.0.0.1:8992/solr")

pytestmark = pytest.mark.skipif(not str(config.get("solr_url", "")).startswith(NODES[0]),
                                reason="runs in tests/test_solrcloud.py, against the SolrCloud")


def _get(url: str, timeout: float = 300) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local test servers)
        return response.read()


def _documents_on(node: str) -> int:
    """This site's datasets held by the node's own replicas (distrib=false: no other node asked)."""
    cores = json.loads(_get(f"{node}/admin/cores?action=STATUS&wt=json"))["status"]
    site = config["ckan.site_id"]
    return sum(json.loads(_get(f"{node}/{core}/select?q=*:*&fq=site_id:{site}&rows=0&distrib=false&wt=json"))
               ["response"]["numFound"] for core in cores)


def test_a_node_down_during_indexing_loses_nothing(create_dataset, clean_index):
    for i in range(10):
        create_dataset(name=f"before-{i}", title=f"停止前{i}")
    _get(f"{CONTROL}/stop")
    try:
        for i in range(10):
            create_dataset(name=f"during-{i}", title=f"停止中{i}")
        assert call_action("package_search", rows=0)["count"] == 20  # node 0 answers alone
    finally:
        _get(f"{CONTROL}/start")  # returns once both replicas of both shards are active
    assert [_documents_on(node) for node in NODES] == [20, 20]
    found = call_action("package_search", q="停止中", rows=100)
    assert sorted(d["name"] for d in found["results"]) == [f"during-{i}" for i in range(10)]
