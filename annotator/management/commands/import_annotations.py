"""`manage.py import_annotations PATH --project SLUG --format jsonl|labelstudio|doccano`: all or nothing."""

import gc
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.models import Project
from annotator.services import imports


class Command(BaseCommand):
    help = "Import annotated articles; every bad record is listed with its line and nothing is written."
    # The system checks import every URL module and view (a third of a second at start-up); `manage.py check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--project", required=True, help="Slug of the project.")
        parser.add_argument("--format", choices=sorted(imports.READERS), default="jsonl")
        parser.add_argument("--map", action="append", default=[], metavar="THEIRS=OURS",
                            help="Map a label of the file onto a project label, e.g. CLAIM=claim (repeatable).")
        parser.add_argument("--user", required=True, help="Username recorded as deciding imported gold spans.")
        parser.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args: object, **options: object) -> None:
        # No cyclic garbage collection while importing (nor in the reader process it forks): the run allocates
        # millions of short-lived records, and the collector's passes over them and over the objects alive
        # (Django's own, hundreds of thousands) took a quarter of the run's time, and with those objects
        # frozen still a fortieth. Records are freed by reference counting: a 250,000-span import leaves 15
        # objects in cycles, so memory stays flat without the collector.
        gc.freeze()
        gc.disable()
        try:
            self._import(options)
        finally:
            gc.enable()
            gc.unfreeze()

    def _import(self, options: dict[str, object]) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}.")
        label_map = dict(item.split("=", 1) for item in options["map"])  # type: ignore[attr-defined]
        path: Path = options["path"]  # type: ignore[assignment]  # argparse gives a Path
        try:
            with open(path, encoding="utf-8", newline="") as stream:
                result = imports.import_annotations(project=project, stream=stream, fmt=str(options["format"]),
                                                    importer=user, label_map=label_map,
                                                    dry_run=bool(options["dry_run"]))
        except imports.ImportRefused as error:
            lines = "\n".join(f"  line {line or '-'}: {field or ''} {message}" for line, field, message in
                              error.problems[:50])
            raise CommandError(f"nothing imported; {len(error.problems)} problem(s):\n{lines}") from None
        verb = "would import" if result.dry_run else "imported"
        self.stdout.write(f"{verb} {result.articles} articles ({result.articles_created} new), {result.spans} "
                          f"spans, {result.gold_spans} gold spans, {result.assessments} assessments.")
