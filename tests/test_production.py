"""Production defaults: a real secret key or no start, no files written at import, the
compose deployment (loopback port, mailpit only for trials, a health check that passes,
access logs without secret links)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from config import logs

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(50)


def env_example() -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    return {name: value for name, value in pairs}


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "KINDLING_"))
        and key not in {"SITE_URL", "EMAIL_URL"}
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="kindling.example.org",
        SITE_URL="https://kindling.example.org",
        KINDLING_VAR_DIR=str(tmp_path / "var"),
    )
    env.update(extra)
    return env


def run_settings(env: dict[str, str], cwd: Path, code: str = "") -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter, as a starting server does."""
    script = f"import sys; sys.path.insert(0, {str(ROOT)!r})\nfrom config import settings\n{code}"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- The secret key ------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [None, "", "k" * 49, env_example()["DJANGO_SECRET_KEY"]],
    ids=["missing", "empty", "49-characters", "env-example-placeholder"],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    env = production_env(tmp_path)
    env.pop("DJANGO_SECRET_KEY")
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY must be set to a "
        "random value of at least 50 characters when DJANGO_DEBUG=0 (see .env.example)."
    )


def test_production_starts_with_a_real_secret_key(tmp_path):
    result = run_settings(production_env(tmp_path), tmp_path, "print(settings.SECRET_KEY)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == GOOD_KEY


# --- No side effects at import -------------------------------------------------------


def test_importing_production_settings_writes_nothing(tmp_path):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    result = run_settings(production_env(tmp_path), cwd)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "var").exists()
    assert list(cwd.iterdir()) == []


def test_the_embedded_defaults_keep_their_files_in_var(tmp_path):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = production_env(tmp_path)
    for name in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY"):
        env.pop(name)
    result = run_settings(env, cwd)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "secret_key").exists()
    assert (tmp_path / "var" / "broker" / "queue").is_dir()
    assert list(cwd.iterdir()) == []


# --- HTTPS settings ------------------------------------------------------------------


def https_settings(tmp_path, **extra) -> dict:
    code = (
        "import json; print(json.dumps({'preload': settings.SECURE_HSTS_PRELOAD,"
        " 'proxy': settings.__dict__.get('SECURE_PROXY_SSL_HEADER'),"
        " 'silenced': settings.SILENCED_SYSTEM_CHECKS}))"
    )
    result = run_settings(production_env(tmp_path, **extra), tmp_path, code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_hsts_preload_is_off_unless_asked_for(tmp_path):
    assert https_settings(tmp_path)["preload"] is False
    asked = https_settings(tmp_path, DJANGO_HSTS_PRELOAD="1")
    assert asked["preload"] is True
    assert asked["silenced"] == []  # check --deploy judges preload again once it is on


def test_x_forwarded_proto_is_trusted_only_when_said(tmp_path):
    assert https_settings(tmp_path)["proxy"] is None
    trusted = https_settings(tmp_path, DJANGO_TRUST_X_FORWARDED_PROTO="1")
    assert trusted["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]


# --- docker compose ------------------------------------------------------------------


def compose_config(tmp_path: Path) -> str:
    """`docker-compose config` run the way .ci/run does it: .env copied from .env.example."""
    if shutil.which("docker-compose") is None:
        pytest.skip("needs docker-compose (apt-get install docker-compose)")
    folder = tmp_path / "compose"
    folder.mkdir()
    shutil.copy(ROOT / "docker-compose.yml", folder)
    shutil.copy(ROOT / "Dockerfile", folder)
    shutil.copy(ROOT / ".env.example", folder / ".env")
    return subprocess.run(
        ["docker-compose", "config"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout


def service(config: str, name: str) -> str:
    """One service's block of the normalised `docker-compose config` output."""
    match = re.search(rf"^  {name}:\n((?:    .*\n|\n)*)", config, re.MULTILINE)
    assert match, name
    return match.group(1)


def listed(block: str, key: str, indent: int = 4) -> list[str]:
    """The items of a block-style list `key:` at `indent` spaces."""
    pad = " " * indent
    match = re.search(rf"^{pad}{key}:\n((?:{pad}- .*\n)+)", block, re.MULTILINE)
    assert match, key
    return [line.strip()[2:] for line in match.group(1).splitlines()]


def mapping(block: str, key: str, indent: int = 4) -> dict[str, str]:
    pad, inner = " " * indent, " " * (indent + 2)
    match = re.search(rf"^{pad}{key}:\n((?:{inner}\S.*\n)+)", block, re.MULTILINE)
    assert match, key
    pairs = (line.strip().split(": ", 1) for line in match.group(1).splitlines())
    return {name: value.strip("'") for name, value in pairs}


def test_compose_publishes_web_on_the_loopback_behind_a_trusted_proxy(tmp_path):
    web = service(compose_config(tmp_path), "web")
    assert listed(web, "ports") == ["127.0.0.1:8000:8000/tcp"]
    environment = mapping(web, "environment")
    assert environment["DJANGO_TRUST_X_FORWARDED_PROTO"] == "1"
    assert environment["DJANGO_DEBUG"] == "0"
    assert "DJANGO_HSTS_PRELOAD" not in environment


def test_compose_keeps_mailpit_for_trials_and_production_mail_away_from_it(tmp_path):
    config = compose_config(tmp_path)
    mailpit = service(config, "mailpit")
    assert listed(mailpit, "profiles") == ["dev"]
    assert listed(mailpit, "ports")[0].startswith("127.0.0.1:")
    for name in ("web", "worker", "beat", "migrate"):
        assert "mailpit" not in mapping(service(config, name), "environment")["EMAIL_URL"]


def test_the_image_and_compose_serve_with_the_redacting_gunicorn_config(tmp_path):
    web = service(compose_config(tmp_path), "web")
    command = listed(web, "command")
    assert command[:3] == ["gunicorn", "-c", "config/gunicorn.py"]
    assert '"gunicorn", "-c", "config/gunicorn.py"' in (ROOT / "Dockerfile").read_text()
    namespace: dict = {}
    exec((ROOT / "config" / "gunicorn.py").read_text(), namespace)  # noqa: S102 (our file)
    assert namespace["logger_class"] == "config.logs.RedactingLogger"
    assert namespace["accesslog"] == "-"


def wait_until_serving(port: str) -> None:
    """The worker loads Django after the port opens; on a busy machine that takes a while."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": "kindling.example.org"}
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(request, timeout=30)  # noqa: S310 (our own server)
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail("gunicorn never answered")


@pytest.fixture(scope="module")
def production_gunicorn(tmp_path_factory):
    """gunicorn started with the compose web command and environment (a real key, and
    SQLite and the file-system broker standing in for PostgreSQL and Redis), after
    migrate and collectstatic as in the image."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    web = service(compose_config(tmp_path), "web")
    env = {**production_env(tmp_path), **mapping(web, "environment")}
    broker = tmp_path / "broker"
    for sub in ("queue", "processed", "control"):
        (broker / sub).mkdir(parents=True)
    (tmp_path / "var").mkdir()
    env.update(
        DJANGO_SECRET_KEY=GOOD_KEY,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DATABASE_POOL="0",
        CELERY_FILESYSTEM_DIR=str(broker),
        KINDLING_VAR_DIR=str(tmp_path / "var"),
    )
    env.pop("REDIS_URL")
    for step in (["migrate"], ["collectstatic"]):
        subprocess.run(
            [sys.executable, "manage.py", *step, "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=180,
        )
    command = [*listed(web, "command"), "--bind", "127.0.0.1:0", "--workers", "1"]
    command[0] = str(Path(sys.executable).parent / command[0])
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        port = None
        for _ in range(300):
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
            if found:
                port = found.group(1)
                break
            assert server.poll() is None, log.read_text()
            time.sleep(0.1)
        assert port, log.read_text()
        wait_until_serving(port)
        yield {"port": port, "env": env, "web": web, "log": log}
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_compose_healthcheck_gets_200_from_production_settings(production_gunicorn):
    test = listed(production_gunicorn["web"], "test", indent=6)
    assert test[0] == "CMD"
    # The fixture itself asked for /healthz while waiting: only lines after this count.
    logged_before = production_gunicorn["log"].stat().st_size
    result = subprocess.run(
        [sys.executable if arg == "python" else arg for arg in test[1:]],
        cwd=ROOT,
        env={**production_gunicorn["env"], "PORT": production_gunicorn["port"]},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    time.sleep(0.5)  # the access log line is written after the response
    logged = production_gunicorn["log"].read_text()[logged_before:]
    assert '"GET /healthz HTTP/1.1" 200' in logged


def test_the_healthcheck_fails_when_the_host_is_not_allowed(production_gunicorn):
    result = subprocess.run(
        [sys.executable, "config/healthcheck.py"],
        cwd=ROOT,
        env={
            **production_gunicorn["env"],
            "PORT": production_gunicorn["port"],
            "DJANGO_ALLOWED_HOSTS": "not-this-site.example.org",
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert '"GET /healthz HTTP/1.1" 400' in production_gunicorn["log"].read_text()


def test_gunicorn_logs_secret_links_redacted(production_gunicorn):
    base = f"http://127.0.0.1:{production_gunicorn['port']}"
    secret = secrets.token_urlsafe(32)
    paths = [
        f"/calendar/{secret}.ics",
        f"/invite/{secret}/",
        f"/reminders/unsubscribe/{secret}/",
        f"/reminders/pause/{secret}/",
    ]
    for path in paths:
        request = urllib.request.Request(  # noqa: S310 (our own server)
            base + path,
            headers={
                "Host": "kindling.example.org",
                "X-Forwarded-Proto": "https",
                "Referer": f"https://kindling.example.org/invite/{secret}/",
            },
        )
        try:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310 (our own server)
        except urllib.error.HTTPError as exc:
            assert exc.code in (404, 410), path
    time.sleep(0.5)  # the access log line is written after the response
    text = production_gunicorn["log"].read_text()
    assert secret not in text
    assert '"GET /calendar/[redacted].ics HTTP/1.1" 404' in text
    assert "GET /invite/[redacted]/ HTTP/1.1" in text
    assert "GET /reminders/unsubscribe/[redacted]/ HTTP/1.1" in text
    assert "GET /reminders/pause/[redacted]/ HTTP/1.1" in text
    assert "Not Found: /calendar/[redacted].ics" in text  # Django's own warning


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /calendar/abc-DEF_123.ics HTTP/1.1", "GET /calendar/[redacted].ics HTTP/1.1"),
        ("GET /invite/xYz_-9a/ HTTP/1.1", "GET /invite/[redacted]/ HTTP/1.1"),
        ("/reminders/unsubscribe/eyJ1:1tN:sig/?x=1", "/reminders/unsubscribe/[redacted]/?x=1"),
        (
            "https://h.example/reminders/pause/a.b:c/",
            "https://h.example/reminders/pause/[redacted]/",
        ),
        ("POST /invite/12/withdraw/ HTTP/1.1", "POST /invite/12/withdraw/ HTTP/1.1"),
        ("GET /invite/ HTTP/1.1", "GET /invite/ HTTP/1.1"),
        ("GET /dates/calendar/ HTTP/1.1", "GET /dates/calendar/ HTTP/1.1"),
        ("GET /reminders/pause/ HTTP/1.1", "GET /reminders/pause/ HTTP/1.1"),
        # A link cut short of its slash (Django redirects it) keeps its secret out too.
        ("GET /invite/xYz_-9a HTTP/1.1", "GET /invite/[redacted] HTTP/1.1"),
        ('"https://h.example/invite/xYz_-9a"', '"https://h.example/invite/[redacted]"'),
    ],
)
def test_redact_hides_only_the_secret_segment(line, expected):
    assert logs.redact(line) == expected


# --- Static files ----------------------------------------------------------------------

STATIC_PROBE = """
import json, re
import django
django.setup()
from django.test import Client
client = Client(SERVER_NAME="kindling.example.org")
page = client.get("/", secure=True).content.decode()
css = re.search(r'href="(/static/css/kindling\\.[0-9a-f]{12}\\.css)"', page).group(1)
out = {"css": css}
for encoding in ("br, gzip", "gzip", ""):
    response = client.get(css, secure=True, headers={"accept-encoding": encoding})
    out[encoding or "plain"] = {
        "status": response.status_code,
        "encoding": response.get("Content-Encoding", ""),
        "cache": response.get("Cache-Control", ""),
        "vary": response.get("Vary", ""),
    }
print(json.dumps(out))
"""


def test_production_serves_hashed_compressed_static_files_cached_for_good(tmp_path):
    """collectstatic (as the Dockerfile runs it) writes hashed names with Brotli and gzip
    twins; pages link the hashed names and whitenoise serves them compressed, marked
    immutable for a year or more."""
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings")
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    collected = tmp_path / "var" / "staticfiles" / "css"
    hashed = [p.name for p in collected.glob("kindling.*")]
    assert any(name.endswith(".css.br") for name in hashed), hashed
    assert any(name.endswith(".css.gz") for name in hashed), hashed
    probe = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n{STATIC_PROBE}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    served = json.loads(probe.stdout.strip().splitlines()[-1])
    assert served["br, gzip"]["encoding"] == "br"
    assert served["gzip"]["encoding"] == "gzip"
    assert served["plain"]["encoding"] == ""
    for variant in ("br, gzip", "gzip", "plain"):
        assert served[variant]["status"] == 200
        assert "immutable" in served[variant]["cache"]
        max_age = int(re.search(r"max-age=(\d+)", served[variant]["cache"]).group(1))
        assert max_age >= 365 * 24 * 60 * 60
        assert "Accept-Encoding" in served[variant]["vary"]


def test_the_embedded_defaults_serve_static_files_without_collectstatic(client):
    """`make run` and the tests need no collectstatic: plain names from the source folders."""
    page = client.get("/").text
    assert 'href="/static/css/kindling.css"' in page
    assert client.get("/static/css/kindling.css").status_code == 200
