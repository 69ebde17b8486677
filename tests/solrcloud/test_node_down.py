"""Against the SolrCloud of `stack/stack.sh cloud-up` (two nodes, two shards with a replica of
each on both): a node that goes down while datasets are being indexed has every one of them once
it returns, and the replicas of a shard agree after datasets are updated. Run by
tests/test_solrcloud.py with an ini whose solr_url is the cloud; skipped against the standalone Solr.

The cluster's own state is what the tests wait on (CLUSTERSTATUS: every shard led, every replica
active on a live node), never a sleep; counts are real queries after a commit."""
from __future__ import annotations

import json
import time
import urllib.request

import pytest

from ckan.plugins.toolkit import config
from ckan.tests.helpers import call_action

CONTROL = "http://127.0.0.1:8993"
NODES = ("http://127.0.0.1:8991/solr", "http://127.0.0.1:8992/solr")
COLLECTION = "ckan"
SHARDS, REPLICAS = 2, 2

pytestmark = pytest.mark.skipif(not str(config.get("solr_url", "")).startswith(NODES[0]),
                                reason="runs in tests/test_solrcloud.py, against the SolrCloud")


def _get(url: str, timeout: float = 300) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local test servers)
        return response.read()


def _replicas() -> list[dict]:
    """Every replica of the collection as the cluster records it: shard, node, state, leader."""
    status = json.loads(_get(f"{NODES[0]}/admin/collections?action=CLUSTERSTATUS&collection={COLLECTION}&wt=json"))
    cluster = status["cluster"]
    live = set(cluster["live_nodes"])
    return [{"shard": shard, "core": replica["core"], "base_url": replica["base_url"],
             "active": replica["state"] == "active" and replica["node_name"] in live,
             "leader": replica.get("leader") == "true"}
            for shard, slice_ in cluster["collections"][COLLECTION]["shards"].items()
            for replica in slice_["replicas"].values()]


def _wait_for_cluster(active_replicas: int, timeout: float = 180) -> list[dict]:
    """Until every shard has an active leader and `active_replicas` replicas are active."""
    deadline = time.monotonic() + timeout
    while True:
        replicas = _replicas()
        led = {r["shard"] for r in replicas if r["leader"] and r["active"]}
        if len(led) == SHARDS and sum(r["active"] for r in replicas) == active_replicas:
            return replicas
        assert time.monotonic() < deadline, replicas
        time.sleep(0.5)


def _names_on(replica: dict) -> list[str]:
    """This site's datasets held by one replica alone (distrib=false: no other replica asked)."""
    url = (f"{replica['base_url']}/{replica['core']}/select?q=*:*&fq=site_id:{config['ckan.site_id']}"
           "&fl=name,title&rows=1000&distrib=false&wt=json")
    return sorted(f"{d['name']} {d['title']}" for d in json.loads(_get(url))["response"]["docs"])


def _terms() -> dict[str, dict[str, int]]:
    """Each shard's replica terms in ZooKeeper: a leader raises its own when it sends a replica
    that missed an update into recovery, so an unchanged term means none was."""
    return {shard: json.loads(_get(f"{NODES[0].removesuffix('/solr')}/api/cluster/zookeeper/data/collections/"
                                   f"{COLLECTION}/terms/{shard}"))
            for shard in sorted({r["shard"] for r in _replicas()})}


def _commit() -> None:
    _get(f"{NODES[0]}/{COLLECTION}/update?commit=true&wt=json")  # sent on to every replica


def _held_by_each_node() -> list[list[str]]:
    """What each node's own replicas hold, all shards together, after a commit."""
    _commit()
    replicas = _replicas()
    return [sorted(name for r in replicas if r["base_url"] == node for name in _names_on(r)) for node in NODES]


def test_a_node_down_during_indexing_loses_nothing(create_dataset, clean_index):
    _wait_for_cluster(SHARDS * REPLICAS)
    for i in range(10):
        create_dataset(name=f"before-{i}", title=f"停止前{i}")
    _get(f"{CONTROL}/stop")
    try:
        _wait_for_cluster(SHARDS)  # node 0's replicas lead both shards
        for i in range(10):
            create_dataset(name=f"during-{i}", title=f"停止中{i}")
        # CKAN commits each dataset it indexes: node 0 alone answers with all of them at once
        assert call_action("package_search", rows=0)["count"] == 20
    finally:
        _get(f"{CONTROL}/start")
    _wait_for_cluster(SHARDS * REPLICAS)  # node 1's replicas recovered from their leaders
    expected = sorted([f"before-{i} 停止前{i}" for i in range(10)] + [f"during-{i} 停止中{i}" for i in range(10)])
    assert _held_by_each_node() == [expected, expected]
    assert call_action("package_search", rows=0)["count"] == 20
    found = call_action("package_search", q="停止中", rows=100)
    assert sorted(d["name"] for d in found["results"]) == [f"during-{i}" for i in range(10)]


def test_the_replicas_of_a_shard_agree_after_updates(create_dataset, sysadmin, clean_index):
    # An update reaches a replica that holds an older copy of the dataset: the replica reads that
    # copy's version from `_version_`. With CKAN's string `_version_` this failed on the followers,
    # whose leaders sent them into recovery (issue #15): the replicas agreed again only after a
    # full copy of the index, and a node lost then lost datasets.
    _wait_for_cluster(SHARDS * REPLICAS)
    datasets = [create_dataset(name=f"updated-{i}", title=f"更新前{i}") for i in range(8)]
    _commit()
    terms = _terms()
    for i, dataset in enumerate(datasets):
        call_action("package_patch", context={"user": sysadmin["name"]}, id=dataset["id"], title=f"更新後{i}")
    _commit()
    assert _terms() == terms  # no leader sent a replica into recovery
    replicas = _replicas()
    assert all(r["active"] for r in replicas), replicas  # none is recovering
    by_shard: dict[str, list[list[str]]] = {}
    for replica in replicas:
        by_shard.setdefault(replica["shard"], []).append(_names_on(replica))
    assert all(copies[0] == copies[1] for copies in by_shard.values()), by_shard
    assert sorted(name for copies in by_shard.values() for name in copies[0]) == \
        sorted(f"updated-{i} 更新後{i}" for i in range(8))
