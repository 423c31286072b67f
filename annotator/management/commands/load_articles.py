"""`manage.py load_articles PATH... --project SLUG`: load .txt, .jsonl and .csv articles, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.errors import DomainError
from annotator.models import Project
from annotator.services import articles


class Command(BaseCommand):
    help = "Load articles from .txt, .jsonl or .csv files into a project (idempotent; all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Files, or folders whose files are loaded.")
        parser.add_argument("--project", required=True, help="Slug of the project.")

    def handle(self, *args: object, **options: object) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}.")
        paths: list[Path] = []
        for path in options["paths"]:  # type: ignore[attr-defined]  # argparse gives a list
            if path.is_dir():
                paths.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in {".txt", ".jsonl", ".csv"}))
            else:
                paths.append(path)
        try:
            result = articles.load_articles(project=project, paths=paths)
        except DomainError as error:
            raise CommandError(f"nothing loaded: {error.message}") from None
        self.stdout.write(f"{len(result.created)} articles loaded, {result.unchanged} already present.")
