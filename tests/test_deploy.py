"""The sample team deployment in deploy/ agrees with the settings: variables, proxy headers, commands."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _example_env() -> dict[str, str]:
    lines = (DEPLOY / "credence.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_every_variable_of_the_example_environment_is_read_by_the_settings_or_the_scripts():
    readers = "".join((ROOT / path).read_text() for path in ["core/settings.py", "deploy/run-team.sh",
                                                             "deploy/gunicorn.conf.py"])

    unread = [name for name in _example_env() if not re.search(rf'["{{$]{name}\b', readers)]

    assert unread == []


def test_the_proxy_overwrites_the_headers_the_settings_trust_behind_it():
    nginx = (DEPLOY / "nginx.conf").read_text()
    settings_text = (ROOT / "core/settings.py").read_text()

    assert _example_env()["BEHIND_PROXY"] == "1"
    assert '("HTTP_X_FORWARDED_PROTO", "https")' in settings_text and '"HTTP_X_REAL_IP"' in settings_text
    assert nginx.count("proxy_set_header X-Forwarded-Proto $scheme;") == 2
    assert nginx.count("proxy_set_header X-Real-IP $remote_addr;") == 2
    assert "location ~ ^/(healthz|readyz)$" in nginx  # the probes SECURE_REDIRECT_EXEMPT lets through on HTTP


def test_the_processes_started_are_ones_this_project_has():
    procfile = dict(line.split(": ", 1) for line in (DEPLOY / "Procfile").read_text().splitlines())
    script = (DEPLOY / "run-team.sh").read_text()

    assert set(procfile) == {"release", "web", "worker"}
    assert "db_worker" in get_commands() and "db_worker" in procfile["worker"] and "manage.py db_worker" in script
    assert "--config deploy/gunicorn.conf.py" in procfile["web"] and "--config deploy/gunicorn.conf.py" in script
    assert 'wsgi_app = "core.wsgi:application"' in (DEPLOY / "gunicorn.conf.py").read_text()


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                    reason="nginx is not installed (apt-get install nginx)")
def test_the_nginx_configuration_is_valid(tmp_path):
    env_file = tmp_path / "credence.env"
    env_file.write_text(f"ALLOWED_HOSTS=localhost\nRUN_DIR={tmp_path}/run\nSTATIC_ROOT={tmp_path}/static\n"
                        f"EXPORTS_DIR={tmp_path}/exports\nIMPORTS_DIR={tmp_path}/imports\nHTTP_PORT=8080\nHTTPS_PORT=8443\n")

    result = subprocess.run([str(DEPLOY / "run-team.sh"), "--check", str(env_file)], capture_output=True, text=True,
                            timeout=60)

    assert result.returncode == 0, result.stderr


def test_a_web_worker_loads_its_url_modules_then_keeps_its_objects_out_of_the_collectors_passes():
    import gc
    import runpy

    from django.urls import clear_url_caches, get_resolver

    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    clear_url_caches()  # as in a worker before its first request
    gc.unfreeze()
    try:
        config["post_worker_init"](worker=None)

        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()

    assert "url_patterns" in vars(get_resolver())  # read once, and kept
    assert frozen > 10_000
