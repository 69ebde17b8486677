"""Datasets reach the real Solr and are found by the words of their Japanese titles."""
import pytest

from ckan.tests.helpers import call_action


@pytest.fixture
def shelters(create_dataset, clean_index):
    return create_dataset(
        name="ikoma-evacuation-sites",
        title="生駒市指定緊急避難場所一覧",
        title_en="",
        notes="生駒市内の指定緊急避難場所の一覧です。",
        resources=[],
    )


@pytest.mark.parametrize("word", ["避難場所", "生駒", "一覧", "緊急"])
def test_a_word_of_the_japanese_title_finds_the_dataset(shelters, word):
    result = call_action("package_search", q=word)
    assert [d["name"] for d in result["results"]] == [shelters["name"]]


def test_a_word_not_in_the_dataset_finds_nothing(shelters):
    # 避難所 is a different word from 避難場所; phrase matching must not match a lone 所.
    assert call_action("package_search", q="避難所")["count"] == 0
    assert call_action("package_search", q="図書館")["count"] == 0


def test_full_width_latin_matches_half_width(create_dataset, clean_index):
    create_dataset(name="ikoma-aed", title="AED設置箇所一覧")
    assert call_action("package_search", q="ＡＥＤ")["count"] == 1
    assert call_action("package_search", q="aed")["count"] == 1


def test_search_filters_by_the_ikoma_organization(shelters):
    result = call_action("package_search", fq="organization:ikoma-city")
    assert result["count"] == 1
