"""Production settings from the environment: secure by default, no start without a strong SECRET_KEY."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "Q7x!pZ2#vL9@mR4$tY6^wB8&nC1*dF3(" + "s" * 10


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items()
             if key not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_COOKIES",
                            "STATIC_MANIFEST", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


def test_deploy_check_passes_with_production_settings():
    # Security case T29.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=STRONG_KEY,
                     ALLOWED_HOSTS="credence.example.org")

    assert result.returncode == 0, result.stderr


def test_start_up_fails_without_a_secret_key():
    result = _manage("check")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_start_up_fails_with_a_short_secret_key_in_production():
    result = _manage("check", SECRET_KEY="changeme", ALLOWED_HOSTS="credence.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_a_fresh_database_has_no_user_at_all(db):
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.count() == 0  # no default admin: `createsuperuser` or seed_demo only


def _database_options(**env: str) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    result = _manage("shell", "-c", code, SECRET_KEY=STRONG_KEY, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_prepared_statements_on_postgresql_unless_turned_off():
    postgresql = "postgres://credence@db.example.org/credence"

    assert "'prepare_threshold': 5" in _database_options(DATABASE_URL=postgresql)
    assert "prepare_threshold" not in _database_options(DATABASE_URL=postgresql, DB_PREPARED_STATEMENTS="0")
    assert "prepare_threshold" not in _database_options(DATABASE_URL="sqlite:////tmp/credence-settings.sqlite3")
