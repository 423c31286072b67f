"""`manage.py assign --project SLUG --overlap N`: give each article N analysts, round-robin."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.errors import DomainError
from annotator.models import Project
from annotator.services import assignments


class Command(BaseCommand):
    help = "Assign every article of a project to N analysts, spreading the work evenly (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", required=True, help="Slug of the project.")
        parser.add_argument("--overlap", type=int, help="Analysts per article (default: the project's).")

    def handle(self, *args: object, **options: object) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}.")
        try:
            created = assignments.assign_articles(project=project, overlap=options["overlap"])  # type: ignore[arg-type]
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{len(created)} assignments created.")
