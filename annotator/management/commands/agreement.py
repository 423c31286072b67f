"""`manage.py agreement --project SLUG [--format table|json|csv]`: the project's agreement report."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from annotator.agreement.report import REPORT_COLUMNS, report_rows
from annotator.formats.spreadsheet import write_csv
from annotator.models import Project
from annotator.selectors import agreement as agreement_reads


class Command(BaseCommand):
    help = "Print the agreement report of a project over submitted assignments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", required=True, help="Slug of the project.")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args: object, **options: object) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}.")
        with tqdm(total=project.articles.count(), unit="article", desc="agreement", file=sys.stderr,
                  disable=None) as bar:
            report = agreement_reads.get_project_report(project, progress=bar.update)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        elif options["format"] == "csv":
            write_csv(REPORT_COLUMNS, report_rows(report), self.stdout)
        else:
            self.stdout.write(f"{project.name}: {report['articles_with_two_or_more_analysts']} of "
                              f"{report['articles']} articles have two or more submissions.")
            self.stdout.write(report["scale"]["note"])
            for section, item, measure, value, verdict in report_rows(report):
                shown = "undefined" if value is None else f"{value:.3f}" if isinstance(value, float) else value
                self.stdout.write(f"{section:<8} {str(item)[:40]:<40} {measure:<30} {shown!s:>10} {verdict}")
