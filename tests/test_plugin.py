import ckan.plugins as p
from ckan.tests.helpers import call_action

REQUIRED_PLUGINS = {
    "ikoma", "scheming_datasets", "scheming_organizations", "dcat", "harvest",
    "dcat_rdf_harvester", "ikoma_harvester", "activity",
}


def test_plugin_is_loaded():
    assert p.plugin_loaded("ikoma")


def test_status_show_lists_ikoma_and_the_extensions_it_builds_on():
    status = call_action("status_show")
    assert REQUIRED_PLUGINS <= set(status["extensions"])


def test_config_declaration_gives_ikoma_municipality_code(ckan_config):
    assert ckan_config["ckanext.ikoma.municipality_code"] == "292095"


def test_ckan_cli_has_ikoma_group(cli):
    from ckan.cli.cli import ckan as ckan_command

    result = cli.invoke(ckan_command, ["ikoma", "--help"])
    assert result.exit_code == 0, result.output
    assert "demo-data" in result.output


def test_vocab_list_prints_every_vocabulary_with_its_version(cli):
    from ckan.cli.cli import ckan as ckan_command

    result = cli.invoke(ckan_command, ["ikoma", "vocab", "list"])
    assert result.exit_code == 0, result.output
    for name in ("themes", "frequencies", "licenses", "local_government_codes", "standard_datasets"):
        assert name in result.output
    assert "source: code4fukui/localgovjp" in result.output
