"""Wiring only: which CKAN interfaces ckanext-ikoma implements and which modules answer them."""
from __future__ import annotations

import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit
from ckan.lib.plugins import DefaultTranslation

from ckanext.ikoma import cli, helpers, validators, vocabularies


@toolkit.blanket.config_declarations
class IkomaPlugin(plugins.SingletonPlugin, DefaultTranslation):
    plugins.implements(plugins.IConfigurer)
    plugins.implements(plugins.IValidators)
    plugins.implements(plugins.ITemplateHelpers)
    plugins.implements(plugins.IClick)
    plugins.implements(plugins.ITranslation)  # i18n/ja: the extension's own Babel catalogue

    # IConfigurer
    def update_config(self, config):
        toolkit.add_template_directory(config, "templates")
        # The national licences, through CKAN's own licence register, unless the site has its own.
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = "file://" + vocabularies.LICENSES_FILE

    # IValidators
    def get_validators(self):
        return validators.all_validators()

    # ITemplateHelpers
    def get_helpers(self):
        return helpers.all_helpers()

    # IClick
    def get_commands(self):
        return [cli.ikoma]
