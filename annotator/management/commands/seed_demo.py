"""`manage.py seed_demo`: the demo project, users, sources, seed articles and assignments (idempotent)."""

from django.core.management.base import BaseCommand

from annotator.services import demo


class Command(BaseCommand):
    help = "Load the demo project with the seed articles and demo users; running it twice changes nothing."

    def handle(self, *args: object, **options: object) -> None:
        result = demo.seed_demo()
        self.stdout.write(
            f"Demo project {result.project.slug!r}: {result.articles_created} articles and "
            f"{result.assignments_created} assignments added; {result.assignments_submitted} demo assignments "
            "annotated and submitted (example data)."
        )
        self.stdout.write("Demo logins (demo data only; never use these on a real deployment):")
        for login in result.logins:
            self.stdout.write(f"  {login.username:<10} password: {login.password:<15} role: {login.role}")
