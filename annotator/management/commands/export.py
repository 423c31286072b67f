"""`manage.py export --project SLUG --format F --layer L -o FILE`: a labeled dataset and its card."""

import gc
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from annotator.agreement.headline import Headline
from annotator.formats.exporters import FORMATS, write_export
from annotator.formats.handoff import write_in_child
from annotator.formats.records import ExportArticle, ExportStats, pack_article, unpack_article
from annotator.models import Project
from annotator.selectors import datasets, exports


class Command(BaseCommand):
    help = "Export a project's labeled dataset (written as it is read) with a dataset card beside it."
    # The system checks import every URL module and view (a third of a second at start-up); `manage.py check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", required=True, help="Slug of the project.")
        parser.add_argument("--format", choices=sorted(FORMATS), default="jsonl")
        parser.add_argument("--layer", choices=[layer.value for layer in exports.Layer], default="gold")
        parser.add_argument("--min-agreement", type=int, default=2,
                            help="Majority layer: analysts who must agree on a unit's label.")
        parser.add_argument("-o", "--output", required=True, type=Path, help="File to write.")

    def handle(self, *args: object, **options: object) -> None:
        # No cyclic garbage collection while exporting: the run allocates millions of short-lived rows, and
        # the collector's passes over them and over the objects alive (Django's own, hundreds of thousands)
        # took a fifth of the run's time. Rows are freed by reference counting; an export leaves the same
        # hundred-odd objects in cycles whatever its size, so memory stays flat without the collector.
        gc.freeze()
        gc.disable()
        try:
            self._export(options)
        finally:
            gc.enable()
            gc.unfreeze()

    def _export(self, options: dict[str, object]) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}.")
        fmt = FORMATS[str(options["format"])]
        output: Path = options["output"]  # type: ignore[assignment]  # argparse gives a Path
        partial = output.with_name(output.name + ".partial")
        layer = str(options["layer"])
        records = exports.iter_export_articles(project, layer,
                                               min_agreement=int(options["min_agreement"]))  # type: ignore[call-overload]
        tally = datasets.new_tally(project) if layer == exports.Layer.ANALYST else None
        total = exports.count_export_articles(project, layer)  # what the bar counts: the articles written

        def write(articles: Iterator[ExportArticle]) -> tuple[ExportStats, Headline | None]:
            """Write the file and count it for the card; runs beside the reading, in a process of its own."""
            if tally is not None:
                articles = datasets.iter_tallied(articles, tally)  # the card's agreement, read with the data
            with tqdm(articles, total=total, unit="article", desc="export", file=sys.stderr, disable=None) as bar, \
                    open(partial, "wb" if fmt.is_binary else "w", encoding=None if fmt.is_binary else "utf-8",
                         newline=None if fmt.is_binary else "") as stream:
                stats = write_export(fmt, bar, stream)
            return stats, tally.figures() if tally is not None else None

        try:
            stats, headline = write_in_child(records, write, pack=pack_article, unpack=unpack_article,
                                             name="export-writer")
            partial.replace(output)  # a crashed export never leaves a half file under the real name
        finally:
            partial.unlink(missing_ok=True)
        card = datasets.build_card(project, stats, layer=layer, export_format=fmt.name,
                                   filters={"min_agreement": options["min_agreement"]}, headline=headline)
        output.with_name(output.name + ".card.md").write_text(card.to_markdown(), encoding="utf-8")
        output.with_name(output.name + ".card.json").write_text(json.dumps(card.to_dict(), indent=2,
                                                                           ensure_ascii=False), encoding="utf-8")
        self.stdout.write(f"{stats.articles} articles, {stats.spans} spans written to {output} "
                          f"(card: {output.name}.card.md)")
