"""Wiring only: which CKAN interfaces ckanext-ikoma implements and which modules answer them."""
from __future__ import annotations

import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma import cli


@toolkit.blanket.config_declarations
class IkomaPlugin(plugins.SingletonPlugin):
    plugins.implements(plugins.IConfigurer)
    plugins.implements(plugins.IClick)

    # IConfigurer
    def update_config(self, config):
        toolkit.add_template_directory(config, "templates")

    # IClick
    def get_commands(self):
        return [cli.ikoma]
