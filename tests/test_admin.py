"""The Django admin answers for staff, refuses everyone else, keeps annotated text fixed and escapes what users typed."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from annotator.models import Article, ClaimCluster, ClaimLink, GoldSpan, Span
from annotator.services import agreement_jobs, export_jobs, import_jobs
from tests.factories import (
    ArticleAssessmentFactory,
    ArticleFactory,
    ArticleReviewFactory,
    AssignmentFactory,
    ClaimClusterFactory,
    ClaimLinkFactory,
    GoldSpanFactory,
    SourceFactory,
    SpanFactory,
    UserFactory,
)

PAYLOAD = '"><svg onload=alert(1)>'
ESCAPED = "&quot;&gt;&lt;svg onload=alert(1)&gt;"
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def every_model(project, analyst):
    """At least one row of every model registered in the admin."""
    assignment = AssignmentFactory(article=ArticleFactory(project=project, title="Kremlin denies"), analyst=analyst)
    span = SpanFactory(assignment=assignment, source=SourceFactory(project=project))
    ArticleAssessmentFactory(assignment=assignment)
    GoldSpanFactory(article=assignment.article)
    ArticleReviewFactory(article=assignment.article)
    ClaimLinkFactory(span=span, cluster=ClaimClusterFactory(project=project, wording=PAYLOAD))
    Group.objects.create(name="Editors")
    Token.objects.create(user=analyst)
    export_jobs.request_export_job(project=project, user=analyst, export_format="jsonl", layer="gold")
    import_jobs.request_import_job(project=project, user=analyst, chunks=[b"{}"], upload_name=PAYLOAD, fmt="jsonl")
    agreement_jobs.request_agreement_job(project=project, user=analyst)
    TOTPDevice.objects.create(user=UserFactory(username="enrolled"), name="authenticator", confirmed=True)
    seen = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "a1", "http_accept": "*/*",
            "path_info": "/login/"}
    AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **seen)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    return assignment


# staff


@pytest.mark.django_db
def test_admin_index_answers_for_staff(staff_client, every_model):
    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=[model._meta.label for model in REGISTERED])
def test_every_changelist_answers_for_staff_with_data_present(staff_client, every_model, model):
    response = staff_client.get(_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=[model._meta.label for model in REGISTERED])
def test_every_change_page_answers_for_staff(staff_client, every_model, model):
    row = model.objects.first()

    response = staff_client.get(_url(model, "change", row.pk))

    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_lists_authenticators_without_showing_their_secret(staff_client, analyst):
    device = TOTPDevice.objects.create(user=analyst, name="authenticator", confirmed=True)

    pages = staff_client.get(_url(TOTPDevice, "changelist")).content.decode() + staff_client.get(
        _url(TOTPDevice, "change", device.pk)).content.decode()

    assert "authenticator" in pages
    assert device.key not in pages


# everyone else

PROTECTED = [
    ("index", lambda assignment: reverse("admin:index")),
    ("span list", lambda assignment: _url(Span, "changelist")),
    ("article page", lambda assignment: _url(Article, "change", assignment.article.pk)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "url"), PROTECTED, ids=[page for page, _ in PROTECTED])
def test_anonymous_visitor_is_sent_to_the_admin_login(client, every_model, page, url):
    response = client.get(url(every_model))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "url"), PROTECTED, ids=[page for page, _ in PROTECTED])
def test_analyst_without_staff_status_gets_the_login_page_not_the_data(client, every_model, analyst, page, url):
    client.force_login(analyst)

    response = client.get(url(every_model), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
    assert response.request["PATH_INFO"] == reverse("admin:login")
    assert "Kremlin denies" not in response.content.decode()


@pytest.mark.django_db
def test_staff_without_permissions_is_forbidden_the_data(client, every_model):
    client.force_login(UserFactory(username="intern", is_staff=True))

    response = client.get(_url(Article, "changelist"))

    assert response.status_code == 403


# the article text


@pytest.mark.django_db
def test_article_text_is_editable_before_any_span(staff_client, project):
    article = ArticleFactory(project=project)

    html = staff_client.get(_url(Article, "change", article.pk)).content.decode()

    assert '<textarea name="text"' in html


@pytest.mark.django_db
def test_article_text_is_read_only_once_a_span_exists(staff_client, every_model):
    html = staff_client.get(_url(Article, "change", every_model.article.pk)).content.decode()

    assert '<textarea name="text"' not in html
    assert every_model.article.text in html


@pytest.mark.django_db
def test_article_text_is_read_only_once_a_gold_span_exists(staff_client, project):
    article = GoldSpanFactory(article=ArticleFactory(project=project)).article

    html = staff_client.get(_url(Article, "change", article.pk)).content.decode()

    assert '<textarea name="text"' not in html


def _article_form(article, **changes):
    data = {"project": article.project_id, "external_id": article.external_id, "title": article.title,
            "outlet": "", "url": "", "published": "", "text": article.text,
            "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0"}
    return {**data, **changes}


@pytest.mark.django_db
def test_posting_a_new_text_for_an_annotated_article_leaves_it_unchanged(staff_client, every_model):
    article = every_model.article
    before = (article.text, article.sha256)

    response = staff_client.post(_url(Article, "change", article.pk), _article_form(article, text="Rewritten"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.text, article.sha256) == before


@pytest.mark.django_db
def test_posting_a_new_text_for_an_unannotated_article_corrects_it(staff_client, project):
    article = ArticleFactory(project=project)

    response = staff_client.post(_url(Article, "change", article.pk), _article_form(article, text="Fixed\r\ntext"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.text == "Fixed\ntext"


@pytest.mark.django_db
def test_editing_a_span_in_the_admin_raises_its_version(staff_client, every_model):
    span = every_model.spans.get()

    response = staff_client.post(_url(Span, "change", span.pk),
                                 {"label": span.label_id, "source": "", "credibility": "2", "note": "checked"})

    assert response.status_code == 302
    span.refresh_from_db()
    assert (span.credibility, span.note, span.source, span.version) == (2, "checked", None, 2)


# escaping (security case T11)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Span, GoldSpan], ids=["span", "gold span"])
def test_admin_lists_escape_label_and_source_names(staff_client, every_model, project, model):
    project.labels.filter(key="claim").update(name=PAYLOAD)
    SourceFactory(project=project, name=PAYLOAD + " source")
    model.objects.update(source=project.sources.get(name=PAYLOAD + " source"))

    html = staff_client.get(_url(model, "changelist")).content.decode()

    assert PAYLOAD not in html
    assert ESCAPED in html
    assert ESCAPED + " source" in html


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ClaimCluster, ClaimLink], ids=["claim", "claim link"])
def test_admin_claim_lists_escape_the_wording(staff_client, every_model, model):
    html = staff_client.get(_url(model, "changelist")).content.decode()

    assert PAYLOAD not in html
    assert ESCAPED in html


@pytest.mark.django_db
def test_label_list_and_page_escape_the_label_name(staff_client, project):
    label = project.labels.get(key="claim")
    label.name = PAYLOAD
    label.save()

    pages = [staff_client.get(_url(type(label), "changelist")).content.decode(),
             staff_client.get(_url(type(label), "change", label.pk)).content.decode()]

    assert all(PAYLOAD not in html for html in pages)
    assert all(ESCAPED in html for html in pages)


@pytest.mark.django_db
def test_source_list_and_page_escape_the_source_name(staff_client, project):
    source = SourceFactory(project=project, name=PAYLOAD)

    pages = [staff_client.get(_url(type(source), "changelist")).content.decode(),
             staff_client.get(_url(type(source), "change", source.pk)).content.decode()]

    assert all(PAYLOAD not in html for html in pages)
    assert all(ESCAPED in html for html in pages)


# review figures on the article list


@pytest.mark.django_db
def test_article_admin_shows_adjudication_and_agreement_and_filters_them(staff_client, seeded):
    adjudicated = seeded.articles.order_by("id").first()
    url = _url(Article, "changelist")

    everything = staff_client.get(url).content.decode()
    open_only = staff_client.get(url, {"adjudication": "open"}).content.decode()
    low = staff_client.get(url, {"agreement": "low"})

    assert "Label alpha" in everything and "Adjudicated" in everything
    assert adjudicated.title not in open_only
    assert low.status_code == 200


@pytest.mark.django_db
def test_article_admin_searches_quotes_and_marks_adjudicated_in_bulk(staff_client, seeded):
    url = _url(Article, "changelist")
    pending = list(seeded.articles.exclude(review__status="adjudicated").values_list("pk", flat=True))

    found = staff_client.get(url, {"q": "gross forgery"}).content.decode()
    staff_client.post(url, {"action": "mark_adjudicated", "_selected_action": pending})

    assert "Last news in Fakti" in found
    assert seeded.articles.filter(review__status="adjudicated").count() == 5


@pytest.mark.django_db
def test_admin_history_of_a_gold_span_offers_no_revert(staff_client, seeded):
    gold_span = GoldSpan.objects.first()

    history = staff_client.get(_url(GoldSpan, "history", gold_span.pk))

    assert history.status_code == 200
    assert "Revert" not in history.content.decode()



@pytest.mark.django_db
def test_admin_history_of_a_span_answers_after_its_author_is_deleted(staff_client, every_model):
    span = every_model.spans.get()
    author = UserFactory(username="gone")
    author_id = author.pk
    Span.history.filter(id=span.pk).update(history_user=author)
    author.delete()

    history = staff_client.get(_url(Span, "history", span.pk))

    assert history.status_code == 200
    assert Span.history.get(id=span.pk).history_user_id == author_id


@pytest.mark.django_db
def test_admin_span_edit_on_submitted_work_shows_the_error_instead_of_failing(staff_client):
    from annotator.models import Span
    from annotator.services import assignments as assignment_service
    from tests.factories import ArticleFactory, AssignmentFactory, SpanFactory

    span = SpanFactory(assignment=AssignmentFactory(article=ArticleFactory()), start=0, end=6)
    assignment_service.submit_assignment(assignment=span.assignment)

    response = staff_client.post(reverse("admin:annotator_span_change", args=[span.pk]),
                                 {"label": span.label_id, "credibility": 9, "note": "changed"})

    assert response.status_code == 200
    assert "submitted" in response.content.decode()
    assert Span.objects.get(pk=span.pk).note == ""
