"""A project P1 with analysts A1 and A2, reviewer R1 and manager ADM; an outsider X in project P2."""

from dataclasses import dataclass

import pytest

from annotator.models import Assignment, Span
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory


@dataclass
class World:
    project: object
    article: object
    own: Assignment
    others: Assignment
    span: Span
    source: object


@pytest.fixture
def world(project, analyst, other_analyst, reviewer, manager, outsider) -> World:
    article = ArticleFactory(project=project)
    own = AssignmentFactory(article=article, analyst=analyst)
    others = AssignmentFactory(article=article, analyst=other_analyst)
    span = SpanFactory(assignment=own, start=0, end=14)
    return World(project=project, article=article, own=own, others=others, span=span,
                 source=SourceFactory(project=project, name="Kremlin"))


@pytest.fixture
def users(analyst, other_analyst, reviewer, manager, outsider):
    return {"A1": analyst, "A2": other_analyst, "R1": reviewer, "ADM": manager, "X": outsider, "anon": None}
