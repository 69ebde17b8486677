import pytest

from ckanext.ikoma import vocabularies
from ckanext.ikoma.vocabularies import normalize_frequency, vocabulary


@pytest.mark.parametrize("name", vocabularies.YAML_VOCABULARIES + ("licenses", "prefectures"))
def test_every_vocabulary_loads_with_unique_values_and_both_labels(name):
    v = vocabulary(name)
    values = [t.value for t in v]
    assert len(values) == len(set(values)) > 0
    assert all(t.ja and t.en for t in v)


@pytest.mark.parametrize("name", vocabularies.YAML_VOCABULARIES)
def test_yaml_vocabularies_name_their_source_and_version(name):
    v = vocabulary(name)
    assert v.source and v.version


def test_vocabularies_are_loaded_once():
    assert vocabulary("themes") is vocabulary("themes")
    assert vocabularies.local_governments() is vocabularies.local_governments()


def test_themes_are_the_17_categories_with_eu_uris():
    themes = vocabulary("themes")
    assert len(themes) == 17
    assert themes.lookup("人口・世帯").uri == "http://publications.europa.eu/resource/authority/data-theme/SOCI"
    assert themes.get("other").uri is None


@pytest.mark.parametrize("text, value", [
    ("随時", "irregular"), ("不定期", "irregular"), ("毎月", "monthly"), ("月次", "monthly"),
    ("年1回", "annual"), ("年１回", "annual"), ("年度更新", "annual"), ("少なくとも年1回", "annual"),
    ("年4回", "quarterly"), ("週1回", "weekly"), ("毎日", "daily"), ("リアルタイム", "continuous"),
    ("Monthly", "monthly"), ("http://publications.europa.eu/resource/authority/frequency/ANNUAL", "annual"),
])
def test_free_text_frequencies_normalise(text, value):
    assert normalize_frequency(text).value == value


def test_unknown_frequency_is_none():
    assert normalize_frequency("気が向いたら") is None


def test_licences_have_ja_and_en_titles_and_uris():
    licences = vocabulary("licenses")
    assert [t.value for t in licences] == [
        "cc-by", "cc-by-sa", "cc-zero", "pdl-1.0", "jp-gov-standard-2.0", "other"]
    assert licences.get("pdl-1.0").uri == "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"


def test_ikoma_and_its_neighbours_are_in_the_codes():
    governments = vocabularies.local_governments()
    assert governments["292095"].full_name == "奈良県生駒市"
    assert governments["292095"].name_kana == "いこまし"
    assert governments["290009"].kind == "prefecture"
    for code in ("292010", "292036", "293423", "272183", "263664"):
        assert code in governments


def test_prefectures_accept_short_names():
    prefectures = vocabulary("prefectures")
    assert len(prefectures) == 47
    assert prefectures.lookup("奈良").value == "290009"
    assert prefectures.lookup("京都").value == "260002"
    assert prefectures.lookup("北海道").value == "010006"
