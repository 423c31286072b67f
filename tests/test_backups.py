"""Backups as README.md describes them: a pg_dump restored into a new database, and the export-based backup
(JSONL of every analyst and of the gold layer, imported again), each give back every span."""

import glob
import shutil
import subprocess

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from annotator.models import GoldSpan, Span
from tests.factories import ProjectFactory

SPAN_ROWS = """
    SELECT a.external_id, u.username, s.start, s."end", s.quote, l.key, src.name, s.credibility, s.note
    FROM annotator_span s
    JOIN annotator_assignment asg ON asg.id = s.assignment_id
    JOIN annotator_article a ON a.id = asg.article_id
    JOIN auth_user u ON u.id = asg.analyst_id
    JOIN annotator_label l ON l.id = s.label_id
    LEFT JOIN annotator_source src ON src.id = s.source_id
    ORDER BY 1, 2, 3, 4, 6
"""


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)
    if found is None:
        pytest.fail(f"{name} not found: apt-get install postgresql-client")
    return found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore back up PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_restored_into_a_new_database_holds_every_span(seeded, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute(SPAN_ROWS)
        spans = cursor.fetchall()
    database = connection.settings_dict
    restored = f"{database['NAME']}_restored"
    options = ["-h", database["HOST"], "-p", str(database["PORT"]), "-U", database["USER"]]
    env = {"PGPASSWORD": database["PASSWORD"] or "", "PATH": "/usr/bin:/bin"}
    dump = tmp_path / "credence.dump"

    subprocess.run([_pg_tool("pg_dump"), *options, "--format=custom", "--no-owner", "-f", str(dump),
                    database["NAME"]], env=env, check=True, capture_output=True)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run([_pg_tool("pg_restore"), *options, "--no-owner", "--exit-on-error", "-d", restored,
                        str(dump)], env=env, check=True, capture_output=True)
        with psycopg.connect(host=database["HOST"], port=database["PORT"], user=database["USER"],
                             password=database["PASSWORD"] or None, dbname=restored) as copy:
            restored_spans = copy.execute(SPAN_ROWS).fetchall()
            restored_gold = copy.execute("SELECT count(*) FROM annotator_goldspan").fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')

    assert len(spans) == Span.objects.count() > 100
    assert restored_spans == spans
    assert restored_gold == GoldSpan.objects.count() > 0


@pytest.mark.django_db
def test_an_export_based_backup_imported_into_a_new_project_holds_every_span(seeded, tmp_path):
    project = seeded
    analyst_file, gold_file = tmp_path / "analyst.jsonl", tmp_path / "gold.jsonl"
    call_command("export", project=project.slug, format="jsonl", layer="analyst", output=analyst_file)
    call_command("export", project=project.slug, format="jsonl", layer="gold", output=gold_file)
    copy = ProjectFactory(slug="restored")

    for path in (analyst_file, gold_file):
        call_command("import_annotations", path, project=copy.slug, format="jsonl", user="reviewer")

    def spans(of):
        return sorted(Span.objects.filter(assignment__article__project=of).values_list(
            "assignment__article__external_id", "assignment__analyst__username", "start", "end", "quote", "label__key",
            "source__name", "credibility", "note"))

    def gold_spans(of):
        return sorted(GoldSpan.objects.filter(article__project=of).values_list(
            "article__external_id", "start", "end", "quote", "label__key", "source__name", "credibility"))

    assert len(spans(project)) == Span.objects.filter(assignment__article__project=project).count() > 100
    assert spans(copy) == spans(project)
    assert gold_spans(copy) == gold_spans(project) != []
