"""`ckan ikoma …` commands."""
from __future__ import annotations

import contextlib
import sys

import click


class _LineProgress:
    """Progress as lines at each tenth, for output that is not a terminal (cron, logs), where
    click's bar shows only its label."""

    def __init__(self, length: int, label: str):
        self.length, self.label, self.done, self.shown = length, label, 0, -1
        self._show()

    def update(self, steps: int) -> None:
        self.done += steps
        self._show()

    def _show(self) -> None:
        tenth = 10 * self.done // self.length if self.length else 10
        if tenth > self.shown:
            self.shown = tenth
            percent = 100 * self.done // self.length if self.length else 100
            click.echo(f"{self.label}: {self.done}/{self.length} ({percent}%)")


@contextlib.contextmanager
def _progress(length: int, label: str):
    """A progress bar on a terminal, lines otherwise; `.update(n)` either way."""
    if sys.stdout.isatty():
        with click.progressbar(length=length, label=label, show_pos=True, show_percent=True) as bar:
            yield bar
    else:
        yield _LineProgress(length, label)


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


@ikoma.command("validate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--standard", "-s", help="standard dataset number, e.g. 13 (default: the one the header reads as)")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@click.option("--max-issues", default=100, show_default=True, help="occurrences listed in the report")
@click.option("--fix", "fix_path", type=click.Path(dir_okay=False, writable=True),
              help="write a corrected copy here: UTF-8 with BOM, every warning's fix applied, nothing else changed")
def validate(path, standard, output, max_issues, fix_path):
    """Check a CSV FILE against a 自治体標準オープンデータセット; exit 1 when it has errors."""
    from ckanext.ikoma.csv_check.validate_file import CannotFix, validate_file

    try:
        outcome = validate_file(path, standard, max_issues=max_issues, fix_path=fix_path)
    except KeyError:
        raise click.BadParameter(f"unknown standard dataset {standard!r} (see `ckan ikoma vocab list`)",
                                 param_hint="--standard")
    except CannotFix as e:
        raise click.ClickException(str(e))
    for line in outcome.notes:
        click.echo(line, err=output == "json")
    if outcome.report is None:
        raise SystemExit(2)
    click.echo(outcome.report.to_json(indent=2) if output == "json" else outcome.report.to_text())
    if not outcome.report.valid:
        raise SystemExit(1)


@ikoma.command("to-imi")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--standard", "-s", help="standard dataset number, e.g. 13 (default: the one the header reads as)")
@click.option("--format", "fmt", type=click.Choice(["jsonld", "ttl", "nt"]), default="jsonld", show_default=True)
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, writable=True),
              help="write here (default: standard output)")
def to_imi(path, standard, fmt, out_path):
    """Convert a standard-dataset CSV FILE to IMI 共通語彙基盤 linked data, one instance per row;
    rows with errors are skipped and counted."""
    import contextlib
    import sys

    from ckanext.ikoma.csv_check.detect import detect_standard, read_header
    from ckanext.ikoma.imi.convert import convert_csv
    from ckanext.ikoma.standards import standard_dataset

    if not standard:
        detection = detect_standard(read_header(path) or [])
        for ja, en in zip(detection.messages("ja"), detection.messages("en")):
            click.echo(f"{ja} / {en}", err=True)
        if detection.best is None:
            raise SystemExit(2)
        standard = detection.best.number
    try:
        definition = standard_dataset(standard)
    except KeyError:
        raise click.BadParameter(f"unknown standard dataset {standard!r} (see `ckan ikoma vocab list`)",
                                 param_hint="--standard")
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(out_path, "w", encoding="utf-8")) if out_path else sys.stdout
        result = convert_csv(path, definition, out, fmt,
                             progress=lambda n: click.echo(f"{n:,} rows", err=True))
    click.echo(f"{result.converted:,} rows converted, {result.skipped:,} rows with errors skipped "
               f"({definition.number} {definition.name_ja}, {fmt})", err=True)
    if not result.usable:  # e.g. a required column missing: every row is wrong, the output is not IMI of the list
        click.echo(result.report.to_text(), err=True)
        raise SystemExit(1)


def _run_resource_check(resource_id: str) -> str:
    from ckanext.ikoma.logic.validation import validate_now

    return validate_now(resource_id) or "skipped"


@ikoma.command("validate-resource")
@click.argument("resource_id")
def validate_resource(resource_id):
    """Check one CSV resource against its dataset's standard dataset now and store the report."""
    import ckan.plugins.toolkit as toolkit

    from ckanext.ikoma.model import ResourceValidation

    try:
        status = _run_resource_check(resource_id)
    except toolkit.ObjectNotFound:
        raise click.BadParameter(f"no resource {resource_id!r}", param_hint="RESOURCE_ID")
    if status == "skipped":
        click.echo("not a CSV resource of a dataset that conforms to a standard dataset: nothing to check")
        return
    row = ResourceValidation.get(resource_id)
    click.echo(f"{resource_id}: {status} (errors {row.error_count}, warnings {row.warning_count})")
    if row.message:
        click.echo(row.message)


@ikoma.command("validate-all")
def validate_all():
    """Check every CSV resource of every dataset that conforms to a standard dataset."""
    import ckan.model as model

    resource_ids = [
        rid for (rid,) in model.Session.query(model.Resource.id)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .filter(model.Resource.state == "active", model.Package.state == "active")
        .order_by(model.Resource.id)
    ]
    counts: dict[str, int] = {}
    with click.progressbar(resource_ids, label="validating resources") as bar:
        for resource_id in bar:
            status = _run_resource_check(resource_id)
            counts[status] = counts.get(status, 0) + 1
    click.echo(", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "no resources")


@ikoma.command("check-catalog")
@click.argument("source")
def check_catalog_command(source):
    """Check a DCAT catalog (URL or file) against the ikoma_dcat SHACL shapes (DCAT-GoJ ◎/○ items);
    exit 1 when a required item is missing."""
    from ckanext.ikoma.catalog_check import check_catalog, load_catalog, report_text

    try:
        from ckanext.ikoma.net.site import private_allowlist

        graph = load_catalog(source, private_allowlist())
    except Exception as e:  # unreachable URL, not RDF, too large: say which, in both languages
        raise click.ClickException(f"カタログを読み込めません / cannot read the catalog: {e}")
    results = check_catalog(graph)
    click.echo(report_text(results))
    if any(r.severity == "Violation" for r in results):
        raise SystemExit(1)


@ikoma.command("catalog-dump")
def catalog_dump():
    """Write the whole public catalog as gzipped Turtle (served at /catalog/dump.ttl.gz)."""
    from ckanext.ikoma.logic.catalog_dump import count_public_datasets, write_dump

    with click.progressbar(length=count_public_datasets(), label="catalog dump") as bar:
        path, written = write_dump(progress=bar.update)
    click.echo(f"{written} datasets written to {path}")


@ikoma.group()
def stats():
    """Figures of the region (/region)."""


@stats.command("snapshot")
def stats_snapshot():
    """Store today's count of public datasets per organization (the KPI), once a day from cron;
    the first run also reconstructs the past from the database. Running it again replaces today's."""
    from ckanext.ikoma.region.kpi import snapshot

    click.echo("counting public datasets per organization …")
    day, organizations, backfilled = snapshot()
    if backfilled:
        click.echo(f"{backfilled} earlier days reconstructed from dataset creation and deletion dates")
    click.echo(f"{day}: {organizations} organizations counted")


@ikoma.group()
def quality():
    """Metadata quality (MQA for Japan): link checks and scores."""


@quality.command("check-links")
def quality_check_links():
    """Request each public resource URL not checked in the last day (through the safe fetcher)."""
    from ckanext.ikoma.quality.links import check_links, public_resource_urls

    with click.progressbar(length=len(public_resource_urls()), label="link check") as bar:
        requested = check_links(progress=bar.update)
    click.echo(f"{requested} URLs requested")


@quality.command("score")
def quality_score():
    """Score every public dataset for today (nightly, after check-links); the same day is replaced."""
    from ckanext.ikoma.logic.catalog_dump import count_public_datasets
    from ckanext.ikoma.quality.score import score_all

    with click.progressbar(length=count_public_datasets(), label="quality score") as bar:
        scored = score_all(progress=bar.update)
    click.echo(f"{scored} datasets scored")


@ikoma.group()
def neighbours():
    """Neighbouring municipalities (vocab/neighbours.yaml)."""


@neighbours.command("sync")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False),
              help="a neighbours file in the format of vocab/neighbours.yaml (default: that file)")
@click.option("--harvest", "run_harvest", is_flag=True, help="then harvest each source here, with its progress")
def neighbours_sync(path, run_harvest):
    """Create or update one organization per neighbour and one harvest source per known catalog;
    running it again changes nothing."""
    from ckanext.ikoma.neighbours import NEIGHBOURS_FILE, load_neighbours, sync

    try:
        entries = load_neighbours(path or NEIGHBOURS_FILE)
    except Exception as e:
        raise click.ClickException(f"neighbours file: {e}")
    results = []
    with _progress(len(entries), "neighbours") as bar:
        for item in sync(entries):
            results.append(item)
            bar.update(1)
    for neighbour, organization, source in results:
        line = f"{neighbour.code} {neighbour.ja}: organization {organization}"
        click.echo(line + (f", harvest source {source}" if source else ", no known catalog"))
    if run_harvest:
        for neighbour, _organization, source in results:
            if source:
                _harvest_in_foreground(f"harvest-{neighbour.code}")


def _harvest_in_foreground(name: str) -> None:
    """One job of the source run here, with a progress bar over the objects to import."""
    from ckanext.harvest.logic import HarvestJobExists

    from ckanext.ikoma.logic.harvest_report import job_counts
    from ckanext.ikoma.logic.harvest_run import run_in_foreground

    with contextlib.ExitStack() as stack:
        bars = []

        def gathered(count: int) -> None:
            click.echo(f"{name}: {count} datasets to import")
            bars.append(stack.enter_context(_progress(count, name)))

        try:
            job = run_in_foreground(name, gathered, lambda: bars[0].update(1))
        except HarvestJobExists:
            raise click.ClickException(f"{name}: a job is already waiting or running (see `ckan ikoma harvest progress`)")
    counts = job_counts(job)
    click.echo(f"{name}: {job.status}; " + ", ".join(f"{key} {value}" for key, value in counts.items()))


@ikoma.group()
def harvest():
    """Harvesting neighbours' catalogs (the ikoma_dcat harvester)."""


@harvest.command("duplicates")
def harvest_duplicates():
    """Datasets reached through more than one source, or twice in one catalog: the copy kept and those left out."""
    from ckanext.ikoma.logic.harvest_report import duplicates

    rows = duplicates()
    if not rows:
        click.echo("重複はありません / no duplicates")
        return
    click.echo(f"{len(rows)} 件の重複 / duplicates (identity | dataset kept | kept from <URI> | left out <URI>)")
    for row in rows:
        left_out = ", ".join(f"{name} <{uri or '-'}>" for name, uri in zip(row["left_out"], row["left_out_uris"]))
        click.echo(f"{row['identity']} | {row['package']} | {row['kept_from'] or '-'} <{row['kept_uri'] or '-'}> | "
                   f"{left_out}")


@harvest.command("prune")
@click.option("--keep", type=int, default=None, help="jobs to keep per source (default: ckanext.ikoma.harvest.keep_jobs)")
def harvest_prune(keep):
    """Delete old harvest objects now (the harvester also does it before each run)."""
    from ckanext.ikoma.harvesters.store import prune_history
    from ckanext.ikoma.logic.harvest_report import ikoma_sources

    sources = ikoma_sources()
    removed = 0
    with click.progressbar(sources, label="sources") as bar:
        for source in bar:
            removed += prune_history(source.id, keep)
    click.echo(f"{removed} harvest objects removed from {len(sources)} sources")


@harvest.command("run")
@click.argument("names", nargs=-1, required=True)
def harvest_run(names):
    """Harvest the sources NAMES now, in this process (not through the queues), with progress."""
    for name in names:
        _harvest_in_foreground(name)


@harvest.command("progress")
def harvest_progress():
    """Each source's last job: how far it has got, or why it was closed."""
    from ckanext.ikoma.logic.harvest_report import ikoma_sources, source_summary

    for source in ikoma_sources():
        summary = source_summary(source)
        progress = summary["progress"]
        if progress is None:
            click.echo(f"{summary['name']}: 未実行 / never run")
            continue
        line = (f"{summary['name']}: {progress.status} {progress.done}/{progress.total} ({progress.percent}%)"
                f"{' gathering' if progress.gathering else ''}, waiting {progress.waiting}, "
                f"importing {progress.importing}, errors {progress.errors}")
        click.echo(line + (f", last activity {progress.last_action:%Y-%m-%d %H:%M:%S} UTC" if progress.last_action else ""))
        if progress.stuck_reason:
            click.echo(f"  {progress.reason('ja')}\n  {progress.reason('en')}")


@harvest.command("close-stuck")
def harvest_close_stuck():
    """Close the jobs that have not moved for ckanext.ikoma.harvest.stuck_after seconds (`ckan
    harvester run` does it too)."""
    from ckanext.ikoma.logic.harvest_progress import close_stuck_jobs

    closed = close_stuck_jobs()
    click.echo(f"{len(closed)} stuck jobs closed" + "".join(f"\n  {job_id}" for job_id in closed))
