"""Wiring only: which CKAN interfaces ckanext-ikoma implements and which modules answer them."""
from __future__ import annotations

import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit
from ckan.lib.plugins import DefaultTranslation

from ckanext.ikoma import bilingual, cli, compat, helpers, home, search, validators, views, views_validation, vocabularies
from ckanext.ikoma.model import ResourceValidation
from ckanext.ikoma.logic import action, auth, catalog, validation
from ckanext.ikoma.net import site as net_site


@toolkit.blanket.config_declarations
class IkomaPlugin(plugins.SingletonPlugin, DefaultTranslation):
    plugins.implements(plugins.IConfigurer)
    plugins.implements(plugins.IConfigurable)
    plugins.implements(plugins.IValidators)
    plugins.implements(plugins.ITemplateHelpers)
    plugins.implements(plugins.IClick)
    plugins.implements(plugins.ITranslation)  # i18n/ja: the extension's own Babel catalogue
    plugins.implements(plugins.IActions)
    plugins.implements(plugins.IAuthFunctions)
    plugins.implements(plugins.IBlueprint)
    plugins.implements(plugins.IFacets, inherit=True)
    plugins.implements(plugins.IResourceController, inherit=True)
    plugins.implements(plugins.IPackageController, inherit=True)
    plugins.implements(plugins.IOrganizationController, inherit=True)

    # IConfigurer
    def update_config(self, config):
        toolkit.add_template_directory(config, "templates")
        toolkit.add_resource("assets", "ikoma")
        # The national licences, through CKAN's own licence register, unless the site has its own.
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = "file://" + vocabularies.LICENSES_FILE

    # IConfigurable: a malformed fetch allow-list stops the site at start-up, not at the first fetch
    def configure(self, config):
        net_site.check_config(config)

    # IValidators
    def get_validators(self):
        return validators.all_validators()

    # ITemplateHelpers
    def get_helpers(self):
        return helpers.all_helpers()

    # IClick
    def get_commands(self):
        return [cli.ikoma]

    # IActions / IAuthFunctions
    def get_actions(self):
        return action.get_actions()

    def get_auth_functions(self):
        return auth.get_auth_functions()

    # IBlueprint
    def get_blueprint(self):
        return views.get_blueprints() + views_validation.get_blueprints()

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        facets_dict[home.THEME_FIELD] = toolkit._("Theme")
        facets_dict[validation.CONFORMANCE_FIELD] = toolkit._("Standard dataset conformance")
        return facets_dict

    # IResourceController: check CSV files of datasets that conform to a standard dataset
    def after_resource_create(self, context, resource):
        validation.enqueue_for_resource(resource)

    def after_resource_update(self, context, resource):
        validation.enqueue_for_resource(resource)

    # IPackageController
    def after_dataset_create(self, context, pkg_dict):
        validation.enqueue_unchecked(context, pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        ResourceValidation.forget_removed(pkg_dict["id"])  # a deleted resource's report goes with it
        validation.enqueue_unchecked(context, pkg_dict)
        catalog.dataset_left_if_not_public(pkg_dict)

    def after_dataset_delete(self, context, pkg_dict):
        catalog.forget_dataset(pkg_dict["id"])
        ResourceValidation.forget_removed(pkg_dict["id"], everything=True)

    def after_dataset_search(self, search_results, search_params):  # facet values in the UI's language
        return bilingual.facet_labels(search_results, {
            validation.CONFORMANCE_FIELD: validation.CONFORMANCE_FACET_LABELS,
            home.THEME_FIELD: vocabularies.vocabulary("themes").labels})

    def before_dataset_index(self, pkg_dict):
        from ckanext.ikoma.logic.index_fields import add_index_fields

        pkg_dict = search.index_english_fields(add_index_fields(validation.index_conformance(pkg_dict)))
        return compat.validated_harvest_source(pkg_dict)

    def before_dataset_search(self, search_params):
        return search.search_params(search_params)

    # IOrganizationController (IPackageController shares these method names, hence the check):
    # an organization's names and code are in every dataset graph of its own
    def edit(self, entity):
        catalog.organization_changed(entity)

    def delete(self, entity):
        catalog.organization_changed(entity)
