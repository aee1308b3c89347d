"""Backup and restore, tried for real: `make backup`'s pg_dump of a database holding a
couple's content, restored with `make restore`'s flags into a new database, where the
content is found again."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
from pathlib import Path

import dj_database_url
import pytest
from django.db import connection

from practices import services
from tests.conftest import ON_POSTGRES
from tests.factories import date_night, note

ROOT = Path(__file__).resolve().parent.parent

needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL to dump and restore: set DATABASE_URL=postgres://..."
)


def makefile_flags(name: str) -> list[str]:
    match = re.search(rf"^{name} := (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, name
    return match.group(1).split()


def test_make_backup_and_restore_use_those_flags():
    dry_run = subprocess.run(
        ["make", "-n", "backup", "restore", "BACKUP=Makefile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    dump = " ".join(["pg_dump -U kindling -d kindling", *makefile_flags("PG_DUMP_FLAGS")])
    restore = " ".join(["pg_restore -U kindling -d kindling", *makefile_flags("PG_RESTORE_FLAGS")])
    assert f"docker compose exec -T postgres {dump} >" in dry_run
    assert f"docker compose exec -T postgres {restore} <" in dry_run


@pytest.fixture
def pg_env(db):
    """libpq's variables for the server the tests run on."""
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGUSER": db["USER"]}
    if db["PORT"]:
        env["PGPORT"] = str(db["PORT"])
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


@pytest.fixture
def new_database(pg_env):
    base = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    name = f"{base}_restore_{secrets.token_hex(4)}"
    subprocess.run(["createdb", name], env=pg_env, check=True)
    yield name
    subprocess.run(["dropdb", "--if-exists", name], env=pg_env, check=True)


@needs_postgres
# Committed, so that pg_dump sees it.
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_with_the_couples_content(
    shipped_library, couple, alice, bob, pg_env, new_database, tmp_path
):
    note(couple, alice, "A note worth keeping")
    services.answer_question(services.todays_question(couple), bob, "An answer worth keeping")
    date_night(couple, bob, title="A date worth keeping")

    dump = tmp_path / "kindling.dump"
    with dump.open("wb") as out:
        subprocess.run(
            ["pg_dump", "-d", connection.settings_dict["NAME"], *makefile_flags("PG_DUMP_FLAGS")],
            env=pg_env,
            stdout=out,
            check=True,
        )
    with dump.open("rb") as backup:
        subprocess.run(
            ["pg_restore", "-d", new_database, *makefile_flags("PG_RESTORE_FLAGS")],
            env=pg_env,
            stdin=backup,
            check=True,
        )

    def restored(sql: str) -> list[str]:
        result = subprocess.run(
            ["psql", "-d", new_database, "-tA", "-c", sql],
            env=pg_env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.splitlines()

    assert restored(
        "SELECT u.email, n.body FROM practices_gratitudenote n"
        " JOIN couples_user u ON u.id = n.author_id"
    ) == ["alice@example.com|A note worth keeping"]
    assert restored("SELECT body FROM practices_answer") == ["An answer worth keeping"]
    assert restored("SELECT title FROM practices_datenight") == ["A date worth keeping"]
    assert restored("SELECT couple_id FROM couples_membership") == [str(couple.pk)] * 2
    # The migrations table came along, so `migrate` on the restored stack has nothing to redo.
    assert int(restored("SELECT count(*) FROM django_migrations")[0]) > 10
