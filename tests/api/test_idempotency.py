"""Idempotency-Key on API writes (security case T35): a retried write lands once, a reused key is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from annotator.models import ArticleAssessment, AssignmentStatus, IdempotencyKey, Span
from tests.factories import ArticleFactory, AssignmentFactory

SPAN = {"start": 0, "end": 14, "label": "claim"}


@pytest.fixture
def assignment(project, analyst):
    return AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)


@pytest.fixture
def spans_url(assignment):
    return f"/api/v1/assignments/{assignment.id}/spans/"


def post(api_client, url, body, key):
    return api_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_same_key_and_body_replays_the_first_response_and_writes_once(api_client, analyst, assignment, spans_url):
    api_client.force_authenticate(analyst)
    first = post(api_client, spans_url, SPAN, '"7f1c2a"')

    retry = post(api_client, spans_url, SPAN, '"7f1c2a"')

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()  # the same values, times to the microsecond (PostgreSQL's jsonb reorders keys)
    assert retry["ETag"] == first["ETag"] and retry["Idempotent-Replayed"] == "true"
    assert Span.objects.filter(assignment=assignment).count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused_with_422(api_client, analyst, assignment, spans_url):
    api_client.force_authenticate(analyst)
    post(api_client, spans_url, SPAN, "key-1")

    response = post(api_client, spans_url, {**SPAN, "label": "denial"}, "key-1")

    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("idempotency_key_reused", "Idempotency-Key")
    assert list(Span.objects.filter(assignment=assignment).values_list("label__key", flat=True)) == ["claim"]


@pytest.mark.django_db
def test_same_key_while_the_first_request_runs_is_refused_with_409(api_client, analyst, assignment, spans_url):
    api_client.force_authenticate(analyst)
    post(api_client, spans_url, SPAN, "key-1")
    IdempotencyKey.objects.filter(key="key-1").update(is_complete=False)  # as while the first one runs

    response = post(api_client, spans_url, SPAN, "key-1")

    assert (response.status_code, response.json()["code"]) == (409, "idempotency_key_in_flight")
    assert Span.objects.filter(assignment=assignment).count() == 1


@pytest.mark.django_db
def test_a_key_held_by_a_request_that_died_is_taken_over_by_its_retry(api_client, analyst, assignment, spans_url,
                                                                      settings):
    # A worker killed mid-request rolled its writes back but left the key held: after
    # IDEMPOTENCY_LOCK_SECONDS the retry runs the write.
    api_client.force_authenticate(analyst)
    post(api_client, spans_url, SPAN, "key-1")
    Span.objects.filter(assignment=assignment).delete()
    IdempotencyKey.objects.filter(key="key-1").update(
        is_complete=False, locked_at=timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS + 1))

    response = post(api_client, spans_url, SPAN, "key-1")

    assert response.status_code == 201
    assert Span.objects.filter(assignment=assignment).count() == 1
    assert IdempotencyKey.objects.get(key="key-1").is_complete


@pytest.mark.django_db
def test_keys_belong_to_one_user(api_client, project, analyst, other_analyst, assignment, spans_url):
    theirs = AssignmentFactory(article=assignment.article, analyst=other_analyst)
    api_client.force_authenticate(analyst)
    post(api_client, spans_url, SPAN, "shared-key")
    api_client.force_authenticate(other_analyst)

    response = post(api_client, f"/api/v1/assignments/{theirs.id}/spans/", SPAN, "shared-key")

    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert response.json()["assignment"] == theirs.id


@pytest.mark.django_db
def test_an_expired_key_is_forgotten(api_client, analyst, assignment, spans_url, settings):
    api_client.force_authenticate(analyst)
    post(api_client, spans_url, SPAN, "key-1")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS + 1))

    response = post(api_client, spans_url, {**SPAN, "label": "denial"}, "key-1")

    assert response.status_code == 201
    assert Span.objects.filter(assignment=assignment).count() == 2


@pytest.mark.django_db
def test_a_refused_write_keeps_no_key_so_the_corrected_retry_runs(api_client, analyst, assignment, spans_url):
    api_client.force_authenticate(analyst)
    refused = post(api_client, spans_url, {**SPAN, "end": 9999}, "key-1")

    corrected = post(api_client, spans_url, SPAN, "key-1")

    assert (refused.status_code, refused.json()["field"]) == (400, "end")
    assert corrected.status_code == 201
    assert Span.objects.filter(assignment=assignment).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "tab\there"])
def test_a_malformed_key_is_refused_naming_the_header(api_client, analyst, spans_url, key):
    api_client.force_authenticate(analyst)

    response = post(api_client, spans_url, SPAN, key)

    assert (response.status_code, response.json()["field"]) == (400, "Idempotency-Key")
    assert not Span.objects.exists()


@pytest.mark.django_db
def test_assessment_and_submit_retried_with_their_keys_answer_as_the_first_time(api_client, analyst, assignment):
    api_client.force_authenticate(analyst)
    url = f"/api/v1/assignments/{assignment.id}/"
    saves = [api_client.put(f"{url}assessment/", {"credibility": 2, "comment": "thin"}, format="json",
                            HTTP_IDEMPOTENCY_KEY="save-1") for _ in range(2)]

    submits = [api_client.post(f"{url}submit/", HTTP_IDEMPOTENCY_KEY="submit-1") for _ in range(2)]

    assert [r.status_code for r in saves] == [200, 200] and saves[0].json() == saves[1].json()
    assert ArticleAssessment.objects.get(assignment=assignment).version == 1
    assert [r.status_code for r in submits] == [200, 200]  # without the key the second submit is a 409
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED


@pytest.mark.django_db
def test_bulk_create_retried_with_its_key_creates_the_spans_once(api_client, analyst, assignment):
    api_client.force_authenticate(analyst)
    body = {"spans": [SPAN, {"start": 15, "end": 20, "label": "denial"}]}
    url = f"/api/v1/assignments/{assignment.id}/spans/bulk/"

    responses = [api_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1") for _ in range(2)]

    assert [r.status_code for r in responses] == [201, 201]
    assert Span.objects.filter(assignment=assignment).count() == 2


@pytest.mark.django_db
def test_the_schema_documents_the_header_on_writes(api_client, analyst):
    api_client.force_authenticate(analyst)

    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    for path, method in [("/api/v1/assignments/{assignment_id}/spans/", "post"),
                         ("/api/v1/assignments/{assignment_id}/assessment/", "put"),
                         ("/api/v1/assignments/{assignment_id}/submit/", "post")]:
        assert "Idempotency-Key" in [p["name"] for p in schema["paths"][path][method]["parameters"]]
