"""Tables and their constraints, one module per concept; re-exported here for `annotator.models.X`."""

from annotator.models.articles import Article
from annotator.models.assignments import ArticleAssessment, Assignment, AssignmentStatus
from annotator.models.claims import ClaimCluster, ClaimLink
from annotator.models.exports import ExportJob
from annotator.models.gold import ArticleReview, GoldSpan, ReviewStatus
from annotator.models.idempotency import IdempotencyKey
from annotator.models.jobs import AgreementJob, ImportJob, JobStatus
from annotator.models.projects import Label, Membership, Project, Role
from annotator.models.sources import Source, SourceKind
from annotator.models.spans import Span

__all__ = [
    "AgreementJob",
    "Article",
    "ArticleAssessment",
    "ArticleReview",
    "Assignment",
    "AssignmentStatus",
    "ClaimCluster",
    "ClaimLink",
    "ExportJob",
    "GoldSpan",
    "IdempotencyKey",
    "ImportJob",
    "JobStatus",
    "Label",
    "Membership",
    "Project",
    "ReviewStatus",
    "Role",
    "Source",
    "SourceKind",
    "Span",
]
