import pytest
from django.test import Client

from practices import services
from practices.models import Prompt
from tests.factories import UserFactory, date_night, note

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    return client


def test_staff_see_metadata_never_what_couples_wrote(couple, alice, bob, staff_client):
    written = note(couple, alice, "INTIMATE-NOTE-TEXT")
    question = services.todays_question(couple)
    services.answer_question(question, bob, "INTIMATE-ANSWER")
    planned = date_night(couple, alice, title="INTIMATE-PLAN", notes="INTIMATE-PLAN-NOTES")
    own = Prompt.objects.create(text="INTIMATE-OWN-PROMPT", tip="talk", couple=couple)
    pages = [
        "/admin/practices/gratitudenote/",
        f"/admin/practices/gratitudenote/{written.pk}/change/",
        "/admin/practices/dailyquestion/",
        f"/admin/practices/dailyquestion/{question.pk}/change/",
        "/admin/practices/datenight/",
        f"/admin/practices/datenight/{planned.pk}/change/",
        "/admin/practices/prompt/",
    ]
    for page in pages:
        response = staff_client.get(page)
        assert response.status_code == 200, page
        assert "INTIMATE" not in response.text, page
    assert staff_client.get(f"/admin/practices/prompt/{own.pk}/change/").status_code == 302


def test_staff_can_edit_the_shipped_library(staff_client):
    prompt = Prompt.objects.filter(couple__isnull=True).first()
    response = staff_client.post(
        f"/admin/practices/prompt/{prompt.pk}/change/",
        {"text": "A kinder wording?", "tip": prompt.tip, "depth": prompt.depth, "active": "on"},
    )
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.text == "A kinder wording?"


def test_non_staff_cannot_open_the_admin(alice_client):
    assert alice_client.get("/admin/").status_code in (302, 403)
    response = alice_client.get("/admin/login/")
    assert response.status_code == 403
