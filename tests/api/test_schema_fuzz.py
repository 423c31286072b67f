"""Every operation of the OpenAPI schema, fuzzed by schemathesis as an analyst with a token: no 5xx answer.

Schemathesis reads /api/schema/ from the WSGI application and generates valid and invalid requests for each
operation (path, query, headers, body); each request goes through the whole Django stack in this thread, inside
the test's transaction. A generated path id that could be a database key is swapped for the id of a real project,
article, assignment, span, source, gold span, member, claim or claim link (the analyst's own where it has one), so that bodies reach
the services and not only the 404; negative, huge or non-numeric ids stay as generated.

Bounded and derandomized, so every run sends the same requests (well under a minute): the coverage phase's
boundary and wrong-type values, then FUZZ_EXAMPLES random ones per operation (10 by default). The analyst is
refused (403) by the reviewers' and managers' operations before their bodies are read: FUZZ_AS=reviewer or
FUZZ_AS=manager sends everything with that member's token instead. A deeper search before a release, e.g.:
    FUZZ_AS=manager FUZZ_EXAMPLES=100 make test-postgres PYTEST_ARGS="tests/api/test_schema_fuzz.py"

After it, plain tests pin the requests that answered 500 before (found this way, or by hand next to them).
"""

import os
from dataclasses import dataclass

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from annotator.services import claims, gold
from tests.factories import ARTICLE_TEXT, ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
FUZZ_AS = os.environ.get("FUZZ_AS", "analyst")
MAX_KEY = 2**63 - 1  # the largest bigint primary key


@dataclass(frozen=True)
class Fuzzed:
    ids: dict[str, int]  # path parameter name -> the id of a row that exists
    headers: dict[str, str]


@pytest.fixture
def requests_keep_the_test_transaction():
    # Django closes "old" connections when a request starts and ends; here that is the connection holding the
    # test's transaction, so unhook it for the test, as Django's own test client does around each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzzed(project, analyst, other_analyst, reviewer, manager, requests_keep_the_test_transaction) -> Fuzzed:
    cache.clear()  # the throttles count in the cache: every operation starts with a fresh allowance
    article = ArticleFactory(project=project)
    own = AssignmentFactory(article=article, analyst=analyst)
    AssignmentFactory(article=article, analyst=other_analyst)
    budanov = SourceFactory(project=project, name="Kyrylo Budanov", aliases=["Budanov"])
    kremlin = SourceFactory(project=project, name="Kremlin", aliases=["Moscow", "Peskov"])
    SpanFactory(assignment=own, start=0, end=len("Kyrylo Budanov"), source=budanov)
    start = ARTICLE_TEXT.index("The Kremlin")
    span = SpanFactory(assignment=own, start=start, end=start + len("The Kremlin"), source=kremlin,
                       label=project.labels.get(key="denial"))
    gold_span = gold.accept_span(span=span, reviewer=reviewer)
    claim = claims.create_cluster(project=project, user=analyst, wording="The Kremlin denies it", span=span)
    token = Token.objects.create(user={"analyst": analyst, "reviewer": reviewer, "manager": manager}[FUZZ_AS])
    ids = {"project_id": project.id, "article_id": article.id, "assignment_id": own.id, "span_id": span.id,
           "source_id": kremlin.id, "gold_id": gold_span.id, "user_id": other_analyst.id, "claim_id": claim.id,
           "link_id": claim.links.get().id}
    return Fuzzed(ids=ids, headers={"Authorization": f"Token {token.key}"})


def could_be_a_key(value: object) -> bool:
    """Whether a generated path value (an int, or a string in the coverage phase) names a row we could hold."""
    text = str(value)
    return (not isinstance(value, bool) and text.isascii() and text.isdigit() and len(text) <= 19
            and int(text) <= MAX_KEY)


@schema.parametrize()
@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10")), deadline=None, derandomize=True,
          database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                HealthCheck.filter_too_much])
def test_no_operation_answers_with_a_server_error(case, fuzzed, db):
    for name, value in (case.path_parameters or {}).items():
        if name in fuzzed.ids and could_be_a_key(value):
            case.path_parameters[name] = fuzzed.ids[name]

    case.call_and_validate(headers=fuzzed.headers, checks=[not_a_server_error])


# Requests that answered 500: the NUL label found by this fuzzer with FUZZ_EXAMPLES=100 on PostgreSQL, the split
# by FUZZ_AS=manager on SQLite, the others by hand next to them. PostgreSQL refuses a NUL character even in a
# comparison, and SQLite an integer beyond 64 bits; each is now a 400 that names the field.
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "method", "path", "body", "field"),
    [
        ("analyst", "post", "/api/v1/assignments/{own}/spans/", {"start": 0, "end": 6, "label": "cl\x00aim"}, "label"),
        ("analyst", "post", "/api/v1/assignments/{own}/spans/bulk/",
         {"spans": [{"start": 0, "end": 6, "label": "\x00"}]}, "spans[0].label"),
        ("analyst", "patch", "/api/v1/spans/{span}/", {"label": "\x00", "version": 1}, "label"),
        ("analyst", "get", "/api/v1/projects/{project}/sources/?search=%00", None, "search"),
        ("analyst", "get", "/api/v1/projects/{project}/sources/?kind=%00", None, "kind"),
        ("analyst", "get", "/api/v1/assignments/?project=99999999999999999999", None, "project"),
        ("reviewer", "post", "/api/v1/articles/{article}/gold/", {"start": 0, "end": 6, "label": "\x00"}, "label"),
        ("reviewer", "post", "/api/v1/articles/{article}/gold/accept/", {"span": 2**70}, "span"),
        ("reviewer", "post", "/api/v1/articles/{article}/gold/merge/", {"spans": [2**70]}, "spans[0]"),
        ("reviewer", "post", "/api/v1/sources/{source}/split/", {"name": "Peskov", "spans": [2**70]}, "spans[0]"),
    ],
)
def test_values_the_database_cannot_take_are_refused_on_their_field(api_client, project, analyst, reviewer, role,
                                                                   method, path, body, field):
    article = ArticleFactory(project=project)
    own = AssignmentFactory(article=article, analyst=analyst)
    span = SpanFactory(assignment=own)
    source = SourceFactory(project=project)
    api_client.force_authenticate({"analyst": analyst, "reviewer": reviewer}[role])

    url = path.format(own=own.id, span=span.id, project=project.id, article=article.id, source=source.id)
    response = getattr(api_client, method)(url, body, format="json")

    assert response.status_code == 400, response.content
    assert (response.json()["code"], response.json()["field"]) == ("invalid", field)


# "²" is a digit to str.isdigit() but not to int(), which also refuses more than 4300 digits: both were a 500.
@pytest.mark.django_db
@pytest.mark.parametrize("if_match", ["\u00b2", 'W/"\u00b3"', "7" * 5000])
@pytest.mark.parametrize(("role", "path"), [("analyst", "/api/v1/assignments/{own}/assessment/"),
                                            ("reviewer", "/api/v1/articles/{article}/review/")])
def test_an_if_match_that_is_no_version_is_ignored_when_saving_a_score(api_client, project, analyst, reviewer, role,
                                                                        path, if_match):
    article = ArticleFactory(project=project)
    own = AssignmentFactory(article=article, analyst=analyst)
    api_client.force_authenticate({"analyst": analyst, "reviewer": reviewer}[role])

    response = api_client.put(path.format(own=own.id, article=article.id), {"credibility": 3}, format="json",
                              HTTP_IF_MATCH=if_match)

    assert response.status_code == 200, response.content
    assert response.json()["credibility"] == 3
    assert response["ETag"] == f'"{response.json()["version"]}"'
