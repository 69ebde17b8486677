"""The catalog Ikoma serves conforms to its own SHACL shapes; `check-catalog` reads any catalog."""

from rdflib import Graph

from ckan.cli.cli import ckan as ckan_command

from ckanext.ikoma.catalog_check import check_catalog

NEIGHBOUR = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://example.jp/catalog> a dcat:Catalog ; dct:title "奈良市カタログ" ; dcat:dataset <https://example.jp/d/1> .
<https://example.jp/d/1> a dcat:Dataset ; dct:title "避難所" ; dcat:distribution <https://example.jp/d/1/csv> .
<https://example.jp/d/1/csv> a dcat:Distribution ; dct:title "CSV" .
"""


def test_ikoma_catalog_output_has_no_violations(app, create_dataset, sysadmin, ikoma_org, clean_index):
    create_dataset(spatial_lg_codes="292095")
    graph = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    results = check_catalog(graph)
    assert [r for r in results if r.severity == "Violation"] == []


def test_check_catalog_reports_a_neighbours_missing_items_in_japanese_and_english(cli, tmp_path):
    path = tmp_path / "neighbour.ttl"
    path.write_text(NEIGHBOUR, encoding="utf-8")
    result = cli.invoke(ckan_command, ["ikoma", "check-catalog", str(path)])
    assert result.exit_code == 1
    for expected in ("カタログの説明（◎）がありません", "the catalog has no publisher (required)",
                     "データセットの管理ID（◎）がありません", "アクセスURL（◎）がありません"):
        assert expected in result.output


def test_check_catalog_over_http(cli, file_server):
    result = cli.invoke(ckan_command, ["ikoma", "check-catalog", f"{file_server}/neighbour_catalog.ttl"])
    assert result.exit_code == 1 and "違反 / violations: " in result.output
    assert "アクセスURL（◎）がありません" in result.output
    result = cli.invoke(ckan_command, ["ikoma", "check-catalog", f"{file_server}/no-such-catalog.ttl"])
    assert result.exit_code == 1 and "cannot read the catalog" in result.output
