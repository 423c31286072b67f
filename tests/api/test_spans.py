"""Span endpoints: validation with the field and reason, optimistic locking, bulk all-or-nothing."""

import pytest

from annotator.models import Span
from annotator.services import assignments
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory

EMOJI_TEXT = "Peskov 🇷🇺 called it “fake news”; e\u0301lite units 👩🏽‍💻 deny."


@pytest.fixture
def own(project, analyst):
    return AssignmentFactory(article=ArticleFactory(project=project, text=EMOJI_TEXT), analyst=analyst)


@pytest.fixture
def client(api_client, analyst):
    api_client.force_authenticate(analyst)
    return api_client


@pytest.mark.django_db
def test_create_span_stores_python_slicing_offsets_and_quote_on_emoji_text(client, own, project):
    start, end = EMOJI_TEXT.index("“fake"), EMOJI_TEXT.index(";")
    source = SourceFactory(project=project, name="Dmitry Peskov")

    response = client.post(f"/api/v1/assignments/{own.id}/spans/",
                           {"start": start, "end": end, "label": "denial", "source": source.id, "credibility": 2,
                            "quote": "“fake news”"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["start"], body["end"], body["quote"], body["label"]) == (start, end, "“fake news”", "denial")
    assert (body["source"], body["source_name"], body["credibility"], body["version"]) == (source.id, "Dmitry Peskov", 2, 1)
    assert response["ETag"] == '"1"'
    assert Span.objects.get().quote == EMOJI_TEXT[start:end]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "status", "code", "field"),
    [
        ({"start": 5, "end": 3, "label": "claim"}, 400, "invalid_span", "end"),
        ({"start": 0, "end": len(EMOJI_TEXT) + 1, "label": "claim"}, 400, "invalid_span", "end"),
        ({"start": -1, "end": 3, "label": "claim"}, 400, "invalid", "start"),
        ({"start": 0, "end": 6, "label": "claim", "quote": "peskov"}, 400, "invalid_span", "quote"),
        ({"start": 0, "end": 6, "label": "rumour"}, 400, "invalid", "label"),
        ({"start": 0, "end": 6, "label": "claim", "credibility": 6}, 400, "score_out_of_scale", "credibility"),
        ({"start": 0, "end": 6, "label": "claim", "credibility": 0}, 400, "score_out_of_scale", "credibility"),
        ({"start": 0, "end": 6}, 400, "invalid", "label"),
        ({"start": "zero", "end": 6, "label": "claim"}, 400, "invalid", "start"),
    ],
)
def test_invalid_span_is_refused_with_field_and_code_and_writes_nothing(client, own, payload, status, code, field):
    response = client.post(f"/api/v1/assignments/{own.id}/spans/", payload, format="json")

    assert response.status_code == status
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert response.json()["message"]
    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_source_of_another_project_is_refused(client, own, other_project):
    foreign = SourceFactory(project=other_project)

    response = client.post(f"/api/v1/assignments/{own.id}/spans/",
                           {"start": 0, "end": 6, "label": "claim", "source": foreign.id}, format="json")

    assert (response.status_code, response.json()["field"]) == (400, "source")
    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_exact_duplicate_span_is_refused_with_409(client, own):
    client.post(f"/api/v1/assignments/{own.id}/spans/", {"start": 0, "end": 6, "label": "claim"}, format="json")

    response = client.post(f"/api/v1/assignments/{own.id}/spans/", {"start": 0, "end": 6, "label": "claim"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "duplicate_span")
    assert Span.objects.count() == 1


@pytest.mark.django_db
def test_same_offsets_with_another_label_are_a_second_span(client, own):
    client.post(f"/api/v1/assignments/{own.id}/spans/", {"start": 0, "end": 6, "label": "claim"}, format="json")

    response = client.post(f"/api/v1/assignments/{own.id}/spans/", {"start": 0, "end": 6, "label": "denial"}, format="json")

    assert response.status_code == 201
    assert Span.objects.count() == 2


@pytest.mark.django_db
def test_client_sent_owner_status_and_id_are_ignored(client, own, other_analyst):
    # Security case T05: mass assignment of fields the client does not own.
    response = client.post(f"/api/v1/assignments/{own.id}/spans/",
                           {"start": 0, "end": 6, "label": "claim", "assignment": 999, "analyst": other_analyst.id,
                            "id": 12345, "version": 7, "status": "adjudicated"}, format="json")

    assert response.status_code == 201
    span = Span.objects.get()
    assert (span.assignment_id, span.version) == (own.id, 1)
    assert span.id != 12345


@pytest.mark.django_db
def test_submitted_assignment_refuses_new_spans_until_reopened(client, own):
    assignments.submit_assignment(assignment=own)

    refused = client.post(f"/api/v1/assignments/{own.id}/spans/", {"start": 0, "end": 6, "label": "claim"}, format="json")
    assignments.reopen_assignment(assignment=own, comment="Add the denial")
    accepted = client.post(f"/api/v1/assignments/{own.id}/spans/", {"start": 0, "end": 6, "label": "claim"}, format="json")

    assert (refused.status_code, refused.json()["code"]) == (409, "assignment_locked")
    assert accepted.status_code == 201


@pytest.mark.django_db
def test_update_with_current_version_in_if_match_raises_the_version(client, own):
    span = SpanFactory(assignment=own, start=0, end=6)

    response = client.patch(f"/api/v1/spans/{span.id}/", {"credibility": 4, "note": "Kremlin line"}, format="json",
                            HTTP_IF_MATCH='"1"')

    assert response.status_code == 200
    assert (response.json()["credibility"], response.json()["version"], response["ETag"]) == (4, 2, '"2"')


@pytest.mark.django_db
def test_update_with_stale_version_answers_412_and_overwrites_nothing(client, own):
    span = SpanFactory(assignment=own, start=0, end=6)
    client.patch(f"/api/v1/spans/{span.id}/", {"credibility": 4}, format="json", HTTP_IF_MATCH='"1"')

    response = client.patch(f"/api/v1/spans/{span.id}/", {"credibility": 1}, format="json", HTTP_IF_MATCH='"1"')

    assert (response.status_code, response.json()["code"]) == (412, "stale_version")
    span.refresh_from_db()
    assert (span.credibility, span.version) == (4, 2)


@pytest.mark.django_db
def test_update_without_a_version_answers_428(client, own):
    span = SpanFactory(assignment=own, start=0, end=6)

    response = client.patch(f"/api/v1/spans/{span.id}/", {"credibility": 1}, format="json")

    assert (response.status_code, response.json()["code"]) == (428, "precondition_required")
    span.refresh_from_db()
    assert span.credibility is None


@pytest.mark.django_db
def test_update_moves_offsets_and_rechecks_the_quote(client, own):
    span = SpanFactory(assignment=own, start=0, end=6)
    start = EMOJI_TEXT.index("e\u0301lite")

    response = client.patch(f"/api/v1/spans/{span.id}/", {"start": start, "end": start + 6, "version": 1}, format="json")

    assert response.status_code == 200
    assert response.json()["quote"] == "e\u0301lite"


@pytest.mark.django_db
def test_delete_with_stale_version_keeps_the_span(client, own):
    span = SpanFactory(assignment=own, start=0, end=6, version=3)

    response = client.delete(f"/api/v1/spans/{span.id}/", HTTP_IF_MATCH='"2"')

    assert response.status_code == 412
    assert Span.objects.filter(pk=span.pk).exists()


@pytest.mark.django_db
def test_bulk_create_writes_all_spans_in_one_request(client, own):
    response = client.post(f"/api/v1/assignments/{own.id}/spans/bulk/",
                           {"spans": [{"start": 0, "end": 6, "label": "claim"},
                                      {"start": 7, "end": 9, "label": "denial", "credibility": 3}]}, format="json")

    assert response.status_code == 201
    assert [(s["start"], s["end"], s["quote"]) for s in response.json()] == [(0, 6, "Peskov"), (7, 9, "🇷🇺")]


@pytest.mark.django_db
def test_bulk_create_with_one_bad_item_writes_nothing_and_names_the_item(client, own):
    response = client.post(f"/api/v1/assignments/{own.id}/spans/bulk/",
                           {"spans": [{"start": 0, "end": 6, "label": "claim"},
                                      {"start": 0, "end": 999, "label": "claim"}]}, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "spans[1].end"
    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_bulk_create_with_a_malformed_item_names_the_item_and_field(client, own):
    response = client.post(f"/api/v1/assignments/{own.id}/spans/bulk/",
                           {"spans": [{"start": 0, "end": 6, "label": "claim"}, {"start": 0, "end": 6}]}, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "spans[1].label"
    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_span_list_runs_a_constant_number_of_queries(client, own, django_assert_max_num_queries):
    for start in range(0, 40, 2):
        SpanFactory(assignment=own, start=start, end=start + 1, source=SourceFactory(project=own.article.project))

    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/assignments/{own.id}/spans/")

    assert len(response.json()) == 20


@pytest.mark.django_db
def test_span_list_gives_each_span_as_the_span_endpoint_does(client, own, project):
    source = SourceFactory(project=project, name="Dmitry Peskov")
    SpanFactory(assignment=own, start=0, end=6, source=source, credibility=2, note="“checked”")
    SpanFactory(assignment=own, start=7, end=9, source=None, credibility=None)
    SpanFactory(assignment=own, start=0, end=6, label=project.labels.get(key="denial"))

    listed = client.get(f"/api/v1/assignments/{own.id}/spans/").json()

    one_by_one = [client.get(f"/api/v1/spans/{item['id']}/").json() for item in listed]
    assert listed == one_by_one
    assert [(item["start"], item["end"], item["label"]) for item in listed] == [
        (0, 6, "claim"), (0, 6, "denial"), (7, 9, "claim")]
    assert listed[0]["source_name"] == "Dmitry Peskov" and listed[0]["created_at"].endswith("Z")
