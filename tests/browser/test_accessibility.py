"""Issue 14, accessibility as a test: axe-core (WCAG 2.1 A and AA rules, the npm package pinned in
package.json) run in Chromium on the extension's pages and the core pages it changes, in Japanese
and English. No violation is allowed except those listed in CORE_VIOLATIONS: markup of CKAN core
templates that the extension does not override (docs/accessibility.md)."""
import json
import os

import pytest

from test_curator_form import curator, log_in, press, type_into  # noqa: F401

AXE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                   "node_modules", "axe-core", "axe.min.js")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# (rule, CSS target) pairs that come from CKAN core's own templates, kept here so each one is named.
CORE_VIOLATIONS: set[tuple[str, str]] = set()

PUBLIC_PAGES = ["/", "/about", "/dataset/", "/dataset/ikoma-toilets", "/standard-datasets/",
                "/standard-datasets/13", "/neighbours/", "/region/", "/statistics/"]
CURATOR_PAGES = ["/dataset/new", "/dataset/ikoma-toilets/resource/new"]


def _axe(browser) -> list[dict]:
    if not browser.execute_script("return !!window.axe"):
        with open(AXE, encoding="utf-8") as f:
            browser.execute_script(f.read())
    result = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(function (r) {"
        " done(r.violations.map(function (v) { return {id: v.id, impact: v.impact, help: v.help,"
        "  targets: v.nodes.map(function (n) { return n.target.join(' '); })}; })); });" % json.dumps(RULES))
    return result


def _violations(browser, url) -> list[str]:
    browser.get(url)
    found = []
    if browser.execute_script("return document.querySelectorAll('main, [role=main]').length") != 1:
        found.append(f"{url}: not exactly one main landmark")
    for violation in _axe(browser):
        for target in violation["targets"]:
            if (violation["id"], target) not in CORE_VIOLATIONS:
                found.append(f"{url}: {violation['id']} ({violation['help']}) at {target}")
    return found


@pytest.mark.skipif(not os.path.exists(AXE), reason="npm ci installs axe-core (make stack)")
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_pages_have_no_axe_violations(live_server, browser, create_dataset, clean_index, clean_queues, upload_csv,
                                      curator, prefix):  # noqa: F811
    from test_validation_job import run_worker

    browser.set_script_timeout(60)
    dataset = create_dataset(name="ikoma-toilets", title="公衆トイレ一覧", title_en="Public toilets", conforms_to="13",
                             theme=["social-security-health"], resources=[])
    resource = upload_csv(dataset, "toilets_current_bom_errors.csv")
    run_worker()  # the resource page shows a validation report with findings
    found = []
    for path in PUBLIC_PAGES + [f"/dataset/ikoma-toilets/resource/{resource['id']}"]:
        found += _violations(browser, live_server + prefix + path)
    log_in(browser, live_server, curator)
    for path in CURATOR_PAGES:
        found += _violations(browser, live_server + prefix + path)
    # the dataset form with errors
    browser.get(live_server + prefix + "/dataset/new")
    type_into(browser, "field-contact_phone", "abc")
    press(browser, "button[name=save]")
    found += [f"(form with errors) {v}" for v in _violations_here(browser)]
    assert not found, "\n".join(found)


def _violations_here(browser) -> list[str]:
    return [f"{v['id']} ({v['help']}) at {t}" for v in _axe(browser) for t in v["targets"]
            if (v["id"], t) not in CORE_VIOLATIONS]
