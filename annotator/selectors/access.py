"""Fetching objects on behalf of a user. Anything the user may not see is "not found" (404), never 403.

Rules: a user sees only projects they belong to. Analysts see their own assignments; reviewers and
managers see every assignment of their projects. Managers manage their projects.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from rest_framework.authtoken.models import Token

from annotator.models import (
    Article,
    Assignment,
    AssignmentStatus,
    ClaimCluster,
    Label,
    Membership,
    Project,
    Role,
    Source,
    Span,
)
from annotator.selectors.compiled import CompiledQuery, columns, instances

REVIEW_ROLES = (Role.REVIEWER, Role.MANAGER)
User = AbstractBaseUser | AnonymousUser


def _role_of_id(user_id: int, project_path: str) -> Subquery:
    """The role of user ``user_id`` in the project at ``project_path`` of the outer row (NULL when not a member).

    Single-object fetches annotate it and decide in Python: one plain query instead of a union of
    visibility rules, which costs more to build than to run."""
    return Subquery(Membership.objects.filter(project=OuterRef(project_path), user_id=user_id).values("role")[:1])


def _may_read(role: str | None, analyst_id: int, user: User) -> bool:
    """Reviewers and managers read every assignment of their project; a member reads their own."""
    return role in REVIEW_ROLES or (role is not None and analyst_id == user.pk)


_TOKEN = CompiledQuery(
    lambda key: Token.objects.filter(key=key).values_list(*columns(Token), *columns(get_user_model(), "user"))[:1],
    key=str,
)


def get_token(key: str) -> Token | None:
    """The API token with this key, its user attached; None when there is none."""
    row = _TOKEN.first(key=key)
    if row is None:
        return None
    token, user = instances(row, Token, get_user_model())
    token.user = user
    return token


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


def _assignment_columns(*, with_analyst: bool = False) -> list[str]:
    """The columns of an assignment, its article and project (and analyst), for ``_assignment_from``."""
    fields = [*columns(Assignment), *columns(Article, "article"), *columns(Project, "article__project")]
    return [*fields, *columns(get_user_model(), "analyst")] if with_analyst else fields


def _assignment_from(row: tuple[object, ...], *, analyst: User | None = None,
                    with_analyst: bool = False) -> Assignment:
    """The assignment of an ``_assignment_columns`` row, its article and project attached; its analyst is
    ``analyst`` when given, read from the row ``with_analyst``, else loaded when first used."""
    models = (Assignment, Article, Project, get_user_model()) if with_analyst else (Assignment, Article, Project)
    assignment, article, project, *read = instances(row, *models)
    article.project = project
    assignment.article = article
    analyst = read[0] if read else analyst
    if analyst is not None:
        assignment.analyst = analyst
    return assignment


def _with_role(rows: QuerySet, user_id: int, project_path: str, fields: list[str]) -> QuerySet:
    """The first of ``rows`` as ``fields`` and, last, the user's role in the project at ``project_path``."""
    return rows.annotate(viewer_role=_role_of_id(user_id, project_path)).values_list(*fields, "viewer_role")[:1]


_OWN_ASSIGNMENT = CompiledQuery(
    lambda assignment_id, user_id: _with_role(Assignment.objects.filter(pk=assignment_id, analyst_id=user_id),
                                              user_id, "article__project", _assignment_columns()),
    assignment_id=int, user_id=int,
)
_ASSIGNMENT = CompiledQuery(
    lambda assignment_id, user_id: _with_role(Assignment.objects.filter(pk=assignment_id), user_id,
                                              "article__project", _assignment_columns(with_analyst=True)),
    assignment_id=int, user_id=int,
)


def get_own_assignment(assignment_id: int, user: User) -> Assignment:
    """The user's own assignment (for annotating), with its article and project; anyone else's is not found."""
    if not user.is_authenticated:
        raise Http404("No such assignment.")
    row = _OWN_ASSIGNMENT.first(assignment_id=assignment_id, user_id=user.pk)
    if row is None or row[-1] is None:
        raise Http404("No such assignment.")
    return _assignment_from(row, analyst=user)


def get_visible_assignment(assignment_id: int, user: User) -> Assignment:
    """An assignment the user may read, with its article, project and analyst."""
    if not user.is_authenticated:
        raise Http404("No such assignment.")
    row = _ASSIGNMENT.first(assignment_id=assignment_id, user_id=user.pk)
    if row is None:
        raise Http404("No such assignment.")
    assignment = _assignment_from(row, with_analyst=True)
    if not _may_read(row[-1], assignment.analyst_id, user):  # type: ignore[arg-type]  # a role or None
        raise Http404("No such assignment.")
    return assignment


def visible_articles(user: User) -> QuerySet[Article]:
    """Articles of projects the user reviews or manages, and the ones assigned to the user."""
    if not user.is_authenticated:
        return Article.objects.none()
    reviewed = Article.objects.filter(project__in=reviewable_projects_for(user))
    assigned = Article.objects.filter(assignments__analyst=user, project__memberships__user=user)
    return (reviewed | assigned).distinct()


_ARTICLE = CompiledQuery(
    lambda article_id, user_id: Article.objects.filter(pk=article_id)
    .annotate(viewer_role=_role_of_id(user_id, "project"),
              assigned=Exists(Assignment.objects.filter(article=OuterRef("pk"), analyst_id=user_id)))
    .values_list(*columns(Article), *columns(Project, "project"), "viewer_role", "assigned")[:1],
    article_id=int, user_id=int,
)


def get_visible_article(article_id: int, user: User) -> Article:
    """An article of a project the user reviews or manages, or one assigned to the user, with its project."""
    if not user.is_authenticated:
        raise Http404("No such article.")
    row = _ARTICLE.first(article_id=article_id, user_id=user.pk)
    if row is None:
        raise Http404("No such article.")
    role, assigned = row[-2], row[-1]
    if role is None or (role not in REVIEW_ROLES and not assigned):
        raise Http404("No such article.")
    article, project = instances(row, Article, Project)
    article.project = project
    return article


def _span_columns() -> list[str]:
    return [*columns(Span), *(f"assignment__{name}" for name in _assignment_columns()), *columns(Label, "label"),
            *columns(Source, "source")]


def _span_from(row: tuple[object, ...]) -> Span:
    """The span of a ``_span_columns`` row with its assignment, article, project, label and source attached."""
    span, assignment, article, project, span.label, span.source = instances(
        row, Span, Assignment, Article, Project, Label, Source)
    article.project = project
    assignment.article = article
    span.assignment = assignment
    return span


_OWN_SPAN = CompiledQuery(
    lambda span_id, user_id: _with_role(Span.objects.filter(pk=span_id, assignment__analyst_id=user_id), user_id,
                                        "assignment__article__project", _span_columns()),
    span_id=int, user_id=int,
)
_SPAN = CompiledQuery(
    lambda span_id, user_id: _with_role(Span.objects.filter(pk=span_id), user_id, "assignment__article__project",
                                        _span_columns()),
    span_id=int, user_id=int,
)


def get_own_span(span_id: int, user: User) -> Span:
    """A span of the user's own assignment (for editing), with its assignment, article, project, label, source."""
    if not user.is_authenticated:
        raise Http404("No such span.")
    row = _OWN_SPAN.first(span_id=span_id, user_id=user.pk)
    if row is None or row[-1] is None:
        raise Http404("No such span.")
    span = _span_from(row)
    span.assignment.analyst = user
    return span


def get_visible_span(span_id: int, user: User) -> Span:
    """A span of an assignment the user may read (own, or any in a project they review)."""
    if not user.is_authenticated:
        raise Http404("No such span.")
    row = _SPAN.first(span_id=span_id, user_id=user.pk)
    if row is None:
        raise Http404("No such span.")
    span = _span_from(row)
    if not _may_read(row[-1], span.assignment.analyst_id, user):  # type: ignore[arg-type]  # a role or None
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
