"""Claim clusters: create, rename, delete; link and unlink spans; the reviewer's verdict.

Who may do what (members only; outsiders never reach these functions, selectors.access answers 404):
analysts create clusters, link and unlink their own spans while the assignment is open, and rename or
delete a cluster they created until someone else links to it or it is adjudicated; reviewers and managers
link any span or gold span of the project, rename, delete and adjudicate. Refusals raise Forbidden (403)
and write nothing.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator.errors import DomainError, Forbidden, WrongProject, check_version
from annotator.models import ClaimCluster, ClaimLink, GoldSpan, Membership, Project, Role, Span
from annotator.services import assignments
from annotator.services.spans import check_credibility

REVIEW_ROLES = (Role.REVIEWER, Role.MANAGER)
MAX_WORDING = 500


def role_of(project: Project, user: AbstractBaseUser) -> str | None:
    """The user's role in ``project``, or None."""
    return Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()


def _require_member(project: Project, user: AbstractBaseUser) -> str:
    role = role_of(project, user)
    if role is None:
        raise Forbidden("you are not a member of this project.")
    return role


def _require_reviewer(project: Project, user: AbstractBaseUser, action: str) -> None:
    if _require_member(project, user) not in REVIEW_ROLES:
        raise Forbidden(f"only reviewers and managers may {action}.")


def _clean_wording(project: Project, wording: str, exclude: int | None = None) -> str:
    wording = " ".join(wording.split())
    if not wording:
        raise DomainError("a claim needs a wording.", field="wording", code="required")
    if len(wording) > MAX_WORDING:
        raise DomainError(f"keep the wording under {MAX_WORDING} characters.", field="wording")
    clash = ClaimCluster.objects.filter(project=project, wording__iexact=wording)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise _duplicate(wording)
    return wording


def _duplicate(wording: str) -> DomainError:
    return DomainError(f"the claim {wording!r} exists already; link to it instead.", field="wording",
                       code="duplicate_claim", status=409)


@transaction.atomic
def create_cluster(*, project: Project, user: AbstractBaseUser, wording: str, span: Span | None = None,
                   gold_span: GoldSpan | None = None) -> ClaimCluster:
    """A new claim cluster with its canonical ``wording``, optionally linking its first span at once.

    Raises DomainError (409 duplicate_claim) when the wording exists in the project, ignoring case, and
    every error link_span raises; on any error nothing is written.
    """
    _require_member(project, user)
    wording = _clean_wording(project, wording)
    try:
        with transaction.atomic():
            cluster = ClaimCluster.objects.create(project=project, wording=wording, created_by=user)
    except IntegrityError:  # a concurrent request created the same wording first
        raise _duplicate(wording) from None
    if span is not None or gold_span is not None:
        link_span(cluster=cluster, user=user, span=span, gold_span=gold_span)
    return cluster


@transaction.atomic
def link_span(*, cluster: ClaimCluster, user: AbstractBaseUser, span: Span | None = None,
              gold_span: GoldSpan | None = None) -> ClaimLink:
    """Record that ``span`` (an analyst's) or ``gold_span`` states the cluster's claim.

    Raises WrongProject for a span of another project, Forbidden for another analyst's span or a gold span
    linked by an analyst, AssignmentLocked when an analyst's assignment is submitted, and DomainError (409
    duplicate_link) when the span is linked to the cluster already.
    """
    if (span is None) == (gold_span is None):
        raise DomainError("link either a span or a gold span.", field="span", code="required")
    role = _require_member(cluster.project, user)
    if span is not None:
        span = Span.objects.select_related("assignment__article").get(pk=span.pk)
        if span.assignment.article.project_id != cluster.project_id:
            raise WrongProject("the span belongs to another project.", field="span")
        if role not in REVIEW_ROLES:
            _check_own_open(span, user)
        duplicate = ClaimLink.objects.filter(cluster=cluster, span=span)
    else:
        assert gold_span is not None  # checked above
        gold_span = GoldSpan.objects.select_related("article").get(pk=gold_span.pk)
        if gold_span.article.project_id != cluster.project_id:
            raise WrongProject("the gold span belongs to another project.", field="gold_span")
        if role not in REVIEW_ROLES:
            raise Forbidden("only reviewers and managers link gold spans.", field="gold_span")
        duplicate = ClaimLink.objects.filter(cluster=cluster, gold_span=gold_span)
    field = "span" if span is not None else "gold_span"
    error = DomainError("this span is linked to the claim already.", field=field, code="duplicate_link", status=409)
    if duplicate.exists():
        raise error
    try:
        with transaction.atomic():
            return ClaimLink.objects.create(cluster=cluster, span=span, gold_span=gold_span, created_by=user)
    except IntegrityError:  # a concurrent request made the same link first
        raise error from None


def _check_own_open(span: Span, user: AbstractBaseUser) -> None:
    if span.assignment.analyst_id != user.pk:
        raise Forbidden("analysts link only their own spans.", field="span")
    assignments.ensure_open(span.assignment)


@transaction.atomic
def unlink(*, link: ClaimLink, user: AbstractBaseUser) -> None:
    """Remove one appearance from its cluster (analysts: their own, while the assignment is open)."""
    link = ClaimLink.objects.select_related("cluster__project", "span__assignment").get(pk=link.pk)
    role = _require_member(link.cluster.project, user)
    if role not in REVIEW_ROLES:
        if link.span is None:
            raise Forbidden("only reviewers and managers unlink gold spans.", field="link")
        _check_own_open(link.span, user)
    link.delete()


def _check_creator_may_edit(cluster: ClaimCluster, user: AbstractBaseUser, action: str) -> None:
    role = _require_member(cluster.project, user)
    if role in REVIEW_ROLES:
        return
    if cluster.created_by_id != user.pk:
        raise Forbidden(f"only the analyst who created a claim, reviewers and managers may {action} it.")
    if cluster.is_adjudicated:
        raise Forbidden(f"the claim is adjudicated; only reviewers and managers may {action} it.")
    if cluster.links.exclude(created_by=user).exists():
        raise Forbidden(f"others link to this claim; only reviewers and managers may {action} it.")


@transaction.atomic
def rename_cluster(*, cluster: ClaimCluster, user: AbstractBaseUser, wording: str,
                   version: int | None = None) -> ClaimCluster:
    """Change the canonical wording; with ``version``, only if nobody changed the cluster meanwhile."""
    current = ClaimCluster.objects.select_for_update().select_related("project").get(pk=cluster.pk)
    _check_creator_may_edit(current, user, "rename")
    check_version("claim", version, current.version)
    current.wording = _clean_wording(current.project, wording, exclude=current.pk)
    current.version += 1
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise _duplicate(current.wording) from None
    return current


@transaction.atomic
def delete_cluster(*, cluster: ClaimCluster, user: AbstractBaseUser, version: int | None = None) -> None:
    """Delete a cluster and its links (the spans stay)."""
    current = ClaimCluster.objects.select_for_update().select_related("project").get(pk=cluster.pk)
    _check_creator_may_edit(current, user, "delete")
    check_version("claim", version, current.version)
    current.delete()


@transaction.atomic
def adjudicate_cluster(*, cluster: ClaimCluster, reviewer: AbstractBaseUser, verdict: int | None,
                       verdict_note: str = "", version: int | None = None) -> ClaimCluster:
    """Give the claim its verdict: a credibility on the project's scale and the reasons (reviewers and
    managers). Adjudicating again replaces the verdict; the history keeps the earlier one.

    Raises Forbidden for analysts, ScoreOutOfScale, StaleVersion; nothing is written on error.
    """
    current = ClaimCluster.objects.select_for_update().select_related("project").get(pk=cluster.pk)
    _require_reviewer(current.project, reviewer, "adjudicate a claim")
    check_version("claim", version, current.version)
    if verdict is None:
        raise DomainError("a verdict needs a credibility score.", field="verdict", code="required")
    check_credibility(current.project, verdict, field="verdict")
    current.verdict, current.verdict_note = verdict, verdict_note
    current.adjudicated_by = reviewer  # type: ignore[assignment]  # a user model instance
    current.adjudicated_at = timezone.now()
    current.version += 1
    current.save()
    return current


@transaction.atomic
def reopen_cluster(*, cluster: ClaimCluster, reviewer: AbstractBaseUser,
                   version: int | None = None) -> ClaimCluster:
    """Withdraw the verdict (reviewers and managers); the history keeps it."""
    current = ClaimCluster.objects.select_for_update().select_related("project").get(pk=cluster.pk)
    _require_reviewer(current.project, reviewer, "reopen a claim")
    check_version("claim", version, current.version)
    if not current.is_adjudicated:
        raise DomainError("the claim is not adjudicated.", field="verdict", code="not_adjudicated")
    current.verdict, current.adjudicated_by, current.adjudicated_at = None, None, None
    current.version += 1
    current.save()
    return current
