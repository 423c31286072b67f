"""The source registry: edit, merge (spans follow), split, and the history of these changes."""

import pytest

from annotator.models import Source, Span
from annotator.services import gold
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory


@pytest.fixture
def statements(project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    budanov = SourceFactory(project=project, name="Kyrylo Budanov", aliases=["Budanov"])
    hur = SourceFactory(project=project, name="Ukrainian military intelligence", aliases=["HUR"])
    spans = [SpanFactory(assignment=assignment, start=0, end=6, source=budanov),
             SpanFactory(assignment=assignment, start=7, end=14, source=hur),
             SpanFactory(assignment=assignment, start=20, end=26, source=hur)]
    return budanov, hur, spans


@pytest.mark.django_db
def test_merge_moves_every_span_and_gold_span_and_keeps_names_as_aliases(api_client, reviewer, statements):
    budanov, hur, spans = statements
    accepted = gold.accept_span(span=spans[1], reviewer=reviewer)
    api_client.force_authenticate(reviewer)

    response = api_client.post(f"/api/v1/sources/{budanov.id}/merge/", {"absorb": hur.id}, format="json")

    assert response.status_code == 200
    assert response.json()["aliases"] == ["Budanov", "Ukrainian military intelligence", "HUR"]
    assert not Source.objects.filter(pk=hur.pk).exists()
    assert set(Span.objects.values_list("source", flat=True)) == {budanov.id}
    assert Span.objects.count() == 3
    accepted.refresh_from_db()
    assert accepted.source == budanov


@pytest.mark.django_db
def test_merge_leaves_a_history_entry_on_each_moved_span(api_client, reviewer, statements):
    budanov, hur, spans = statements
    api_client.force_authenticate(reviewer)

    api_client.post(f"/api/v1/sources/{budanov.id}/merge/", {"absorb": hur.id}, format="json")

    moved = spans[1].history.order_by("-history_date").first()
    assert (moved.source_id, moved.history_type) == (budanov.id, "~")
    assert spans[1].history.order_by("history_date").first().source_id == hur.id


@pytest.mark.django_db
def test_analyst_cannot_merge_sources(api_client, analyst, statements):
    budanov, hur, _ = statements
    api_client.force_authenticate(analyst)

    response = api_client.post(f"/api/v1/sources/{budanov.id}/merge/", {"absorb": hur.id}, format="json")

    assert response.status_code == 403
    assert Source.objects.filter(pk=hur.pk).exists()


@pytest.mark.django_db
def test_merge_with_a_source_of_another_project_is_refused(api_client, reviewer, statements, other_project):
    budanov, _, _ = statements
    foreign = SourceFactory(project=other_project)
    api_client.force_authenticate(reviewer)

    response = api_client.post(f"/api/v1/sources/{budanov.id}/merge/", {"absorb": foreign.id}, format="json")

    assert (response.status_code, response.json()["field"]) == (400, "absorb")
    assert Source.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_split_moves_the_chosen_spans_to_a_new_source(api_client, manager, statements):
    _, hur, spans = statements
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/sources/{hur.id}/split/", {"name": "Vadym Skibitskyi", "spans": [spans[2].id]},
                               format="json")

    assert response.status_code == 201
    spans[2].refresh_from_db()
    spans[1].refresh_from_db()
    assert (spans[2].source.name, spans[1].source) == ("Vadym Skibitskyi", hur)


@pytest.mark.django_db
def test_split_refuses_spans_of_another_source(api_client, manager, statements):
    budanov, hur, spans = statements
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/sources/{hur.id}/split/", {"name": "New", "spans": [spans[0].id]},
                               format="json")

    assert (response.status_code, response.json()["field"]) == (400, "spans")
    assert not Source.objects.filter(name="New").exists()


@pytest.mark.django_db
def test_source_edits_are_listed_in_its_history(api_client, reviewer, statements):
    budanov, _, _ = statements
    api_client.force_authenticate(reviewer)

    api_client.patch(f"/api/v1/sources/{budanov.id}/", {"aliases": ["Budanov", "HUR chief"], "country": "Ukraine"},
                     format="json")
    history = api_client.get(f"/api/v1/sources/{budanov.id}/history/").json()

    assert [entry["history_type"] for entry in history] == ["~", "+"]
    assert history[0]["aliases"] == ["Budanov", "HUR chief"]
    assert history[0]["history_user"] == "r1"
