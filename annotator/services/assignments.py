"""Assigning articles to analysts, and an assignment's life: start, submit, reopen."""

from collections import Counter

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from annotator.errors import AssignmentLocked, DomainError, DuplicateAssignment, ReviewLocked
from annotator.models import (
    Article,
    ArticleReview,
    Assignment,
    AssignmentStatus,
    Membership,
    Project,
    ReviewStatus,
    Role,
)
from annotator.selectors.compiled import CompiledQuery, columns, instances


def _check_analyst(project: Project, analyst: AbstractBaseUser) -> None:
    if not Membership.objects.filter(project=project, user=analyst, role=Role.ANALYST).exists():
        raise DomainError(f"{analyst} is not an analyst in {project}.", field="analyst", code="not_an_analyst")
    if not analyst.is_active:
        raise DomainError(f"{analyst}'s account is deactivated.", field="analyst", code="inactive_analyst")


@transaction.atomic
def create_assignment(*, article: Article, analyst: AbstractBaseUser) -> Assignment:
    """Assign ``article`` to ``analyst`` (an analyst of its project). Raises DuplicateAssignment."""
    _check_analyst(article.project, analyst)
    if Assignment.objects.filter(article=article, analyst=analyst).exists():
        raise DuplicateAssignment(f"{analyst} is already assigned {article.external_id}.", field="analyst")
    try:
        with transaction.atomic():
            return Assignment.objects.create(article=article, analyst=analyst)
    except IntegrityError:  # a concurrent request assigned the same pair first
        raise DuplicateAssignment(f"{analyst} is already assigned {article.external_id}.", field="analyst") from None


@transaction.atomic
def assign_articles(*, project: Project, overlap: int | None = None) -> list[Assignment]:
    """Give each article of the project ``overlap`` analysts (default: the project's), round-robin.

    Existing assignments count towards the overlap, so running it again assigns only what is missing.
    Each new assignment goes to the analyst with the fewest assignments so far (ties by username),
    which spreads the work evenly. Raises DomainError if there are fewer analysts than the overlap.
    """
    overlap = project.overlap if overlap is None else overlap
    analysts = [
        m.user for m in Membership.objects.filter(project=project, role=Role.ANALYST, user__is_active=True)
        .select_related("user").order_by("user__username")
    ]
    if overlap < 1:
        raise DomainError("overlap must be 1 or more.", field="overlap", code="invalid_overlap")
    if len(analysts) < overlap:
        raise DomainError(
            f"overlap {overlap} needs at least {overlap} analysts; the project has {len(analysts)}.",
            field="overlap", code="not_enough_analysts",
        )
    existing = list(Assignment.objects.filter(article__project=project).values_list("article_id", "analyst_id"))
    load = Counter(analyst_id for _, analyst_id in existing)
    assigned: dict[int, set[int]] = {}
    for article_id, analyst_id in existing:
        assigned.setdefault(article_id, set()).add(analyst_id)
    order = {analyst.pk: index for index, analyst in enumerate(analysts)}
    new: list[Assignment] = []
    for article in Article.objects.filter(project=project).order_by("id"):
        have = assigned.setdefault(article.pk, set())
        candidates = sorted((a for a in analysts if a.pk not in have), key=lambda a: (load[a.pk], order[a.pk]))
        for analyst in candidates[: max(0, overlap - len(have))]:
            new.append(Assignment(article=article, analyst=analyst))
            have.add(analyst.pk)
            load[analyst.pk] += 1
    for assignment in new:
        assignment.save()  # one by one so that the audit trail records each
    return new


def start_assignment(*, assignment: Assignment) -> Assignment:
    """Mark an assigned article as in progress (first span or assessment); a no-op otherwise."""
    if assignment.status == AssignmentStatus.ASSIGNED:
        with transaction.atomic():  # the row and its history row; nothing at all when already started
            assignment.status = AssignmentStatus.IN_PROGRESS
            assignment.started_at = timezone.now()
            assignment.save(update_fields=["status", "started_at"])
    return assignment


@transaction.atomic
def submit_assignment(*, assignment: Assignment) -> Assignment:
    """Submit the analyst's work: it counts for agreement and is locked until a reviewer reopens it."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.is_submitted:
        raise AssignmentLocked("the assignment is already submitted.", field="status")
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.submitted_at = timezone.now()
    assignment.started_at = assignment.started_at or assignment.submitted_at
    assignment.save(update_fields=["status", "submitted_at", "started_at"])
    return assignment


@transaction.atomic
def reopen_assignment(*, assignment: Assignment, comment: str = "") -> Assignment:
    """Reopen a submitted assignment for edits, with a comment the analyst sees on their page."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_submitted:
        raise DomainError("only a submitted assignment can be reopened.", field="status", code="not_submitted")
    _ensure_not_adjudicated(assignment)
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.submitted_at = None
    assignment.reopen_comment = comment
    assignment.save(update_fields=["status", "submitted_at", "reopen_comment"])
    return assignment


_ADJUDICATED = "the article is adjudicated; its review must be reopened before any change."


def adjudicated(article_path: str) -> Exists:
    """True when the article at ``article_path`` of the outer row is adjudicated: annotate a locking read
    with it, so one query both locks the row and tells whether it may change."""
    return Exists(ArticleReview.objects.filter(article_id=OuterRef(article_path), status=ReviewStatus.ADJUDICATED))


def check_open(assignment: Assignment, *, is_adjudicated: bool) -> None:
    """Raise AssignmentLocked for a submitted assignment, ReviewLocked for an adjudicated article."""
    if assignment.is_submitted:
        raise AssignmentLocked("the assignment is submitted; a reviewer must reopen it before edits.")
    if is_adjudicated:
        raise ReviewLocked(_ADJUDICATED)


_LOCK_OPEN = CompiledQuery(
    lambda assignment_id: Assignment.objects.select_for_update(of=("self",)).filter(pk=assignment_id)
    .annotate(is_adjudicated=adjudicated("article_id"))
    .values_list(*columns(Assignment), "is_adjudicated"),
    assignment_id=int,
)


def lock_open(assignment: Assignment) -> Assignment:
    """The assignment re-read, its row locked until the transaction ends; raises what ensure_open raises.
    Only the assignment's row is locked: analysts of the same project write in parallel. Its article (whose
    text never changes) and project come with it: the ones already loaded, else read when first used."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("lock_open locks a row until the transaction ends: use atomic.")
    row = _LOCK_OPEN.first(assignment_id=assignment.pk)
    if row is None:
        raise Assignment.DoesNotExist("the assignment no longer exists.")
    (locked,) = instances(row, Assignment)
    if Assignment.article.is_cached(assignment) and assignment.article_id == locked.article_id:
        locked.article = assignment.article
    check_open(locked, is_adjudicated=bool(row[-1]))
    return locked


def ensure_open(assignment: Assignment) -> None:
    """check_open for an assignment read without its review state: a submitted one is refused before the
    review is looked up."""
    check_open(assignment, is_adjudicated=False)
    _ensure_not_adjudicated(assignment)


def _ensure_not_adjudicated(assignment: Assignment) -> None:
    if ArticleReview.objects.filter(article_id=assignment.article_id, status=ReviewStatus.ADJUDICATED).exists():
        raise ReviewLocked(_ADJUDICATED)
