"""`ckan ikoma …` commands."""
from __future__ import annotations

import click


@click.group(short_help="ckanext-ikoma commands (生駒市オープンデータ)")
def ikoma():
    """ckanext-ikoma: Ikoma City open data catalog tools."""


@ikoma.command("demo-data")
def demo_data():
    """Create the Ikoma organization and demo datasets (idempotent)."""
    from ckanext.ikoma.demo import demo_definition, load_demo_data

    total = 1 + len(demo_definition()["datasets"])
    results = []
    with click.progressbar(load_demo_data(), length=total, label="demo data") as items:
        for item in items:
            results.append(item)
    for kind, name, created in results:
        click.echo(f"{kind} {name}: {'created' if created else 'already present'}")


@ikoma.group()
def vocab():
    """Controlled vocabularies shipped in vocab/."""


@vocab.command("list")
def vocab_list():
    """Print every loaded vocabulary with its size, version and source."""
    from ckanext.ikoma.vocabularies import inventory

    for item in inventory():
        click.echo(f"{item['name']:<24} {item['terms']:>5}  {item['version']}")
        click.echo(f"{'':<31}source: {item['source']}")
