"""The catalog tests, and a node going down during indexing, on a real two-node
SolrCloud (`stack/stack.sh cloud-up`): the same configset and CKAN, only solr_url differs. The
tests run in a pytest of their own, on an ini that inherits this run's with the cloud's solr_url
and a database, site id and Redis db of its own."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import ckan
from ckan.plugins.toolkit import config

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STACK = os.path.join(REPO, "stack", "stack.sh")
# The search tests (Japanese and English matching, ranking) and the catalog endpoint's paging run
# on the cloud as they do on one core; tests/solrcloud/ takes a node down.
ON_THE_CLOUD = ["tests/solrcloud", "tests/test_search.py", "tests/test_catalog_endpoint.py"]


@pytest.mark.skipif(not ckan.__version__.startswith("2.11"),
                    reason="SolrCloud is Solr's concern, not CKAN's: it runs once, with the default CKAN 2.11")
def test_catalog_on_solrcloud(tmp_path):
    ini = tmp_path / "cloud.ini"
    database = config["sqlalchemy.url"].rsplit("/", 1)[1] + "_cloud"
    ini.write_text(textwrap.dedent(f"""\
        [app:main]
        use = config:{os.path.abspath(config["__file__"])}
        solr_url = http://127.0.0.1:8991/solr/ckan
        sqlalchemy.url = postgresql://ckan_default:ckan_default@127.0.0.1:5432/{database}
        ckan.site_id = {config["ckan.site_id"]}_cloud
        ckan.redis.url = redis://127.0.0.1:6379/7
        ckan.harvest.mq.redis_db = 7
        ckan.storage_path = {tmp_path}/storage

        [loggers]
        keys = root
        [handlers]
        keys = console
        [formatters]
        keys = generic
        [logger_root]
        level = WARNING
        handlers = console
        [handler_console]
        class = StreamHandler
        args = (sys.stderr,)
        level = NOTSET
        formatter = generic
        [formatter_generic]
        format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
        """).replace("%(", "%%("), encoding="utf-8")
    import redis

    # the run's own Redis db starts empty: caches of an earlier run (another database) must not answer
    redis.Redis(host="127.0.0.1", port=6379, db=7).flushdb()
    subprocess.run([STACK, "cloud-up"], check=True, capture_output=True, timeout=600)
    try:
        subprocess.run([STACK, "recreate-db", database], check=True, capture_output=True, timeout=120)
        result = subprocess.run([sys.executable, "-m", "pytest", f"--ckan-ini={ini}", "-q", "-p", "no:cacheprovider",
                                 *ON_THE_CLOUD], cwd=REPO, capture_output=True, text=True, timeout=1800)
    finally:
        subprocess.run([STACK, "cloud-down"], capture_output=True, timeout=120)
    summary = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR", "E  "))]
    assert result.returncode == 0, "\n".join(summary[:60])[:6000] + result.stdout[-1500:] + result.stderr[-1500:]
    assert " skipped" not in result.stdout.splitlines()[-1], result.stdout[-2000:]  # all ran on the cloud
