import uuid

import pytest
from django.contrib.auth import get_user_model

from governance.demo import load_demo


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create users often; a slow hasher only slows them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Pages rendered afresh, so tests see each page's own queries; tests/test_page_cache.py
    turns the cache on. Ids, and so record versions, repeat across tests: start it empty."""
    from django.core.cache import cache

    settings.PAGE_CACHE = False
    cache.clear()


@pytest.fixture(autouse=True)
def background_tasks_run_at_once(settings, tmp_path_factory):
    """Tasks run in the request that queues them (no worker); uploads go to a folder of the
    test's own, made when first used, outside the project's var/."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.IMPORT_UPLOAD_DIR = tmp_path_factory.getbasetemp() / f"imports-{uuid.uuid4().hex}"


@pytest.fixture
def demo(db):
    """The demo record from the two seed filings."""
    load_demo()


@pytest.fixture
def editor(db):
    """A staff user who may edit the record in the admin."""
    return get_user_model().objects.create_superuser(
        "editor", "editor@example.com", "editor-pass", first_name="Erin", last_name="Editor"
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
