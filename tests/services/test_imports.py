"""Imports: every bad record named with its line, all or nothing, batches that add up, and an audit trail."""

import io
import json
import pickle

import pytest
from django.db import IntegrityError, connection, transaction

from annotator.formats.errors import FormatError
from annotator.models import Article, ArticleAssessment, Assignment, AssignmentStatus, GoldSpan, Label, Membership, Span
from annotator.selectors import review as review_reads
from annotator.services import imports
from tests.factories import ArticleFactory, LabelFactory, SourceFactory, UserFactory

TEXT = "Peskov said the troops left Kursk."


def _line(**row):
    return json.dumps({"id": "d1", "title": "t", "text": TEXT, **row})


def _import(project, importer, *lines, fmt="jsonl", **options):
    return imports.import_annotations(project=project, stream=io.StringIO("\n".join(lines) + "\n"), fmt=fmt,
                                      importer=importer, **options)


@pytest.fixture
def importer(db):
    return UserFactory(username="importer")


@pytest.mark.django_db
def test_analysts_spans_go_to_submitted_assignments_with_their_scores(project, analyst, importer):
    line = _line(spans=[{"start": 0, "end": 6, "label": "claim", "analyst": "a1", "source": "Peskov", "credibility": 2}],
                 assessments=[{"analyst": "a1", "credibility": 4, "comment": "thin"}])

    result = _import(project, importer, line)

    assignment = Assignment.objects.get(article__project=project, analyst=analyst)
    assert assignment.status == AssignmentStatus.SUBMITTED and assignment.submitted_at is not None
    assert list(assignment.spans.values_list("quote", "label__key", "source__name", "credibility")) == [
        ("Peskov", "claim", "Peskov", 2)]
    assert (assignment.assessment.credibility, assignment.assessment.comment) == (4, "thin")
    assert (result.articles_created, result.spans, result.assessments, result.sources_created) == (1, 1, 1, ["Peskov"])


@pytest.mark.django_db
def test_every_written_row_has_a_history_row_by_the_importer(project, analyst, importer):
    line = _line(spans=[{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}, {"start": 7, "end": 11, "label": "denial"}],
                 assessments=[{"analyst": "a1", "credibility": 4}])

    _import(project, importer, line)

    for model in (Article, Assignment, Span, ArticleAssessment, GoldSpan):
        rows = model.history.all()
        assert rows.count() == 1 and rows.get().history_user == importer, model.__name__
        assert rows.get().history_change_reason == "imported"


@pytest.mark.django_db
def test_span_history_keeps_the_importers_id_after_the_account_is_deleted(project, analyst, importer):
    _import(project, importer, _line(spans=[{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}]))
    importer_id = importer.pk

    importer.delete()

    assert list(Span.history.values_list("history_type", "history_user_id")) == [("+", importer_id)]
    audit = review_reads.list_article_audit(Article.objects.get(project=project))
    assert [(entry["kind"], entry["action"], entry["by"]) for entry in audit if entry["kind"] == "span"] == [
        ("span", "+", None)]  # the account is gone; its id stays in the row


@pytest.mark.django_db
def test_importing_the_same_file_twice_adds_nothing_and_updates_the_scores(project, analyst, importer):
    first = _line(spans=[{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}],
                  assessments=[{"analyst": "a1", "credibility": 4}])
    second = _line(spans=[{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}],
                   assessments=[{"analyst": "a1", "credibility": 2}])

    _import(project, importer, first)
    result = _import(project, importer, second)

    assert (result.articles_created, result.spans, result.assessments) == (0, 0, 1)
    assert Span.objects.count() == 1 and ArticleAssessment.objects.get().credibility == 2


@pytest.mark.django_db
def test_a_file_larger_than_a_batch_is_written_whole(project, analyst, importer, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)
    lines = [json.dumps({"id": f"d{i}", "text": f"{TEXT} {i}", "spans": [{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}]})
             for i in range(5)] + [json.dumps({"id": "again", "text": f"{TEXT} 0"})]  # the first text once more

    result = _import(project, importer, *lines)

    assert (result.articles, result.articles_created, result.spans) == (6, 5, 5)
    assert Assignment.objects.filter(analyst=analyst, status=AssignmentStatus.SUBMITTED).count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans for foreign key checks")
@pytest.mark.django_db
def test_each_spans_label_is_checked_by_the_index_and_the_sessions_settings_are_put_back(project, analyst,
                                                                                        importer):
    LabelFactory.create_batch(120)  # other projects' labels: a table of one page, which the planner would scan
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE annotator_label")
    spans = [{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}]
    lines = [json.dumps({"id": f"d{i}", "text": f"{TEXT} {i}", "spans": spans}) for i in range(40)]

    def label_scans() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'annotator_label'")
            return cursor.fetchone()

    seq_before, index_before = label_scans()
    result = _import(project, importer, *lines)
    seq_after, index_after = label_scans()

    assert result.spans == 40
    assert index_after - index_before >= 40 and seq_after - seq_before < 40  # not a scan of the table per span
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred foreign key checks")
@pytest.mark.django_db
def test_a_foreign_key_that_fails_is_raised_by_the_import_itself_not_left_to_the_commit(project, analyst, importer,
                                                                                     monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)
    made = imports._Writer.__init__

    def with_a_label_gone(writer, *args):
        made(writer, *args)
        writer.labels["claim"] = Label(pk=10**9, key="claim")  # deleted since the writer read the labels

    monkeypatch.setattr(imports._Writer, "__init__", with_a_label_gone)
    lines = [json.dumps({"id": f"d{i}", "text": f"{TEXT} {i}", "spans": [{"start": 0, "end": 6, "label": "claim",
                                                                          "analyst": "a1"}]}) for i in range(3)]

    with pytest.raises(IntegrityError, match="label_id"), transaction.atomic():
        _import(project, importer, *lines)

    assert not Span.objects.exists() and not Article.objects.filter(project=project).exists()


class _OneWayStream(io.StringIO):
    """An upload that can be read once, front to back (a pipe, a socket)."""

    def seekable(self) -> bool:
        return False

    def seek(self, *args):
        raise io.UnsupportedOperation("not seekable")


@pytest.mark.django_db
def test_a_stream_that_cannot_seek_back_is_checked_and_written_whole(project, analyst, importer, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)
    lines = [json.dumps({"id": f"d{i}", "text": f"{TEXT} {i}", "spans": [{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}]})
             for i in range(5)]

    result = imports.import_annotations(project=project, stream=_OneWayStream("\n".join(lines)), fmt="jsonl",
                                        importer=importer)

    assert (result.articles, result.spans) == (5, 5)
    assert Span.objects.filter(assignment__analyst=analyst).count() == 5


class _ChangingFile(io.StringIO):
    """A file another program rewrites between the check and the write: read back, it holds ``later``."""

    def __init__(self, first: str, later: str) -> None:
        super().__init__(first)
        self.later = later

    def seek(self, *args):
        if self.later is not None:
            self.__init__(self.later, None)
        return super().seek(*args)


@pytest.mark.django_db
def test_a_file_changed_after_its_check_is_refused_and_nothing_is_written(project, analyst, importer, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)
    good = [json.dumps({"id": f"d{i}", "text": f"{TEXT} {i}", "spans": [{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}]})
            for i in range(5)]
    changed = [*good[:3], json.dumps({"id": "d3", "text": TEXT, "spans": [{"start": 0, "end": 6, "label": "claim", "analyst": "ghost"}]})]

    with pytest.raises(FormatError, match="no user called 'ghost'"):
        imports.import_annotations(project=project, stream=_ChangingFile("\n".join(good), "\n".join(changed)),
                                   fmt="jsonl", importer=importer)

    assert not Article.objects.exists() and not Span.objects.exists()


@pytest.mark.django_db
def test_a_bad_record_at_the_end_stops_the_import_before_anything_is_written(project, analyst, importer,
                                                                            monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)
    written = []
    monkeypatch.setattr(imports._Writer, "write", lambda self, batch: written.append(len(batch)))
    good = [json.dumps({"id": f"d{i}", "text": f"{TEXT} {i}", "spans": [{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}]})
            for i in range(5)]

    with pytest.raises(imports.ImportRefused) as refused:
        _import(project, importer, *good, "{not json")

    assert [line for line, _, _ in refused.value.problems] == [6]
    assert written == []  # every record is checked before the first batch is stored


@pytest.mark.django_db
def test_every_bad_line_is_named_and_nothing_is_written(project, analyst, importer):
    lines = [_line(), "{not json", _line(spans=[{"start": 3, "end": 1, "label": "claim"}]), "",
             _line(spans=[{"start": 0, "end": 6, "label": "claim", "analyst": "nobody"}]),
             _line(assessments=[{"analyst": "ghost", "credibility": 3}]),
             _line(spans=[{"start": 0, "end": 6, "label": "claim", "credibility": 9}]),
             _line(meta={"published": "last week"})]

    with pytest.raises(imports.ImportRefused) as refused:
        _import(project, importer, *lines)

    assert [(line, field) for line, field, _ in refused.value.problems] == [
        (2, None), (3, "end"), (5, "analyst"), (6, "analyst"), (7, "credibility"), (8, "published")]
    assert "no user called 'ghost'" in refused.value.problems[3][2]
    assert not Article.objects.exists()


def _import_file(project, importer, path, **options):
    with open(path, encoding="utf-8", newline="") as stream:
        return imports.import_annotations(project=project, stream=stream, fmt="jsonl", importer=importer, **options)


@pytest.fixture
def large(monkeypatch):
    """Every file with a descriptor handled as a large one, two lines at a time to the other process when a
    dry run checks it on two cores, two articles a batch when it is written; the list of two-core checks."""
    monkeypatch.setattr(imports, "LARGE_FILE_BYTES", 0)
    monkeypatch.setattr(imports, "CHECK_CHUNK", 2)
    monkeypatch.setattr(imports, "BATCH", 2)
    checks = []
    real = imports._check_in_two
    monkeypatch.setattr(imports, "_check_in_two", lambda *args, **kwargs: checks.append(1) or real(*args, **kwargs))
    return checks


def _bad_lines() -> list[str]:
    lines = [_line(id=f"d{i}", text=f"{TEXT} {i}", spans=[{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}])
             for i in range(12)]
    # Lines 1-2, 5-6, 9-10 and 13-14 are checked here, lines 3-4, 7-8 and 11-12 by the other process.
    lines[4] = "{not json"
    lines[5] = _line(spans=[{"start": 3, "end": 1, "label": "claim"}])
    lines[6] = _line(spans=[{"start": 0, "end": 6, "label": "claim", "analyst": "nobody"}])
    lines[10] = "\r\n".join(["", ""])  # lines 11 and 12 of the file: \r\n ends one line, not two
    lines.append(_line(assessments=[{"analyst": "ghost", "credibility": 3}]))
    return lines


def _file(tmp_path, lines: list[str]):
    path = tmp_path / "file.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    return path


@pytest.mark.django_db
def test_a_dry_run_of_a_large_file_checked_on_two_cores_names_every_bad_line_as_one_core_does(
        project, analyst, importer, tmp_path, large):
    lines = _bad_lines()

    with pytest.raises(imports.ImportRefused) as in_two:
        _import_file(project, importer, _file(tmp_path, lines), dry_run=True)
    with pytest.raises(imports.ImportRefused) as in_one:
        _import(project, importer, *lines)  # a stream without a descriptor: checked in this process alone

    assert large == [1]
    assert in_two.value.problems == in_one.value.problems
    assert [line for line, _, _ in in_two.value.problems] == [5, 6, 7, 14]
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_large_file_checked_as_it_is_written_is_refused_whole_with_every_bad_line(project, analyst, importer,
                                                                                 tmp_path, large, monkeypatch):
    lines = _bad_lines()
    written = []
    write = imports._Writer.write
    monkeypatch.setattr(imports._Writer, "write", lambda writer, batch: written.append(len(batch)) or write(writer, batch))

    with pytest.raises(imports.ImportRefused) as as_written:
        _import_file(project, importer, _file(tmp_path, lines))
    with pytest.raises(imports.ImportRefused) as in_one:
        _import(project, importer, *lines)

    assert large == []  # not checked first: read once, in the reader's process
    assert written == [2, 2]  # the first four articles were written before line 5 stopped the writing
    assert as_written.value.problems == in_one.value.problems
    assert not Article.objects.exists() and not Span.objects.exists() and not Assignment.objects.exists()
    assert not Span.history.exists() and not Article.history.exists()


@pytest.mark.django_db
def test_a_large_file_that_is_not_utf8_is_refused_whole(project, analyst, importer, tmp_path, large):
    path = tmp_path / "file.jsonl"
    good = b"".join(_line(id=f"d{i}", text=f"{TEXT} {i}").encode() + b"\n" for i in range(6))
    path.write_bytes(good + b'{"id": "latin", "text": "caf\xe9"}\n')

    with pytest.raises(imports.ImportRefused) as dry:
        _import_file(project, importer, path, dry_run=True)
    with pytest.raises(imports.ImportRefused) as written:
        _import_file(project, importer, path)

    assert large == [1]
    assert dry.value.problems[0][2].startswith("not UTF-8 text")
    assert written.value.problems == dry.value.problems
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_large_file_with_too_many_articles_is_refused_whole(project, analyst, importer, tmp_path, large,
                                                              monkeypatch):
    monkeypatch.setattr(imports, "MAX_RECORDS", 5)
    path = _file(tmp_path, [_line(id=f"d{i}", text=f"{TEXT} {i}") for i in range(6)])

    with pytest.raises(imports.ImportRefused, match="more than 5 articles"):
        _import_file(project, importer, path)

    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_good_large_file_is_written_whole(project, analyst, importer, tmp_path, large):
    spans = [{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}]
    path = _file(tmp_path, [_line(id=f"d{i}", text=f"{TEXT} {i}", spans=spans) for i in range(9)])

    dry = _import_file(project, importer, path, dry_run=True)
    result = _import_file(project, importer, path)

    assert large == [1]  # the dry run's
    assert (dry.articles, dry.spans) == (result.articles, result.spans) == (9, 9)
    assert Span.objects.filter(assignment__analyst=analyst).count() == 9


def test_a_refusal_crosses_from_the_readers_process_whole():
    refused = imports.ImportRefused([(3, "spans", "start after end"), (None, None, "not UTF-8 text (byte 9)")])

    again = pickle.loads(pickle.dumps(refused))

    assert (again.problems, again.message, again.field, again.code) == (
        refused.problems, "line 3: start after end", "spans", "import_refused")


@pytest.mark.django_db
def test_the_list_of_problems_stops_at_a_hundred(project, importer):
    lines = [_line(spans=[{"start": 0, "end": 6, "label": "rumour"}])] * 150

    with pytest.raises(imports.ImportRefused) as refused:
        _import(project, importer, *lines)

    assert len(refused.value.problems) == imports.MAX_PROBLEMS == 100
    assert refused.value.problems[-1][0] == 100


@pytest.mark.django_db
def test_a_label_map_renames_the_files_labels_in_jsonl(project, importer):
    line = _line(spans=[{"start": 0, "end": 6, "label": "CLAIM"}])

    result = _import(project, importer, line, label_map={"CLAIM": "claim"})

    assert result.gold_spans == 1 and GoldSpan.objects.get().label.key == "claim"


@pytest.mark.django_db
def test_a_source_named_in_another_case_is_the_registry_source(project, importer):
    source = SourceFactory(project=project, name="Peskov")

    result = _import(project, importer, _line(spans=[{"start": 0, "end": 6, "label": "claim", "source": "PESKOV"}]))

    assert GoldSpan.objects.get().source == source and result.sources_created == []


@pytest.mark.django_db
def test_an_id_taken_by_another_text_is_refused(project, importer):
    ArticleFactory(project=project, external_id="d1", text="Another text.")

    with pytest.raises(imports.ImportRefused) as refused:
        _import(project, importer, _line())

    assert refused.value.field == "id" and Article.objects.filter(project=project).count() == 1


@pytest.mark.django_db
def test_one_id_given_to_two_texts_of_the_file_is_refused_and_nothing_is_written(project, importer):
    lines = [_line(id="d1"), _line(id="d2", text="Another text."), _line(id="d1", text="A third text.")]

    with pytest.raises(imports.ImportRefused) as refused:
        _import(project, importer, *lines)

    assert refused.value.records() == [{"line": None, "field": "id",
                                        "message": "id 'd1' is used by a different text in this project"}]
    assert not Article.objects.filter(project=project).exists()


@pytest.mark.django_db
def test_a_dry_run_counts_and_writes_nothing(project, analyst, importer):
    result = _import(project, importer, _line(spans=[{"start": 0, "end": 6, "label": "claim", "analyst": "a1"}]),
                     dry_run=True)

    assert (result.dry_run, result.articles, result.spans) == (True, 1, 1)
    assert not Article.objects.exists() and not Membership.objects.filter(user__username="importer").exists()


@pytest.mark.django_db
def test_label_studio_predictions_become_analysts_work(project, analyst, importer):
    task = {"data": {"text": TEXT}, "predictions": [{"model_version": "a1", "result": [
        {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 0, "end": 6, "text": "Peskov", "labels": ["claim"]}}]}]}

    result = _import(project, importer, json.dumps([task]), fmt="labelstudio")

    assert result.spans == 1 and Span.objects.get().assignment.analyst == analyst


@pytest.mark.django_db
def test_doccano_spans_become_gold_and_an_unknown_label_is_named_with_its_line(project, importer):
    good = json.dumps({"id": 1, "text": TEXT, "label": [[0, 6, "claim"]]})
    bad = json.dumps({"id": 2, "text": TEXT, "label": [[0, 6, "rumour"]]})

    result = _import(project, importer, good, fmt="doccano")
    with pytest.raises(imports.ImportRefused) as refused:
        _import(project, importer, good, bad, fmt="doccano")

    assert result.gold_spans == 1 and GoldSpan.objects.get().decided_by == importer
    assert [(line, field) for line, field, _ in refused.value.problems] == [(2, "label")]
