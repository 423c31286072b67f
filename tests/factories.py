"""factory_boy factories for the data model; build only what a test needs."""

import factory
from django.contrib.auth import get_user_model

from annotator import text
from annotator.models import (
    Article,
    ArticleAssessment,
    ArticleReview,
    Assignment,
    ClaimCluster,
    ClaimLink,
    GoldSpan,
    Label,
    Membership,
    Project,
    Role,
    Source,
    Span,
)
from annotator.services import assessments, assignments

ARTICLE_TEXT = (
    "Kyrylo Budanov said 10,000 North Korean troops will fight. "
    "The Kremlin called the reports “fake news”. "
    "Analysts doubt the figures."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805  # factory_boy passes the object
        if create:
            obj.save()


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")

    @factory.post_generation
    def labels(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not False:
            for position, (key, name, hotkey) in enumerate(
                [("claim", "Claim", "1"), ("denial", "Denial", "2"), ("expert_opinion", "Expert opinion", "3")]
            ):
                Label.objects.create(project=obj, key=key, name=name, hotkey=hotkey, position=position)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANALYST


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label

    project = factory.SubFactory(ProjectFactory, labels=False)
    key = factory.Sequence(lambda n: f"label_{n}")
    name = factory.LazyAttribute(lambda label: label.key.replace("_", " ").title())


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Source {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    project = factory.SubFactory(ProjectFactory)
    external_id = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    text = factory.Sequence(lambda n: f"{ARTICLE_TEXT} ({n})")
    sha256 = factory.LazyAttribute(lambda article: text.text_sha256(article.text))


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment whose analyst is a member (analyst) of the article's project."""

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    analyst = factory.SubFactory(UserFactory)

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            Membership.objects.get_or_create(
                project=obj.article.project, user=obj.analyst, defaults={"role": Role.ANALYST}
            )


class SpanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Span

    assignment = factory.SubFactory(AssignmentFactory)
    start = 0
    end = 14
    quote = factory.LazyAttribute(lambda span: span.assignment.article.text[span.start : span.end])
    label = factory.LazyAttribute(lambda span: span.assignment.article.project.labels.get(key="claim"))


class ArticleAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleAssessment

    assignment = factory.SubFactory(AssignmentFactory)
    credibility = 3


class GoldSpanFactory(factory.django.DjangoModelFactory):
    """A reviewer's gold span over ``text[start:end]`` of the article (the first 14 characters by default)."""

    class Meta:
        model = GoldSpan

    article = factory.SubFactory(ArticleFactory)
    start = 0
    end = 14
    quote = factory.LazyAttribute(lambda gold: gold.article.text[gold.start : gold.end])
    label = factory.LazyAttribute(lambda gold: gold.article.project.labels.get(key="claim"))
    decided_by = factory.SubFactory(UserFactory)


class ArticleReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleReview

    article = factory.SubFactory(ArticleFactory)


class ClaimClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimCluster

    project = factory.SubFactory(ProjectFactory)
    wording = factory.Sequence(lambda n: f"North Korea sent {n + 1},000 troops to Russia")
    created_by = factory.SubFactory(UserFactory)


class ClaimLinkFactory(factory.django.DjangoModelFactory):
    """A link of an analyst's span, made by that analyst (pass ``gold_span`` and ``span=None`` for gold)."""

    class Meta:
        model = ClaimLink

    span = factory.SubFactory(SpanFactory)
    cluster = factory.SubFactory(ClaimClusterFactory,
                                 project=factory.SelfAttribute("..span.assignment.article.project"))
    created_by = factory.LazyAttribute(lambda link: link.span.assignment.analyst if link.span else
                                       link.gold_span.decided_by)


def submit_work(assignment, spans=(), *, score=None):
    """Give the assignment spans, each (start, end, source, credibility), and an article score, then submit
    it through the services, as an analyst would."""
    for start, end, source, credibility in spans:
        SpanFactory(assignment=assignment, start=start, end=end, source=source, credibility=credibility)
    if score is not None:
        assessments.save_assessment(assignment=assignment, credibility=score)
    assignments.submit_assignment(assignment=assignment)
    return assignment
