"""An analyst's article-level credibility assessment: one per assignment."""

from django.db import transaction

from annotator.errors import check_version
from annotator.models import ArticleAssessment, Assignment
from annotator.services import assignments
from annotator.services.spans import check_credibility


@transaction.atomic
def save_assessment(
    *, assignment: Assignment, credibility: int | None, comment: str = "", version: int | None = None
) -> ArticleAssessment:
    """Create or replace the assessment of an open assignment.

    With ``version`` (the one the client loaded), a concurrent save in between raises StaleVersion.
    Raises ScoreOutOfScale for a score outside the project's scale, AssignmentLocked once submitted.
    """
    assignment = assignments.lock_open(assignment)
    check_credibility(assignment.article.project, credibility)
    assessment = ArticleAssessment.objects.filter(assignment=assignment).first()
    if assessment is None:
        assessment = ArticleAssessment.objects.create(assignment=assignment, credibility=credibility, comment=comment)
    else:
        check_version("assessment", version, assessment.version)
        assessment.credibility = credibility
        assessment.comment = comment
        assessment.version += 1
        assessment.save()
    assignments.start_assignment(assignment=assignment)
    return assessment
