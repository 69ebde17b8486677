"""/region: the KPI over time and the standard-dataset coverage, as a page and as CSV and JSON."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.views import _json  # one JSON response shape for the extension's pages

region_blueprint = Blueprint("ikoma_region", __name__, url_prefix="/region")


def _kpi_chart(kpi) -> str:
    from ckanext.ikoma.region.chart import Series, line_chart

    top = kpi.organizations[:8]  # the chart stays legible; the table lists every organization
    series = [Series(o.title, tuple((m, kpi.monthly.get(o.organization_id, {}).get(m, 0)) for m in kpi.months))
              for o in top]
    summary = toolkit._("Public datasets per month for %(n)s organizations, %(first)s to %(last)s; "
                        "now %(total)s in all.") % {"n": len(top), "first": kpi.months[0] if kpi.months else "-",
                                                   "last": kpi.months[-1] if kpi.months else "-", "total": kpi.total}
    return line_chart(series, toolkit._("Published datasets per month"), summary)


@region_blueprint.route("/", strict_slashes=False)
def index():
    from ckanext.ikoma.quality.mqa import indicators
    from ckanext.ikoma.region import figures

    kpi, quality = figures.kpi(), figures.quality()
    return toolkit.render("ikoma/region/index.html", {
        "kpi": kpi, "chart": _kpi_chart(kpi) if kpi.months else "", "coverage": figures.coverage_for_page(),
        "quality": {"region": quality.region, "organizations": quality.organizations,
                    "shares": quality.shares, "indicators": indicators()}})


statistics_blueprint = Blueprint("ikoma_statistics", __name__, url_prefix="/statistics")


@statistics_blueprint.route("/", strict_slashes=False)
def statistics():
    from flask import request

    from ckanext.ikoma.region.statistics import read_filters, statistics as find

    return toolkit.render("ikoma/region/statistics.html",
                          {"statistics": find(read_filters(request.args), toolkit.h.ikoma_text_language())})


@region_blueprint.route("/quality/<indicator>")
def quality_failing(indicator):
    """The public datasets that miss one quality indicator, for curators to fix."""
    from ckanext.ikoma.quality import summary
    from ckanext.ikoma.quality.mqa import indicators

    found = next((i for i in indicators() if i.key == indicator), None)
    if found is None:
        return toolkit.abort(404, toolkit._("Unknown quality indicator"))
    return toolkit.render("ikoma/region/quality_failing.html",
                          {"indicator": found, "datasets": summary.failing(found.key)})


def _csv(rows: list[list], filename: str) -> Response:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    response = Response("\ufeff" + text.getvalue(), mimetype="text/csv")  # BOM: Excel opens it as UTF-8
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@region_blueprint.route("/kpi.<fmt>")
def kpi_table(fmt):
    from ckanext.ikoma.region.figures import kpi

    figures = kpi()
    if fmt == "json":
        return _json(figures.as_dict())
    if fmt != "csv":
        return toolkit.abort(404)
    rows = [["organization", "title", "public_datasets_now", *figures.months]]
    rows += [[o.name, o.title, o.public_datasets, *(figures.monthly.get(o.organization_id, {}).get(m, "")
                                                    for m in figures.months)] for o in figures.organizations]
    return _csv(rows, "kpi.csv")


@region_blueprint.route("/quality.<fmt>")
def quality_table(fmt):
    from ckanext.ikoma.region.figures import quality

    figures = quality()
    organizations = figures.organizations
    if fmt == "json":
        return _json({"region": figures.region, "indicators": figures.shares,
                      "organizations": [o.__dict__ for o in organizations]})
    if fmt != "csv":
        return toolkit.abort(404)
    rows = [["organization", "title", "datasets", "average_points", "excellent", "good", "sufficient", "bad"]]
    rows += [[o.name, o.title, o.datasets, round(o.average_points, 1), *(o.ratings[k] for k in
             ("excellent", "good", "sufficient", "bad"))] for o in organizations]
    return _csv(rows, "quality.csv")


def _best_score(datasets: list[dict]):
    if not datasets:
        return ""
    scores = [d["score"] for d in datasets if d["score"] is not None]
    return max(scores) if scores else "unchecked"


@region_blueprint.route("/coverage.<fmt>")
def coverage_table(fmt):
    from ckanext.ikoma.region.figures import coverage

    matrix = coverage()
    if fmt == "json":
        return _json(matrix.as_dict())
    if fmt != "csv":
        return toolkit.abort(404)
    rows = [["organization", "title", "covered", *(n for n, _, _ in matrix.standards)]]
    # a cell: the best CSV conformance score of the datasets declaring that standard, "unchecked"
    # when none of them has a checked CSV, empty when the organization declares none
    rows += [[r.name, r.title, r.covered, *(_best_score(r.cells.get(n, [])) for n, _, _ in matrix.standards)]
             for r in matrix.rows]
    return _csv(rows, "coverage.csv")
