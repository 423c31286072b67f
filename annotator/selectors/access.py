"""Fetching objects on behalf of a user. Anything the user may not see is "not found" (404), never 403.

Rules: a user sees only projects they belong to. Analysts see their own assignments; reviewers and
managers see every assignment of their projects. Managers manage their projects.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from annotator.models import (
    Article,
    Assignment,
    AssignmentStatus,
    ClaimCluster,
    Membership,
    Project,
    Role,
    Source,
    Span,
)

REVIEW_ROLES = (Role.REVIEWER, Role.MANAGER)
User = AbstractBaseUser | AnonymousUser


def _role_of(user: User, project_path: str) -> Subquery:
    """The user's role in the project at ``project_path`` of the outer row (NULL when not a member).

    Single-object fetches annotate it and decide in Python: one plain query instead of a union of
    visibility rules, which costs more to build than to run."""
    return Subquery(Membership.objects.filter(project=OuterRef(project_path), user_id=user.pk).values("role")[:1])


def _may_read(role: str | None, analyst_id: int, user: User) -> bool:
    """Reviewers and managers read every assignment of their project; a member reads their own."""
    return role in REVIEW_ROLES or (role is not None and analyst_id == user.pk)


def role_in(project: Project, user: User) -> str | None:
    """The user's role in the project, or None if they are not a member."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()


def projects_for(user: User) -> QuerySet[Project]:
    """Projects the user belongs to, in any role."""
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user).distinct()


def reviewable_projects_for(user: User) -> QuerySet[Project]:
    """Projects where the user reviews or manages."""
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user, memberships__role__in=REVIEW_ROLES).distinct()


def get_project(project_id: int, user: User) -> Project:
    project = projects_for(user).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    return project


def get_project_by_slug(slug: str, user: User) -> Project:
    project = projects_for(user).filter(slug=slug).first()
    if project is None:
        raise Http404("No such project.")
    return project


def get_reviewable_project(project_id: int, user: User) -> Project:
    project = reviewable_projects_for(user).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    return project


def get_managed_project(project_id: int, user: User) -> Project:
    if not user.is_authenticated:
        raise Http404("No such project.")
    project = Project.objects.filter(pk=project_id, memberships__user=user, memberships__role=Role.MANAGER).first()
    if project is None:
        raise Http404("No such project.")
    return project


def visible_assignments(user: User) -> QuerySet[Assignment]:
    """Assignments the user may read: their own, and all of the projects they review or manage."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    own = Assignment.objects.filter(analyst=user, article__project__in=projects_for(user))
    reviewed = Assignment.objects.filter(article__project__in=reviewable_projects_for(user))
    return (own | reviewed).distinct()


def get_own_assignment(assignment_id: int, user: User) -> Assignment:
    """The user's own assignment (for annotating); anyone else's is not found."""
    if not user.is_authenticated:
        raise Http404("No such assignment.")
    assignment = (
        Assignment.objects.select_related("article__project", "analyst")
        .annotate(viewer_role=_role_of(user, "article__project"))
        .filter(pk=assignment_id, analyst_id=user.pk)
        .first()
    )
    if assignment is None or assignment.viewer_role is None:
        raise Http404("No such assignment.")
    return assignment


def get_visible_assignment(assignment_id: int, user: User) -> Assignment:
    if not user.is_authenticated:
        raise Http404("No such assignment.")
    assignment = (
        Assignment.objects.select_related("article__project", "analyst")
        .annotate(viewer_role=_role_of(user, "article__project"))
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or not _may_read(assignment.viewer_role, assignment.analyst_id, user):
        raise Http404("No such assignment.")
    return assignment


def visible_articles(user: User) -> QuerySet[Article]:
    """Articles of projects the user reviews or manages, and the ones assigned to the user."""
    if not user.is_authenticated:
        return Article.objects.none()
    reviewed = Article.objects.filter(project__in=reviewable_projects_for(user))
    assigned = Article.objects.filter(assignments__analyst=user, project__memberships__user=user)
    return (reviewed | assigned).distinct()


def get_visible_article(article_id: int, user: User) -> Article:
    if not user.is_authenticated:
        raise Http404("No such article.")
    article = (
        Article.objects.select_related("project")
        .annotate(viewer_role=_role_of(user, "project"))
        .filter(pk=article_id)
        .first()
    )
    if article is None or article.viewer_role is None:
        raise Http404("No such article.")
    if article.viewer_role not in REVIEW_ROLES and not article.assignments.filter(analyst_id=user.pk).exists():
        raise Http404("No such article.")
    return article


def get_own_span(span_id: int, user: User) -> Span:
    """A span of the user's own assignment (for editing)."""
    if not user.is_authenticated:
        raise Http404("No such span.")
    span = (
        Span.objects.select_related("assignment__article__project", "label", "source")
        .annotate(viewer_role=_role_of(user, "assignment__article__project"))
        .filter(pk=span_id, assignment__analyst_id=user.pk)
        .first()
    )
    if span is None or span.viewer_role is None:
        raise Http404("No such span.")
    return span


def get_visible_span(span_id: int, user: User) -> Span:
    """A span of an assignment the user may read (own, or any in a project they review)."""
    if not user.is_authenticated:
        raise Http404("No such span.")
    span = (
        Span.objects.select_related("assignment", "label", "source")
        .annotate(viewer_role=_role_of(user, "assignment__article__project"))
        .filter(pk=span_id)
        .first()
    )
    if span is None or not _may_read(span.viewer_role, span.assignment.analyst_id, user):
        raise Http404("No such span.")
    return span


def sees_all_work(project: Project, role: str | None) -> bool:
    """Whether a member with ``role`` may read every analyst's work: reviewers and managers always,
    analysts only in a non-blind project."""
    return role in REVIEW_ROLES or (role == Role.ANALYST and not project.is_blind)


def visible_work(project: Project, user: User, *, role: str | None) -> QuerySet[Assignment]:
    """Assignments of the project whose spans, scores and assessment the user (a member with ``role``,
    from role_in) may read next to other analysts' work.

    Reviewers and managers: every submitted assignment. Analysts: their own, whatever the status, and in
    a non-blind project every submitted one too. Anyone else: none.
    """
    if role is None or not user.is_authenticated:
        return Assignment.objects.none()
    in_project = Assignment.objects.filter(article__project=project)
    submitted = in_project.filter(status=AssignmentStatus.SUBMITTED)
    if role in REVIEW_ROLES:
        return submitted
    own = in_project.filter(analyst=user)
    return (own | submitted) if sees_all_work(project, role) else own


def visible_statement_spans(project: Project, user: User, *, role: str | None) -> QuerySet[Span]:
    """Spans of the assignments visible_work gives the user."""
    return Span.objects.filter(assignment__in=visible_work(project, user, role=role))


def get_source(source_id: int, user: User) -> Source:
    source = Source.objects.filter(pk=source_id, project__in=projects_for(user)).first()
    if source is None:
        raise Http404("No such source.")
    return source


def get_claim_cluster(cluster_id: int, user: User) -> ClaimCluster:
    """A claim cluster of one of the user's projects (every member sees a cluster and its wording; which of
    its links they see is for selectors.claims)."""
    cluster = (ClaimCluster.objects.select_related("project", "created_by", "adjudicated_by")
               .filter(pk=cluster_id, project__in=projects_for(user)).first())
    if cluster is None:
        raise Http404("No such claim.")
    return cluster
