"""Japanese search: which Solr fields a free-text query is matched against, and with what weight,
and the English fields the index gets from a dataset. The fields and their analysis are in the
configset's schema.xml (stack/solr/configset/ckan/conf); docs/solr.md explains both. Pure Python."""
from __future__ import annotations

from typing import Any

# A word found by Kuromoji in the title outranks the same word in the description, which outranks
# a fragment (bigram) or a reading match: those are there for recall, not to decide the order.
QUERY_FIELDS = " ".join([
    "name^4", "title^8", "title_en^6", "tags^6", "keywords_en^3", "groups^2", "text^2", "text_en",
    "title_bigram^1.5", "text_bigram^0.5", "title_reading", "text_reading^0.5",
])

# dismax scores a document by its best field plus TIE times the others: with 0.5 (CKAN sends 0.1) a
# word found as itself, which also matches the bigram and reading fields, outranks the same place
# found only through a synonym (避難所 → 指定避難所一覧 before 指定緊急避難場所一覧).
TIE = "0.5"

# dataset field -> the Solr field of English analysis it is indexed into (schema.xml: text_en)
ENGLISH_FIELDS = ("title_en", "notes_en", "keywords_en")


def search_params(data_dict: dict[str, Any]) -> dict[str, Any]:
    """package_search's parameters with the Japanese query fields, unless the caller chose its own
    fields or a query parser other than CKAN's (dis)max."""
    if "qf" in data_dict or data_dict.get("defType", "dismax") not in ("dismax", "edismax"):
        return data_dict
    data_dict["qf"] = QUERY_FIELDS
    data_dict.setdefault("tie", TIE)
    return data_dict


def index_english_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The English texts of a dataset under the names schema.xml analyses in English. CKAN indexes
    a scheming field as `extras_<name>`, which the catch-all `extras_*` analyses as Japanese."""
    for field in ENGLISH_FIELDS:
        value = pkg_dict.get(field) or pkg_dict.get("extras_" + field)
        if not value:
            continue
        if field == "keywords_en" and isinstance(value, str):
            value = [word.strip() for word in value.split(",") if word.strip()]
        pkg_dict[field] = value
    return pkg_dict
