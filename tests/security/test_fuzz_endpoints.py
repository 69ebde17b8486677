"""Arbitrary strings at every query parameter and path segment of every endpoint the extension
serves: the answer is never a 500 and never shows a traceback (hypothesis, against the real app)."""
from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="０１２３４５６７８９－：\\\"'%*:{}[]()^~!&|+-/\x00 \t\nZTz", max_size=40),
    st.sampled_from(["\x00", "\\", "\\\\", '"', "*:*", "%00", "2026-01-01T00:00:00+09:00", "20260101",
                     "２０２６-０１-０１", "-1", "0", "1e9", "NaN", "ikoma_dcat," * 50, "euro_dcat_ap_3",
                     "ikoma_dcat,euro_dcat_ap_3", "W10", "WyIyMDI2IiwiYSJd", "null", "[]", "{}"]),
    st.text(min_size=1000, max_size=5000),
)
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])

# (path, the query parameters it reads)
QUERY_PARAMETERS = [
    ("/catalog.ttl", ["limit", "cursor", "before", "modified_since", "profiles", "page"]),
    ("/catalog.jsonld", ["limit", "cursor", "modified_since", "profiles"]),
    ("/dataset/fuzz-target.ttl", ["profiles"]),
    ("/catalog/dump.ttl.gz", ["x"]),
    ("/standard-datasets/", ["x"]),
    ("/neighbours/", ["x"]),
    ("/api/3/action/ikoma_validation_show", ["resource_id"]),
]
# path templates with one segment from the fuzzer
PATHS = ["/dataset/{}.ttl", "/dataset/fuzz-target.{}", "/catalog.{}", "/standard-datasets/{}",
         "/standard-datasets/{}/schema.json", "/standard-datasets/{}/csv-metadata.json",
         "/standard-datasets/{}/template.csv", "/lg-codes/{}", "/neighbours/{}"]


@pytest.fixture
def target(create_dataset, clean_index, clean_redis):
    return create_dataset(name="fuzz-target", title="ファズ対象")


def _assert_handled(response, url):
    body = response.get_data()
    assert response.status_code < 500, (url, response.status_code, body[:500])
    assert b"Traceback" not in body, url


@pytest.mark.parametrize("path, parameters", QUERY_PARAMETERS)
def test_query_parameters(app, target, path, parameters):
    @FUZZ
    @given(values=st.lists(HOSTILE, min_size=len(parameters), max_size=len(parameters)))
    def probe(values):
        url = f"{path}?{urlencode(dict(zip(parameters, values)))}"
        _assert_handled(app.get(url, status=None), url)

    probe()


@pytest.mark.parametrize("template", PATHS)
def test_path_segments(app, target, template):
    @FUZZ
    @given(segment=HOSTILE.filter(lambda s: s not in ("", ".", "..")))
    def probe(segment):
        url = template.format(quote(segment, safe=""))
        _assert_handled(app.get(url, status=None), url)

    probe()
