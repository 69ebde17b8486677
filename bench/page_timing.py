"""Timing a page of the filled site through CKAN's WSGI stack: cold (its Redis cache emptied, the
first request after it) and warm (the median of the next requests). Shared by hub.py and region.py."""
from __future__ import annotations

import statistics
import time


def cold_and_warm(client, redis, url: str, cache_prefixes: tuple[str, ...], warm_runs: int = 10) -> dict[str, float]:
    for prefix in cache_prefixes:
        for key in redis.scan_iter(prefix):
            redis.delete(key)
    start = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    warm = []
    for _ in range(warm_runs):
        start = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - start)
    return {"cold": cold, "warm": statistics.median(warm)}
