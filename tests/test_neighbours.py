"""`ckan ikoma neighbours sync`: organizations named by code, harvest sources for known catalogs,
and nothing changed by a second run."""
from ckan.cli.cli import ckan as ckan_command
from ckan.tests.helpers import call_action

from ckanext.ikoma.neighbours import load_neighbours


def test_the_neighbours_file_names_ikomas_neighbours():
    neighbours = {n.code: n for n in load_neighbours()}
    assert {"290009", "292010", "292036", "293423", "293431", "293440", "293458", "272183", "272299",
            "272272", "272302", "263664", "262145"} == set(neighbours)
    assert neighbours["290009"].role == "prefecture" and neighbours["292010"].en == "Nara City"


def test_sync_creates_organizations_and_sources_once(cli, clean_db, tmp_path, file_server):
    path = tmp_path / "neighbours.yaml"
    path.write_text(f"""
source: test
version: "1"
neighbours:
- {{code: "292010", ja: 奈良市, en: Nara City, role: origin, kind: dcat, catalog_url: "{file_server}/neighbour_catalog.ttl"}}
- {{code: "29203", ja: 大和郡山市, en: Yamatokoriyama City, role: origin, kind: dcat, catalog_url: ""}}
""", encoding="utf-8")
    result = cli.invoke(ckan_command, ["ikoma", "neighbours", "sync", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert "292010 奈良市: organization created, harvest source created" in result.output
    assert "292036 大和郡山市: organization created, no known catalog" in result.output  # 5 digits completed
    org = call_action("organization_show", id="292010")
    assert (org["title"], org["title_en"], org["lg_code"], org["prefecture"]) == ("奈良市", "Nara City", "292010", "290009")
    source = call_action("harvest_source_show", id="harvest-292010")
    assert source["url"].endswith("/neighbour_catalog.ttl") and source["owner_org"] == org["id"]
    modified = org.get("metadata_modified") or org["created"]

    result = cli.invoke(ckan_command, ["ikoma", "neighbours", "sync", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert "organization unchanged, harvest source unchanged" in result.output
    assert "organization created" not in result.output and "updated" not in result.output
    assert (call_action("organization_show", id="292010").get("metadata_modified") or org["created"]) == modified


def test_a_bad_neighbours_file_is_a_clear_error(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text('source: t\nversion: "1"\nneighbours:\n- {code: "292011", ja: x, en: x, role: origin, kind: dcat}\n',
                    encoding="utf-8")
    result = cli.invoke(ckan_command, ["ikoma", "neighbours", "sync", "--file", str(path)])
    assert result.exit_code == 1 and "neighbours file" in result.output
