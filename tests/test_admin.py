"""The Django admin answers for staff, refuses everyone else, and escapes what users typed."""

import pytest
from django.contrib import admin
from django.urls import reverse

from annotator.models import Article
from annotator.services import demo, gold
from tests.factories import UserFactory

PAYLOAD = '"><svg onload=alert(1)>'


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def seeded(db):
    project = demo.seed_demo().project
    reviewer = project.memberships.get(user__username="reviewer").user
    article = project.articles.order_by("id").first()
    gold.accept_majority(article=article, reviewer=reviewer, min_agreeing=2)
    gold.adjudicate_article(article=article, reviewer=reviewer)
    return project


def _annotator_models():
    return [model for model in admin.site._registry if model._meta.app_label == "annotator"]


@pytest.mark.django_db
def test_every_changelist_and_change_page_answers_for_staff(staff_client, seeded):
    for model in _annotator_models():
        meta = model._meta
        listing = staff_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert listing.status_code == 200, meta.model_name
        first = model.objects.first()
        if first is not None:
            change = staff_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
            assert change.status_code == 200, meta.model_name
    assert staff_client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_admin_refuses_anonymous_and_non_staff_users(client, seeded):
    anonymous = client.get(reverse("admin:annotator_span_changelist"))
    client.force_login(seeded.memberships.get(user__username="analyst1").user)
    analyst = client.get(reverse("admin:annotator_span_changelist"))

    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert analyst.status_code == 302 and "/admin/login/" in analyst["Location"]


@pytest.mark.django_db
def test_article_text_is_read_only_once_annotated(staff_client, seeded):
    article = Article.objects.filter(assignments__spans__isnull=False).first()

    html = staff_client.get(reverse("admin:annotator_article_change", args=[article.pk])).content.decode()

    assert 'name="text"' not in html
    assert "readonly" in html or "field-text" in html


@pytest.mark.django_db
def test_admin_escapes_label_and_source_names(staff_client, seeded):
    # Security case T11.
    seeded.labels.filter(key="claim").update(name=PAYLOAD)
    seeded.sources.filter(name="Politico").update(name=PAYLOAD)

    pages = [staff_client.get(reverse("admin:annotator_label_changelist")).content.decode(),
             staff_client.get(reverse("admin:annotator_source_changelist")).content.decode(),
             staff_client.get(reverse("admin:annotator_span_changelist")).content.decode()]

    for html in pages:
        assert PAYLOAD not in html
    assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in pages[0]


@pytest.mark.django_db
def test_article_admin_shows_adjudication_and_agreement_and_filters_them(staff_client, seeded):
    adjudicated = seeded.articles.order_by("id").first()
    url = reverse("admin:annotator_article_changelist")

    everything = staff_client.get(url).content.decode()
    open_only = staff_client.get(url, {"adjudication": "open"}).content.decode()
    low = staff_client.get(url, {"agreement": "low"})

    assert "Label alpha" in everything and "Adjudicated" in everything
    assert adjudicated.title not in open_only
    assert low.status_code == 200


@pytest.mark.django_db
def test_article_admin_searches_quotes_and_marks_adjudicated_in_bulk(staff_client, seeded):
    url = reverse("admin:annotator_article_changelist")
    pending = list(seeded.articles.exclude(review__status="adjudicated").values_list("pk", flat=True))

    found = staff_client.get(url, {"q": "gross forgery"}).content.decode()
    staff_client.post(url, {"action": "mark_adjudicated", "_selected_action": pending})

    assert "Last news in Fakti" in found
    assert seeded.articles.filter(review__status="adjudicated").count() == 5


@pytest.mark.django_db
def test_admin_history_of_a_gold_span_cannot_revert(staff_client, seeded):
    from annotator.models import GoldSpan

    gold_span = GoldSpan.objects.first()
    history = staff_client.get(reverse("admin:annotator_goldspan_history", args=[gold_span.pk]))

    assert history.status_code == 200
    assert "Revert" not in history.content.decode() or "disabled" in history.content.decode().lower()
