"""The search-quality set (tests/data/search_quality) and its measures, shared by
tests/test_search_quality.py (through CKAN) and bench/search_quality.py (stock schema vs ours).
Pure Python: no CKAN import."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass

import yaml

SET_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "search_quality")
K = 10


@dataclass(frozen=True)
class Query:
    q: str
    kind: str
    relevant: frozenset[str]


def records() -> list[dict]:
    with open(os.path.join(SET_DIR, "datasets.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def queries() -> list[Query]:
    with open(os.path.join(SET_DIR, "queries.yaml"), encoding="utf-8") as f:
        return [Query(item["q"], item["kind"], frozenset(item["relevant"])) for item in yaml.safe_load(f)]


@dataclass(frozen=True)
class Scores:
    recall: float
    precision: float
    ndcg: float
    zero_results: float
    queries: int

    def row(self) -> str:
        return (f"{self.recall:.3f} | {self.precision:.3f} | {self.ndcg:.3f} | "
                f"{self.zero_results:.1%} | {self.queries}")


def query_scores(query: Query, ranked: list[str]) -> tuple[float, float, float]:
    """recall@K, precision@K and nDCG@K (binary relevance) of one ranked list of names.
    Precision is over what was returned (a query with no result scores 0): a list of 13
    results of which 2 are relevant is what residents complain about, whatever K is."""
    top = ranked[:K]
    hits = [name in query.relevant for name in top]
    recall = sum(hits) / len(query.relevant)
    precision = sum(hits) / len(top) if top else 0.0
    dcg = sum(1 / math.log2(rank + 2) for rank, hit in enumerate(hits) if hit)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(K, len(query.relevant))))
    return recall, precision, dcg / ideal


def scores(results: dict[str, list[str]], query_set: list[Query]) -> Scores:
    """Mean measures over the set; `results` maps each query's text to the names found, in order."""
    per_query = [query_scores(query, results[query.q]) for query in query_set]
    n = len(query_set)
    return Scores(
        recall=sum(s[0] for s in per_query) / n,
        precision=sum(s[1] for s in per_query) / n,
        ndcg=sum(s[2] for s in per_query) / n,
        zero_results=sum(1 for query in query_set if not results[query.q]) / n,
        queries=n,
    )


def misses(results: dict[str, list[str]], query_set: list[Query]) -> list[str]:
    """One line per query whose top K lacks a relevant dataset or holds an irrelevant one."""
    lines = []
    for query in query_set:
        top = results[query.q][:K]
        missing = sorted(query.relevant - set(top))
        extra = [name for name in top if name not in query.relevant]
        if missing or extra:
            lines.append(f"{query.q} ({query.kind}): missing {missing}, not relevant {extra}")
    return lines


def dataset_fields(record: dict) -> dict:
    """The record as package_create fields of the Ikoma schema (overrides of a valid dataset)."""
    return {"name": record["name"], "title": record["title"], "title_en": record.get("title_en", ""),
            "notes": record["notes"], "notes_en": record.get("notes_en", ""), "tag_string": record.get("tags", ""),
            "keywords_en": record.get("keywords_en", ""), "conforms_to": "", "resources": []}
