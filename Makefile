# ckanext-ikoma — `make demo` and `make test` are all a newcomer needs. `make help` lists the rest.
SHELL := /bin/bash
# CKAN=2.11 (default: .venv, test.ini) or CKAN=2.12 (.venv-2.12, test-2.12.ini); one stack serves both.
CKAN ?= 2.11
export CKAN
ifeq ($(CKAN),2.11)
VENV ?= .venv
TEST_INI ?= test.ini
else
VENV ?= .venv-$(CKAN)
TEST_INI ?= test-$(CKAN).ini
endif
PYTEST_ARGS ?=
# SOLR=cloud: `make stack` also starts a two-node SolrCloud (stack/solr/IkomaSolrCloud.java)
SOLR ?=
export SOLR

.PHONY: help stack stack-stop stack-status test demo demo-reset wheel bench clean i18n screenshots

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

stack: ## install (if needed) and start PostgreSQL, Redis, Solr 9 and the venv; idempotent
	@stack/stack.sh up

stack-stop: ## stop what `make stack` and `make demo` started (by pid)
	@stack/stack.sh down

stack-status: ## show which services are running
	@stack/stack.sh status

test: stack ## run the test suite against the real stack (fresh test database); CKAN=2.12 for CKAN 2.12
	@stack/stack.sh recreate-db-of $(TEST_INI)
	$(VENV)/bin/pytest --ckan-ini=$(TEST_INI) $(PYTEST_ARGS)

demo: stack ## serve a demo CKAN with Ikoma data at http://127.0.0.1:5000 (foreground)
	@stack/demo.sh

wheel: ## build the sdist and wheel into dist/
	$(VENV)/bin/python -m build --no-isolation --outdir dist .

bench: ## run the benchmarks under bench/ (baselines in their own venv, .venv-bench)
	@[ -x .venv-bench/bin/python ] || python3 -m venv .venv-bench
	@.venv-bench/bin/pip install -q -r requirements/tools.txt -r requirements/bench.txt
	@.venv-bench/bin/pip install -q --no-deps -e .
	.venv-bench/bin/python bench/csv_check_vs_frictionless.py
	@stack/stack.sh up
	$(VENV)/bin/python bench/catalog_endpoint.py
	$(VENV)/bin/python bench/harvest.py
	$(VENV)/bin/python bench/hub.py --scale 0.005
	$(VENV)/bin/python bench/imi.py
	$(VENV)/bin/python bench/region.py
	$(VENV)/bin/python bench/search_quality.py

clean: ## remove build output (keeps .venv and .stack; `make stack-stop` first to stop services)
	rm -rf build dist *.egg-info

i18n: ## extract the extension's messages, update and compile every catalogue in ckanext/ikoma/i18n (ja, zh_Hans_CN, ko_KR); docs/translation.md
	$(VENV)/bin/pybabel extract -F babel.cfg -o ckanext/ikoma/i18n/ckanext-ikoma.pot --project ckanext-ikoma ckanext
	$(VENV)/bin/pybabel update -D ckanext-ikoma -i ckanext/ikoma/i18n/ckanext-ikoma.pot -d ckanext/ikoma/i18n
	$(VENV)/bin/pybabel compile -D ckanext-ikoma -d ckanext/ikoma/i18n

screenshots: stack ## refresh docs/screenshots from the browser test
	IKOMA_SCREENSHOTS=1 $(VENV)/bin/pytest tests/browser

demo-reset: stack ## empty the demo database and its search index (the next `make demo` reloads demo data)
	@stack/stack.sh recreate-db ckan_demo
	@[ -f .stack/demo.ini ] && $(VENV)/bin/ckan -c .stack/demo.ini search-index clear || true
