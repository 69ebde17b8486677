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
    from ckanext.ikoma.region.coverage import coverage
    from ckanext.ikoma.region.kpi import kpi

    from ckanext.ikoma.quality import summary
    from ckanext.ikoma.quality.mqa import indicators

    figures = kpi()
    return toolkit.render("ikoma/region/index.html", {
        "kpi": figures, "chart": _kpi_chart(figures) if figures.months else "", "coverage": coverage(),
        "quality": {"region": summary.region(), "organizations": summary.organizations(),
                    "shares": summary.indicator_shares(), "indicators": indicators()}})


statistics_blueprint = Blueprint("ikoma_statistics", __name__, url_prefix="/statistics")


@statistics_blueprint.route("/", strict_slashes=False)
def statistics():
    from flask import request

    from ckanext.ikoma.region.statistics import read_filters, statistics as groups

    area, year = read_filters(request.args)
    return toolkit.render("ikoma/region/statistics.html", {
        "groups": groups(area, year, toolkit.h.lang()), "area": area, "year": year})


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
    from ckanext.ikoma.region.kpi import kpi

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
    from ckanext.ikoma.quality import summary

    organizations = summary.organizations()
    if fmt == "json":
        return _json({"region": summary.region(), "indicators": summary.indicator_shares(),
                      "organizations": [o.__dict__ for o in organizations]})
    if fmt != "csv":
        return toolkit.abort(404)
    rows = [["organization", "title", "datasets", "average_points", "excellent", "good", "sufficient", "bad"]]
    rows += [[o.name, o.title, o.datasets, round(o.average_points, 1), *(o.ratings[k] for k in
             ("excellent", "good", "sufficient", "bad"))] for o in organizations]
    return _csv(rows, "quality.csv")


@region_blueprint.route("/coverage.<fmt>")
def coverage_table(fmt):
    from ckanext.ikoma.region.coverage import coverage

    matrix = coverage()
    if fmt == "json":
        return _json(matrix.as_dict())
    if fmt != "csv":
        return toolkit.abort(404)
    rows = [["organization", "title", "covered", *(n for n, _, _ in matrix.standards)]]
    rows += [[r.name, r.title, r.covered, *(len(r.cells.get(n, [])) for n, _, _ in matrix.standards)]
             for r in matrix.rows]
    return _csv(rows, "coverage.csv")
