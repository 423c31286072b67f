"""Management commands: load_articles, assign, seed_demo and export parse arguments, call a service and say what
they did."""

import io

import pytest
from django.core.management import CommandError, call_command

from annotator.models import Article, Assignment, Membership, Project
from tests.factories import ArticleFactory, AssignmentFactory, MembershipFactory, SpanFactory


def _run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def article_folder(tmp_path):
    (tmp_path / "one.txt").write_text("One\nBody one", encoding="utf-8")
    (tmp_path / "two.jsonl").write_text('{"id": "two", "text": "Body two"}\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text("Not an article", encoding="utf-8")
    return tmp_path


# load_articles


@pytest.mark.django_db
def test_load_articles_loads_the_article_files_of_a_folder(project, article_folder):
    output = _run("load_articles", str(article_folder), "--project", project.slug)

    assert output == "2 articles loaded, 0 already present.\n"
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["one", "two"]


@pytest.mark.django_db
def test_load_articles_twice_reports_the_articles_already_present(project, article_folder):
    _run("load_articles", str(article_folder), "--project", project.slug)

    output = _run("load_articles", str(article_folder / "one.txt"), str(article_folder / "two.jsonl"),
                  "--project", project.slug)

    assert output == "0 articles loaded, 2 already present.\n"
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_load_articles_refuses_a_bad_file_and_loads_nothing(project, article_folder):
    (article_folder / "bad.csv").write_text("title,text\nT1,Body\nT2,\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("load_articles", str(article_folder), "--project", project.slug)

    assert str(error.value) == "nothing loaded: bad.csv, line 3: 'text' is missing or empty"
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_load_articles_never_changes_the_text_of_an_annotated_article(project, tmp_path):
    # Security case T36: a corrected text is a new article, so the span keeps pointing at its characters.
    article = ArticleFactory(project=project, external_id="two", text="Body two")
    SpanFactory(assignment=AssignmentFactory(article=article), start=0, end=4)
    (tmp_path / "two.jsonl").write_text('{"id": "two", "text": "Body two, corrected"}\n', encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("load_articles", str(tmp_path), "--project", project.slug)

    assert "id 'two' is already used by another text" in str(error.value)
    article.refresh_from_db()
    assert article.text == "Body two" and article.assignments.get().spans.get().quote == "Body"


@pytest.mark.django_db
def test_load_articles_into_an_unknown_project_is_refused(article_folder):
    with pytest.raises(CommandError, match="no project with slug 'missing'"):
        call_command("load_articles", str(article_folder), "--project", "missing")


@pytest.mark.django_db
def test_load_articles_needs_a_project():
    with pytest.raises(CommandError, match="--project"):
        call_command("load_articles", "somewhere")


# assign


@pytest.mark.django_db
def test_assign_gives_each_article_the_requested_overlap(project):
    for _ in range(3):
        MembershipFactory(project=project)
    for _ in range(2):
        ArticleFactory(project=project)

    output = _run("assign", "--project", project.slug, "--overlap", "2")

    assert output == "4 assignments created.\n"
    assert Assignment.objects.count() == 4


@pytest.mark.django_db
def test_assign_without_overlap_uses_the_projects_and_a_second_run_adds_nothing(project):
    for _ in range(3):
        MembershipFactory(project=project)
    ArticleFactory(project=project)
    _run("assign", "--project", project.slug)

    output = _run("assign", "--project", project.slug)

    assert output == "0 assignments created.\n"
    assert Assignment.objects.count() == 3


@pytest.mark.django_db
def test_assign_with_an_overlap_above_the_number_of_analysts_is_refused(project, analyst, other_analyst):
    ArticleFactory(project=project)

    with pytest.raises(CommandError) as error:
        call_command("assign", "--project", project.slug, "--overlap", "3")

    assert str(error.value) == "overlap 3 needs at least 3 analysts; the project has 2."
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_assign_to_an_unknown_project_is_refused():
    with pytest.raises(CommandError, match="no project with slug 'missing'"):
        call_command("assign", "--project", "missing", "--overlap", "1")


@pytest.mark.django_db
def test_assign_refuses_an_overlap_that_is_not_a_number(project):
    with pytest.raises(CommandError, match="invalid int value"):
        call_command("assign", "--project", project.slug, "--overlap", "three")


# seed_demo


@pytest.mark.django_db
def test_seed_demo_reports_what_it_added_and_the_demo_logins():
    output = _run("seed_demo")

    assert output.splitlines()[0] == (
        "Demo project 'nk-troops-2024': 5 articles and 15 assignments added; 15 demo assignments annotated "
        "and submitted (example data)."
    )
    assert "  analyst1   password: credence-demo   role: analyst" in output
    assert "  admin      password: credence-demo   role: manager" in output


@pytest.mark.django_db
def test_seed_demo_twice_adds_nothing_the_second_time():
    _run("seed_demo")
    counts = (Project.objects.count(), Article.objects.count(), Assignment.objects.count(),
              Membership.objects.count())

    output = _run("seed_demo")

    assert "0 articles and 0 assignments added; 0 demo assignments" in output
    assert (Project.objects.count(), Article.objects.count(), Assignment.objects.count(),
            Membership.objects.count()) == counts


@pytest.mark.django_db
def test_export_progress_bar_counts_the_articles_the_export_writes(project, tmp_path, monkeypatch):
    from annotator.management.commands import export
    from annotator.models import AssignmentStatus

    for index in range(3):  # three articles, two of them with submitted work: the analyst layer holds two
        assignment = AssignmentFactory(article=ArticleFactory(project=project, text=f"Text number {index}."))
        if index:
            Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.SUBMITTED,
                                                               submitted_at="2024-11-01T10:00:00Z")
    totals = tmp_path / "totals.txt"  # the bar runs in the writer process: it leaves its total in a file
    real = export.tqdm

    def bar(iterable, *, total, **options):
        with open(totals, "a", encoding="utf-8") as stream:
            stream.write(f"{total}\n")
        return real(iterable, total=total, disable=True)

    monkeypatch.setattr(export, "tqdm", bar)
    out = _run("export", project=project.slug, format="jsonl", layer="analyst", output=tmp_path / "a.jsonl")

    assert totals.read_text(encoding="utf-8").split() == ["2"]
    assert out.startswith("2 articles")
