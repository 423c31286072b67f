"""An analyst's article-level assessment: on the project's scale, versioned, locked once submitted."""

import pytest

from annotator.errors import AssignmentLocked, ScoreOutOfScale, StaleVersion
from annotator.models import ArticleAssessment
from annotator.services import assessments, assignments
from tests.factories import ArticleFactory, AssignmentFactory, ProjectFactory


@pytest.fixture
def assignment(project, analyst):
    return AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)


def _state(assignment):
    row = ArticleAssessment.objects.get(assignment=assignment)
    return row.credibility, row.comment, row.version


@pytest.mark.django_db
def test_first_save_creates_version_one_and_starts_the_assignment(assignment):
    assessment = assessments.save_assessment(assignment=assignment, credibility=4, comment="Sourced")

    assert _state(assignment) == (4, "Sourced", 1)
    assert assessment.version == 1
    assignment.refresh_from_db()
    assert assignment.status == "in_progress"


@pytest.mark.django_db
def test_save_with_the_current_version_replaces_it_and_raises_the_version(assignment):
    assessments.save_assessment(assignment=assignment, credibility=4, comment="Sourced")

    assessment = assessments.save_assessment(assignment=assignment, credibility=2, comment="Thin", version=1)

    assert assessment.version == 2
    assert _state(assignment) == (2, "Thin", 2)
    assert ArticleAssessment.objects.count() == 1


@pytest.mark.django_db
def test_save_with_a_stale_version_is_refused_and_changes_nothing(assignment):
    assessments.save_assessment(assignment=assignment, credibility=4, comment="Sourced")
    assessments.save_assessment(assignment=assignment, credibility=3, comment="Second look", version=1)

    with pytest.raises(StaleVersion) as error:
        assessments.save_assessment(assignment=assignment, credibility=1, comment="Late", version=1)

    assert (error.value.code, error.value.field, error.value.status) == ("stale_version", "version", 412)
    assert _state(assignment) == (3, "Second look", 2)


@pytest.mark.django_db
@pytest.mark.parametrize("credibility", [0, 6])
def test_score_outside_the_scale_is_refused_and_nothing_is_written(assignment, credibility):
    with pytest.raises(ScoreOutOfScale) as error:
        assessments.save_assessment(assignment=assignment, credibility=credibility)

    assert (error.value.code, error.value.field) == ("score_out_of_scale", "credibility")
    assert ArticleAssessment.objects.count() == 0


@pytest.mark.django_db
def test_score_outside_the_scale_leaves_an_existing_assessment_unchanged(assignment):
    assessments.save_assessment(assignment=assignment, credibility=4, comment="Sourced")

    with pytest.raises(ScoreOutOfScale):
        assessments.save_assessment(assignment=assignment, credibility=6, version=1)

    assert _state(assignment) == (4, "Sourced", 1)


@pytest.fixture
def zero_to_ten(analyst):
    return AssignmentFactory(article=ArticleFactory(project=ProjectFactory(scale_min=0, scale_max=10)), analyst=analyst)


@pytest.mark.django_db
@pytest.mark.parametrize("credibility", [0, 10])
def test_scores_at_either_end_of_the_projects_own_scale_are_stored(zero_to_ten, credibility):
    assessments.save_assessment(assignment=zero_to_ten, credibility=credibility)

    assert _state(zero_to_ten)[0] == credibility


@pytest.mark.django_db
def test_score_above_the_projects_own_scale_is_refused(zero_to_ten):
    with pytest.raises(ScoreOutOfScale, match="between 0 and 10, got 11"):
        assessments.save_assessment(assignment=zero_to_ten, credibility=11)

    assert ArticleAssessment.objects.count() == 0


@pytest.mark.django_db
def test_an_assessment_without_a_score_keeps_the_comment(assignment):
    assessments.save_assessment(assignment=assignment, credibility=None, comment="Cannot judge yet")

    assert _state(assignment) == (None, "Cannot judge yet", 1)


@pytest.mark.django_db
def test_submitted_assignment_refuses_the_assessment_until_reopened(assignment):
    assessments.save_assessment(assignment=assignment, credibility=4)
    assignments.submit_assignment(assignment=assignment)

    with pytest.raises(AssignmentLocked) as error:
        assessments.save_assessment(assignment=assignment, credibility=2, version=1)

    assert error.value.code == "assignment_locked"
    assert _state(assignment) == (4, "", 1)


@pytest.mark.django_db
def test_reopened_assignment_accepts_the_assessment_again(assignment):
    assessments.save_assessment(assignment=assignment, credibility=4)
    assignments.submit_assignment(assignment=assignment)
    assignments.reopen_assignment(assignment=assignment)

    assessments.save_assessment(assignment=assignment, credibility=2, version=1)

    assert _state(assignment) == (2, "", 2)
