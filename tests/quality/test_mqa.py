"""Each MQA indicator on a dataset that has it and on one that lacks it; points, ratings, the
405 in all; the Japan dimension kept beside the 405."""
import pytest

from ckanext.ikoma.quality.mqa import MAX_POINTS, assess, indicators

FULL = {
    "tags": [{"name": "AED"}], "theme": '["health"]', "spatial_lg_codes": '["292095"]',
    "temporal": "2024-04-01/2025-03-31", "license_id": "cc-by", "access_rights": "public",
    "contact_phone": "0743-74-1111", "owner_org": "org", "issued": "2024-04-01", "modified": "2024-04-01",
    "conforms_to": "08", "title_en": "AED", "notes_en": "AED locations",
    "resources": [{"url": "https://example.org/aed.csv", "format": "CSV", "mimetype": "text/csv", "size": 10,
                   "license": "cc-by", "character_encoding": "utf-8"}],
}
LINKS = {"https://example.org/aed.csv": 200}
EMPTY = {"resources": [{"url": "https://example.org/page", "format": "", "mimetype": ""}]}


def test_the_weights_add_up_to_405():
    assert sum(i.points for i in indicators() if i.dimension != "japan") == MAX_POINTS == 405


def test_a_complete_dataset_scores_every_point_and_is_excellent():
    result = assess(FULL, LINKS, shacl_ok=True, csv_conformance=1.0)
    assert result.points == 405 and result.rating == "excellent" and result.missed() == []


@pytest.mark.parametrize("indicator", [i.key for i in indicators() if i.points])
def test_each_indicator_is_earned_by_a_dataset_that_has_it_and_missed_by_one_that_lacks_it(indicator):
    full = assess(FULL, LINKS, shacl_ok=True, csv_conformance=1.0)
    empty = assess(EMPTY, {}, shacl_ok=False)
    assert next(r for r in full.results if r.indicator.key == indicator).met
    assert not next(r for r in empty.results if r.indicator.key == indicator).met


def test_an_unchecked_link_earns_no_accessibility_points_and_an_upload_does():
    unchecked = assess(FULL, {}, shacl_ok=True)
    assert {r.indicator.key for r in unchecked.missed()} >= {"access_url_ok", "download_url_ok"}
    uploaded = dict(FULL, resources=[dict(FULL["resources"][0], url_type="upload")])
    assert "access_url_ok" not in {r.indicator.key for r in assess(uploaded, {}, shacl_ok=True).missed()}


def test_distribution_indicators_score_the_share_of_distributions():
    half = dict(FULL, resources=FULL["resources"] + [{"url": "https://example.org/x.pdf", "format": "PDF"}])
    result = assess(half, LINKS, shacl_ok=True)
    machine = next(r for r in result.results if r.indicator.key == "machine_readable")
    assert machine.share == 0.5 and machine.earned == 10


@pytest.mark.parametrize("points, rating", [(405, "excellent"), (351, "excellent"), (350, "good"), (221, "good"),
                                            (220, "sufficient"), (121, "sufficient"), (120, "bad"), (0, "bad")])
def test_ratings(points, rating):
    from ckanext.ikoma.quality.mqa import rating_of

    assert rating_of(points) == rating


def test_the_japan_dimension_is_beside_the_405():
    without = assess(dict(FULL, title_en="", conforms_to=""), LINKS, shacl_ok=True, csv_conformance=0.0)
    assert without.points == 405
    assert {r.indicator.key for r in without.missed()} == {"english", "declares_standard", "csv_conformance"}
