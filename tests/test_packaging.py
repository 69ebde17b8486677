"""A CKAN admin's install: build the sdist and wheel, install the wheel (not editable) into a fresh
venv holding the CKAN this suite runs on (2.11 or 2.12, with its own pins), and check that the
install changed none of CKAN's packages, that the data files travel inside the package and that
`ckan db upgrade -p ikoma` runs there against the real PostgreSQL."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import psycopg2
import pytest
from sqlalchemy.engine import make_url

import ckan

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# requirements/ckan-2.11.txt or ckan-2.12.txt: the CKAN of this run, as a site has it
CKAN_REQUIREMENTS = os.path.join(REPO, "requirements", f"ckan-{'.'.join(ckan.__version__.split('.')[:2])}.txt")

PACKAGED_FILES = [
    "config_declaration.yml",
    "schemas/dataset.yaml",
    "schemas/organization.yaml",
    "vocab/README.md",
    "migration/ikoma/alembic.ini",
    "migration/ikoma/env.py",
    "migration/ikoma/script.py.mako",
    "migration/ikoma/versions/0001_baseline.py",
    "migration/ikoma/versions/0002_resource_validation.py",
    "migration/ikoma/versions/0003_harvest_pages.py",
    "migration/ikoma/versions/0004_kpi_snapshots.py",
    "migration/ikoma/versions/0005_quality.py",
    "migration/ikoma/versions/0006_validation_cascade.py",
    "migration/ikoma/versions/0007_harvest_identity_index.py",
    "jp/messages.yaml",
    "vocab/local_government_codes.csv",
    "vocab/licenses.json",
    "vocab/standard-datasets/13_public-toilets.yaml",
    "standards/definition.schema.json",
    "i18n/ja/LC_MESSAGES/ckanext-ikoma.mo",
    "templates/ikoma/standard_datasets/index.html",
    "demo/demo_data.yaml",
    "demo/aed.csv",
]


def run(*args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed_venv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    # sdist first, then the wheel from the sdist: proves both carry the data files.
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), REPO)
    [wheel] = list(dist.glob("*.whl"))
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", str(venv))
    pip = str(venv / "bin" / "pip")
    run(pip, "install", "-q", "-r", os.path.join(REPO, "requirements", "tools.txt"))
    # an existing site first, then the extension on its own, as the README says
    run(pip, "install", "-q", "-r", CKAN_REQUIREMENTS)
    (venv / "site-before-ikoma.json").write_text(json.dumps(_frozen(venv)))
    run(pip, "install", "-q", str(wheel))
    return venv


def _frozen(venv) -> dict[str, str]:
    lines = run(str(venv / "bin" / "pip"), "freeze", "--all").stdout.splitlines()
    return dict(line.lower().replace("_", "-").split("==", 1) for line in lines if "==" in line)


def test_installing_the_wheel_changes_none_of_the_sites_ckan_packages(installed_venv):
    before = json.loads((installed_venv / "site-before-ikoma.json").read_text())
    after = _frozen(installed_venv)
    assert after["ckan"] == ckan.__version__
    assert {name: (version, after.get(name)) for name, version in before.items() if after.get(name) != version} == {}
    run(str(installed_venv / "bin" / "pip"), "check")


def _package_dir(venv):
    result = run(
        str(venv / "bin" / "python"), "-c",
        "import ckanext.ikoma, os; print(os.path.dirname(ckanext.ikoma.__file__))",
        cwd="/",
    )
    return result.stdout.strip()


def test_wheel_installs_as_a_regular_package_with_its_data_files(installed_venv):
    package_dir = _package_dir(installed_venv)
    assert package_dir.startswith(str(installed_venv)), "not the installed copy"
    missing = [f for f in PACKAGED_FILES if not os.path.isfile(os.path.join(package_dir, f))]
    assert not missing


@pytest.fixture
def throwaway_database(ckan_config):
    url = make_url(ckan_config["sqlalchemy.url"])
    name = f"ikoma_wheel_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, dbname="postgres"
    )
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name)
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_db_upgrade_for_ikoma_runs_from_the_installed_wheel(installed_venv, throwaway_database, ckan_config, tmp_path):
    # As an admin would: generate a ckan.ini, then set the lines the README lists.
    ckan = str(installed_venv / "bin" / "ckan")
    ini = str(tmp_path / "ckan.ini")
    run(ckan, "generate", "config", ini, cwd=str(tmp_path))
    run(
        ckan, "config-tool", ini,
        f"sqlalchemy.url={throwaway_database.render_as_string(hide_password=False)}",
        f"solr_url={ckan_config['solr_url']}",
        f"ckan.redis.url={ckan_config['ckan.redis.url']}",
        "ckan.plugins=ikoma scheming_datasets scheming_organizations dcat harvest activity",
        "scheming.dataset_schemas=ckanext.ikoma:schemas/dataset.yaml",
        "scheming.organization_schemas=ckanext.ikoma:schemas/organization.yaml",
        "scheming.presets=ckanext.scheming:presets.json ckanext.ikoma:schemas/presets.yaml",
        cwd=str(tmp_path),
    )
    run(ckan, "-c", ini, "db", "init", cwd=str(tmp_path))  # CKAN's own tables: ikoma's keys point to them
    run(ckan, "-c", ini, "db", "upgrade", "-p", "ikoma", cwd=str(tmp_path))

    url = throwaway_database
    with psycopg2.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, dbname=url.database
    ) as conn:
        cur = conn.cursor()
        cur.execute("SELECT version_num FROM ikoma_alembic_version")
        assert cur.fetchall() == [("0007_harvest_identity_index",)]
        cur.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'ikoma_harvest_identity_idx'")
        assert cur.fetchone() == (1,)
        cur.execute("SELECT count(*) FROM ikoma_resource_validation")
        assert cur.fetchone() == (0,)
