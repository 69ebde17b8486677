"""Pages and files of the standard datasets: /standard-datasets (ja/en), one page per definition
with a stable URL (used for dct:conformsTo), and its exports (Table Schema, CSVW, blank CSV)."""
from __future__ import annotations

import json
from urllib.parse import quote

from flask import Blueprint, Response

import ckan.model as model
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.imi.columns import coverage as imi_coverage
from ckanext.ikoma.standards import items as standard_items
from ckanext.ikoma.standards import standard_dataset, standard_datasets
from ckanext.ikoma.standards.items import data_items
from ckanext.ikoma.standards import export

standard_datasets_blueprint = Blueprint("ikoma_standards", __name__, url_prefix="/standard-datasets")


def _definition_or_404(number: str, with_columns: bool = False):
    try:
        definition = standard_dataset(number)
    except KeyError:
        return toolkit.abort(404, toolkit._("Standard dataset not found"))
    if with_columns and not definition.columns:
        return toolkit.abort(404, toolkit._("No column definitions for this standard dataset"))
    return definition


@standard_datasets_blueprint.route("/", strict_slashes=False)
def index():
    return toolkit.render("ikoma/standard_datasets/index.html",
                          {"definitions": list(standard_datasets().values())})


@standard_datasets_blueprint.route("/items")
def items():
    """データ項目辞書: every item of every definition, for departments designing a new list."""
    return toolkit.render("ikoma/standard_datasets/items.html", {
        "items": data_items(), "definitions": standard_datasets()})


@standard_datasets_blueprint.route("/items.json")
def items_json():
    return _json({"items": [item.to_dict() for item in data_items()]})


@standard_datasets_blueprint.route("/items.csv")
def items_csv():
    response = Response(standard_items.items_csv(), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=\"data-items.csv\""
    return response


@standard_datasets_blueprint.route("/<number>")
def read(number):
    definition = _definition_or_404(number)
    mapped, total = imi_coverage(definition.columns)
    return toolkit.render("ikoma/standard_datasets/read.html", {
        "definition": definition, "imi_mapped": mapped, "imi_total": total,
        "imi_percent": int(100 * mapped / total) if total else 0})


def _json(document, mimetype: str = "application/json") -> Response:
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype=mimetype)


@standard_datasets_blueprint.route("/<number>/schema.json")
def table_schema(number):
    return _json(export.table_schema(_definition_or_404(number, with_columns=True)))


@standard_datasets_blueprint.route("/<number>/csv-metadata.json")
def csvw(number):
    definition = _definition_or_404(number, with_columns=True)
    template_url = toolkit.url_for("ikoma_standards.template", number=definition.number, _external=True)
    return _json(export.csvw(definition, template_url), mimetype="application/csvm+json")


@standard_datasets_blueprint.route("/<number>/template.csv")
def template(number):
    definition = _definition_or_404(number, with_columns=True)
    filename = f"{definition.number}_{definition.name_ja}.csv"
    response = Response(export.blank_csv(definition), mimetype="text/csv")
    # RFC 6266/5987: an ASCII fallback plus the Japanese file name
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"standard-{definition.number}.csv\"; filename*=UTF-8''{quote(filename)}")
    return response


lg_codes_blueprint = Blueprint("ikoma_lg_codes", __name__, url_prefix="/lg-codes")


@lg_codes_blueprint.route("/<code>")
def lg_code(code):
    """The local government a 全国地方公共団体コード names: what `dct:spatial` URIs resolve to."""
    from ckanext.ikoma.vocabularies import local_governments

    government = local_governments().get(code)
    if government is None:
        return toolkit.abort(404, toolkit._("Unknown local government code"))
    return _json({
        "@id": toolkit.url_for("ikoma_lg_codes.lg_code", code=code, _external=True),
        "@type": "http://purl.org/dc/terms/Location",
        "identifier": government.code, "name": government.full_name, "name_kana": government.name_kana,
        "name_en": government.name_en or None, "kind": government.kind,
        "prefecture_code": government.prefecture_code, "url": government.url or None,
    })


# The same view names and arguments as ckanext-dcat's, so that its templates' RDF links
# (through the dcat_get_endpoint helper, chained in helpers.py) point here.
catalog_blueprint = Blueprint("ikoma_catalog", __name__)


def _rdf_response(body: bytes, fmt: str, etag: str, last_modified: str | None, private: bool = False,
                  varies_by_user: bool = False) -> Response:
    import datetime as dt

    from flask import request

    from ckanext.ikoma.logic.catalog import FORMATS

    response = Response(body, mimetype=FORMATS[fmt][1])
    response.set_etag(etag)
    if last_modified:
        response.last_modified = dt.datetime.fromisoformat(last_modified.rstrip("Z")).replace(tzinfo=dt.timezone.utc)
    _cache_headers(response, private, varies_by_user)
    return response.make_conditional(request)  # 304 on a matching If-None-Match / If-Modified-Since


def _cache_headers(response: Response, private: bool, varies_by_user: bool) -> None:
    """Public answers may be kept by shared caches (and revalidated); an answer that only some
    users may see is for the browser of the one who asked. A URL whose answer depends on who
    asks says so (Vary), so that no cache hands one user's answer to another."""
    if private:
        from flask import request

        request.environ["__no_cache__"] = True  # else CKAN's after_request marks it public again
        response.cache_control.private = True
        response.cache_control.no_store = True
    else:
        response.cache_control.public = True
        response.cache_control.max_age = 0
        response.cache_control.must_revalidate = True
    if varies_by_user:
        response.vary.update(("Cookie", "Authorization"))


def _bad_request(error) -> Response:
    return Response(json.dumps({"error": {"ja": error.ja, "en": error.en}}, ensure_ascii=False), status=400,
                    mimetype="application/json")


@catalog_blueprint.route("/catalog.<_format>")
def read_catalog(_format):
    from flask import request

    from ckanext.ikoma.logic.catalog import CatalogRequestError, parse_page_query, render_page

    try:
        query = parse_page_query(_format, request.args)
    except CatalogRequestError as e:
        return _bad_request(e)
    base_url = toolkit.url_for("ikoma_catalog.read_catalog", _format=_format, _external=True)
    body, etag, last_modified = render_page(query, base_url)
    return _rdf_response(body, _format, etag, last_modified)


@catalog_blueprint.route("/dataset/<_id>.<_format>")
def read_dataset(_id, _format):
    from flask import request

    from ckanext.ikoma.logic.catalog import CatalogRequestError, read_profiles, render_dataset
    from ckanext.ikoma.logic.catalog_query import check_dataset_id, check_format

    try:
        check_format(_format)
        check_dataset_id(_id)
        profiles = read_profiles(request.args.get("profiles"))
    except CatalogRequestError as e:
        return _bad_request(e)
    try:
        pkg = toolkit.get_action("package_show")({"user": toolkit.current_user.name if toolkit.current_user else ""},
                                                 {"id": _id})
    except (toolkit.ObjectNotFound, toolkit.NotAuthorized):
        # private, draft and deleted datasets are as absent as unknown ones
        return _not_found_varying()
    if pkg.get("state") != "active":
        return _not_found_varying()
    body, etag = render_dataset(pkg, _format, profiles)
    private = bool(pkg.get("private"))
    return _rdf_response(body, _format, etag, pkg["metadata_modified"], private=private, varies_by_user=True)


def _not_found_varying() -> Response:
    """404 to this user; another (an editor) may be shown the dataset at the same URL."""
    response = Response(json.dumps({"error": {"ja": "データセットが見つかりません", "en": "Dataset not found"}},
                                   ensure_ascii=False), status=404, mimetype="application/json")
    _cache_headers(response, private=True, varies_by_user=True)
    return response


@catalog_blueprint.route("/catalog/dump.ttl.gz")
def catalog_dump():
    """The whole public catalog as gzipped Turtle: assembled at each request from the file that
    `ckan ikoma catalog-dump` writes and the datasets that are public now."""
    from flask import request, stream_with_context

    from ckanext.ikoma.logic.catalog_dump import dump_answer

    answer = dump_answer()
    if answer is None:
        return toolkit.abort(404, toolkit._("No catalog dump yet: run `ckan ikoma catalog-dump`"))
    if answer.etag in request.if_none_match:
        response = Response(status=304)
        response.set_etag(answer.etag)
        _cache_headers(response, private=False, varies_by_user=False)
        return response
    response = Response(stream_with_context(answer.body), mimetype="application/gzip")
    response.headers["Content-Disposition"] = 'attachment; filename="catalog.ttl.gz"'
    response.set_etag(answer.etag)
    _cache_headers(response, private=False, varies_by_user=False)
    return response


def serves_catalog() -> bool:
    return not toolkit.asbool(toolkit.config.get("ckanext.dcat.enable_rdf_endpoints"))


# ---------------------------------------------------------------- neighbours' harvests

harvest_status_blueprint = Blueprint("ikoma_harvest", __name__, url_prefix="/neighbours")


def _viewer() -> dict:
    return {"user": toolkit.current_user.name if toolkit.current_user else ""}


@harvest_status_blueprint.route("/", strict_slashes=False)
def harvest_index():
    from ckanext.ikoma.logic.harvest_report import source_summary, visible_sources

    return toolkit.render("ikoma/harvest/index.html",
                          {"statuses": [source_summary(s) for s in visible_sources(_viewer())]})


@harvest_status_blueprint.route("/<name>")
def harvest_read(name):
    from ckanext.harvest.model import HarvestSource
    from ckanext.ikoma.logic.harvest_report import allowed, source_status

    package = model.Package.get(name) if len(name) <= 100 and "\x00" not in name else None
    source = HarvestSource.get(package.id) if package is not None and package.type == "harvest" else None
    if source is None or not source.active or not allowed("harvest_source_show", _viewer(), source.id):
        return toolkit.abort(404, toolkit._("Harvest source not found"))
    # a source's curators see its private datasets too; everyone else the public ones
    status = source_status(source, include_private=allowed("harvest_source_update", _viewer(), source.id))
    return toolkit.render("ikoma/harvest/read.html", {"status": status})


def get_blueprints():
    from ckanext.ikoma.region.views import region_blueprint, statistics_blueprint
    from ckanext.ikoma.seo import sitemap_blueprint

    blueprints = [standard_datasets_blueprint, lg_codes_blueprint, harvest_status_blueprint, region_blueprint,
                  statistics_blueprint, sitemap_blueprint]
    # The catalog endpoints replace ckanext-dcat's, which must be switched off for the same URLs
    # (ckanext.dcat.enable_rdf_endpoints = false); while they are on, theirs serve.
    if serves_catalog():
        blueprints.append(catalog_blueprint)
    return blueprints
