"""Reads about assignments: an analyst's work list with progress, and a project's progress."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from annotator.models import Assignment, AssignmentStatus, Project, Span
from annotator.selectors.compiled import CompiledQuery

SPAN_ROW_FIELDS = ("id", "assignment_id", "start", "end", "quote", "label__key", "source_id", "source__name",
                   "credibility", "note", "version", "created_at", "updated_at")


def list_assignments_for_analyst(analyst: AbstractBaseUser) -> QuerySet[Assignment]:
    """The analyst's assignments in projects they still belong to, with ``span_count``."""
    return (
        Assignment.objects.filter(analyst=analyst, article__project__memberships__user=analyst)
        .select_related("article__project")
        .annotate(span_count=Count("spans", distinct=True))
        .order_by("article__project__name", "status", "article__external_id")
    )


_SPAN_ROWS = CompiledQuery(
    lambda assignment_id: Span.objects.filter(assignment_id=assignment_id).order_by("start", "end", "id")
    .values_list(*SPAN_ROW_FIELDS),
    assignment_id=int,
)


def span_rows(assignment_id: int) -> list[tuple[object, ...]]:
    """The assignment's spans in text order as plain rows (SPAN_ROW_FIELDS), without model instances:
    the annotate page and scripts read them on every load."""
    return _SPAN_ROWS.rows(assignment_id=assignment_id)


@dataclass(frozen=True, slots=True)
class ProjectProgress:
    project: Project
    articles: int
    assignments: int
    submitted: int
    in_progress: int
    articles_with_two_submissions: int

    @property
    def percent_submitted(self) -> int:
        return round(100 * self.submitted / self.assignments) if self.assignments else 0


def get_project_progress(project: Project) -> ProjectProgress:
    """How far the team is: assignments submitted and articles with at least two submissions."""
    counts = Assignment.objects.filter(article__project=project).aggregate(
        total=Count("id"),
        submitted=Count("id", filter=Q(status=AssignmentStatus.SUBMITTED)),
        in_progress=Count("id", filter=Q(status=AssignmentStatus.IN_PROGRESS)),
    )
    doubly = (
        project.articles.annotate(n=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED)))
        .filter(n__gte=2)
        .count()
    )
    return ProjectProgress(
        project=project, articles=project.articles.count(), assignments=counts["total"],
        submitted=counts["submitted"], in_progress=counts["in_progress"], articles_with_two_submissions=doubly,
    )
