"""The demo seed: project, users, sources, the seed articles and their assignments; a second run changes nothing."""

import json
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from annotator.models import (
    Article,
    ArticleAssessment,
    Assignment,
    AssignmentStatus,
    Label,
    Membership,
    Project,
    Source,
    Span,
)
from annotator.services import demo

COUNTED = (Project, Label, get_user_model(), Membership, Source, Article, Assignment, Span, ArticleAssessment)


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def seeded(db):
    return demo.seed_demo()


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_project_with_its_labels(seeded):
    project = Project.objects.get()

    assert project.slug == "nk-troops-2024"
    assert (project.scale_min, project.scale_max, project.overlap) == (1, 5, 3)
    assert list(project.labels.values_list("key", flat=True)) == ["claim", "denial", "expert_opinion"]


@pytest.mark.django_db
def test_seed_demo_loads_the_five_seed_articles(seeded):
    stems = sorted(path.stem for path in settings.CREDENCE_SEEDS_DIR.glob("*.txt"))

    assert seeded.articles_created == 5
    assert sorted(Article.objects.values_list("external_id", flat=True)) == stems


@pytest.mark.django_db
def test_seed_demo_creates_five_users_with_their_roles(seeded):
    roles = dict(Membership.objects.values_list("user__username", "role"))

    assert roles == {"analyst1": "analyst", "analyst2": "analyst", "analyst3": "analyst",
                     "reviewer": "reviewer", "admin": "manager"}
    assert get_user_model().objects.count() == 5
    assert [login.username for login in seeded.logins] == ["analyst1", "analyst2", "analyst3", "reviewer", "admin"]


@pytest.mark.django_db
def test_only_the_demo_admin_is_staff(seeded):
    staff = get_user_model().objects.filter(is_staff=True).values_list("username", "is_superuser")

    assert list(staff) == [("admin", True)]


@pytest.mark.django_db
def test_seed_demo_assigns_every_article_to_the_three_analysts_evenly(seeded):
    per_analyst = Counter(Assignment.objects.values_list("analyst__username", flat=True))
    per_article = Counter(Assignment.objects.values_list("article_id", flat=True))

    assert seeded.assignments_created == 15
    assert per_analyst == {"analyst1": 5, "analyst2": 5, "analyst3": 5}
    assert set(per_article.values()) == {3}


@pytest.mark.django_db
def test_seed_demo_loads_the_source_registry(seeded):
    with open(settings.CREDENCE_FIXTURES_DIR / "demo_project.json", encoding="utf-8") as handle:
        names = {source["name"] for source in json.load(handle)["sources"]}

    assert set(Source.objects.values_list("name", flat=True)) == names
    assert Source.objects.get(name="Dmitry Peskov").aliases == ["Dmitri Peskov", "Peskov", "Kremlin spokesperson"]


@pytest.mark.django_db
def test_seed_demo_submits_the_example_annotations_with_quotes_matching_the_text(seeded):
    submitted = Assignment.objects.filter(status=AssignmentStatus.SUBMITTED)

    assert seeded.assignments_submitted == submitted.count() == 15
    assert ArticleAssessment.objects.count() == 15
    for span in Span.objects.select_related("assignment__article"):
        assert span.quote == span.assignment.article.text[span.start : span.end]


@pytest.mark.django_db
def test_seed_demo_twice_changes_no_row_counts(seeded):
    before = _counts()

    again = demo.seed_demo()

    assert _counts() == before
    assert (again.articles_created, again.assignments_created, again.assignments_submitted) == (0, 0, 0)


@pytest.mark.django_db
def test_seed_demo_keeps_work_a_demo_user_changed_by_hand(seeded):
    assessment = ArticleAssessment.objects.filter(assignment__analyst__username="analyst1").first()
    ArticleAssessment.objects.filter(pk=assessment.pk).update(comment="Edited by hand")

    demo.seed_demo()

    assessment.refresh_from_db()
    assert (assessment.comment, assessment.version) == ("Edited by hand", 1)
