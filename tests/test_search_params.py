"""ckanext/ikoma/search.py without Solr: the query fields it sends and the English fields it indexes."""
from ckanext.ikoma import search


def test_a_free_text_search_gets_the_japanese_query_fields():
    assert search.search_params({"q": "避難所"})["qf"] == search.QUERY_FIELDS
    assert search.search_params({"q": "避難所"})["tie"] == search.TIE
    assert search.search_params({"q": "避難所", "defType": "edismax"})["qf"] == search.QUERY_FIELDS


def test_the_callers_own_fields_tie_or_query_parser_are_left_alone():
    assert search.search_params({"q": "x", "qf": "title"}) == {"q": "x", "qf": "title"}
    assert search.search_params({"q": "x", "tie": "0.1"})["tie"] == "0.1"
    assert "qf" not in search.search_params({"q": "x", "defType": "lucene"})


def test_title_outranks_description_and_words_outrank_fragments_and_readings():
    weight = {f.split("^")[0]: float(f.split("^")[1]) if "^" in f else 1.0 for f in search.QUERY_FIELDS.split()}
    assert weight["title"] > weight["text"] > weight["text_bigram"]
    assert weight["title"] > weight["title_bigram"] and weight["title"] > weight["title_reading"]


def test_english_scheming_fields_are_indexed_under_their_own_names():
    doc = search.index_english_fields({"extras_title_en": "Public toilets", "extras_keywords_en": "toilet, public,",
                                       "extras_notes_en": ""})
    assert doc["title_en"] == "Public toilets"
    assert doc["keywords_en"] == ["toilet", "public"]
    assert "notes_en" not in doc
