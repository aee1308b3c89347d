"""The cast: alice and bob are a couple; charlie is a stranger who must get 404 everywhere."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from config.celery import app as celery_app

from .factories import UserFactory, link

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL (row locks, concurrent connections): set DATABASE_URL=postgres://...",
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped prompts and date ideas, loaded as on a real install (`manage.py
    load_content` after migrating). Transactional tests empty every table when they end;
    pytest-django runs them last, and those that need the library load it again."""
    from practices.library import load_content

    with django_db_blocker.unblock():
        load_content()


@pytest.fixture
def shipped_library(transactional_db) -> None:
    """For transactional tests: the tests before them emptied every table, the library
    included. (Not serialized_rollback: its snapshot is taken before the library loads,
    and it clashes with the content types a flush recreates.)"""
    from practices.library import load_content

    load_content()


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    # The embedded default is the database cache, so that an install's processes share
    # it (tests/test_real_limits.py). One test process needs no sharing, and local memory
    # keeps tests that never touch the database away from it.
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", display_name="Alice", timezone="Europe/London")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", display_name="Bob", timezone="Pacific/Auckland")


@pytest.fixture
def charlie(db):
    return UserFactory(email="charlie@example.com", display_name="Charlie")


@pytest.fixture
def couple(alice, bob):
    return link(alice, bob, name="", timezone="Europe/London")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return client_for(alice)


@pytest.fixture
def bob_client(bob):
    return client_for(bob)


@pytest.fixture
def charlie_client(charlie):
    return client_for(charlie)
