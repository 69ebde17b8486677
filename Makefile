# ckanext-ikoma — `make demo` and `make test` are all a newcomer needs. `make help` lists the rest.
SHELL := /bin/bash
VENV ?= .venv
PYTEST_ARGS ?=

.PHONY: help stack stack-stop stack-status test demo demo-data wheel bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

stack: ## install (if needed) and start PostgreSQL, Redis, Solr 9 and the venv; idempotent
	@stack/stack.sh up

stack-stop: ## stop what `make stack` and `make demo` started (by pid)
	@stack/stack.sh down

stack-status: ## show which services are running
	@stack/stack.sh status

test: stack ## run the test suite against the real stack (fresh test database)
	@stack/stack.sh recreate-db ckan_test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

demo: stack ## serve a demo CKAN with Ikoma data at http://127.0.0.1:5000 (foreground)
	@stack/demo.sh

wheel: ## build the sdist and wheel into dist/
	$(VENV)/bin/python -m build --no-isolation --outdir dist .

bench: stack ## run the benchmarks under bench/
	@for b in bench/*.py; do [ -e "$$b" ] && $(VENV)/bin/python "$$b"; done; true

clean: ## remove build output (keeps .venv and .stack; `make stack-stop` first to stop services)
	rm -rf build dist *.egg-info
