"""Emails and notifications go out in their recipient's language (an invitation in its
sender's), and the reminder settings follow the page's locale: the week starts on its
first day, and the day names are Django's translated ones."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from couples import services as couples
from ourweek.models import WeeklyTime
from practices import services as practices
from reminders import emails, outbox, push
from reminders.forms import ReminderPreferenceForm
from reminders.models import ReminderPreference
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.push_service import PushService
from tests.reminders.test_push import add_device

pytestmark = pytest.mark.django_db


def speak(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


@pytest.fixture
def push_service(settings, monkeypatch):
    # As in test_push.py: a local push service the outbox may reach.
    with PushService(expected_key=settings.VAPID_PUBLIC_KEY) as running:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(running.cert_path))
        settings.PUSH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
        push._tokens.clear()
        yield running


@pytest.fixture
def rendered_in(monkeypatch):
    """(template, active language) for every email template the outbox renders."""
    seen: list[tuple[str, str]] = []
    render = emails.render_to_string

    def spy(template, ctx):
        seen.append((template, translation.get_language()))
        return render(template, ctx)

    monkeypatch.setattr(emails, "render_to_string", spy)
    return seen


def test_the_couple_ended_email_reaches_each_partner_in_their_language(
    prefs, couple, alice, bob, send_now, mailoutbox, rendered_in
):
    speak(alice, "de")
    speak(bob, "es")
    with send_now():
        couples.end_couple(couple)
    assert sorted(m.to[0] for m in mailoutbox) == [alice.email, bob.email]
    subjects = [language for template, language in rendered_in if "subject" in template]
    assert sorted(subjects) == ["de", "es"]
    html = {m.to[0]: m.alternatives[0].content for m in mailoutbox}
    assert '<html lang="de">' in html[alice.email]
    assert '<html lang="es">' in html[bob.email]
    assert translation.get_language() == "en"  # the worker's own language, untouched


def test_an_invitation_goes_out_in_the_inviters_language(send_now, mailoutbox, rendered_in):
    inviter = UserFactory()
    speak(inviter, "de")
    with send_now():
        couples.invite_by_email(inviter, "partner@example.com")
    assert [m.to for m in mailoutbox] == [["partner@example.com"]]
    assert {language for _, language in rendered_in} == {"de"}
    assert any(template.startswith("emails/invitation") for template, _ in rendered_in)


def test_a_note_alert_and_its_notification_are_in_the_recipients_language(
    prefs, couple, alice, bob, push_service, send_now, mailoutbox, rendered_in, monkeypatch
):
    speak(alice, "en")
    speak(bob, "de")
    add_device(push_service, bob, "bob-phone")
    pushed = []
    render_push = outbox.render_push

    def spy(nudge, batch):
        pushed.append(translation.get_language())
        return render_push(nudge, batch)

    monkeypatch.setattr(outbox, "render_push", spy)
    with send_now():
        practices.write_note(couple, alice, "Danke für den Tee.")
    assert [m.to for m in mailoutbox] == [[bob.email]]
    assert {language for _, language in rendered_in} == {"de"}
    assert pushed == ["de"]
    assert len(push_service.payloads("bob-phone")) == 1


def test_an_account_email_is_in_the_persons_language_not_the_browsers(
    alice, client, monkeypatch, mailoutbox
):
    speak(alice, "es")
    seen = []
    send = DefaultAccountAdapter.send_mail

    def spy(self, template_prefix, email, context):
        seen.append(translation.get_language())
        return send(self, template_prefix, email, context)

    monkeypatch.setattr(DefaultAccountAdapter, "send_mail", spy)
    client.post(
        "/accounts/password/reset/", {"email": alice.email}, headers={"accept-language": "de"}
    )
    assert len(mailoutbox) == 1
    assert seen == ["es"]


@pytest.mark.parametrize(
    ("language", "first", "names"),
    [
        ("en", (6, "Sunday"), ["Sunday", "Monday", "Tuesday"]),
        ("de", (0, "Montag"), ["Montag", "Dienstag", "Mittwoch"]),
        ("es", (0, "lunes"), ["lunes", "martes", "miércoles"]),
    ],
)
def test_the_reminder_days_start_on_the_locales_first_day(alice, language, first, names):
    with translation.override(language):
        choices = [(day, str(name)) for day, name in ReminderPreferenceForm(user=alice).fields[
            "days"
        ].choices]  # fmt: skip
    assert choices[0] == first
    assert [name for _, name in choices[:3]] == names
    assert sorted(day for day, _ in choices) == list(range(7))


@pytest.mark.parametrize(
    ("language", "first_day", "first_name"), [("en", "6", "Sunday"), ("de", "0", "Montag")]
)
def test_the_reminder_settings_page_shows_the_persons_week(
    prefs, alice, language, first_day, first_name
):
    speak(alice, language)
    page = client_for(alice).get("/reminders/").text
    first = re.search(r'<input type="checkbox"[^>]*name="days" value="(\d)"\s+id="id_days_0"', page)
    assert first.group(1) == first_day
    label = re.search(r'<label[^>]*for="id_days_0"[^>]*>\s*([^<]+?)\s*</label>', page)
    assert label.group(1) == first_name


def test_a_pause_is_told_with_the_locales_day_and_month_names(prefs, alice):
    preference = ReminderPreference.objects.get(user=alice)
    preference.paused_until = dt.date(2026, 12, 8)
    with translation.override("en"):
        assert "Tuesday 8 December" in preference.summary()
    with translation.override("de"):
        german = preference.summary()
    assert "Dienstag" in german and "Dezember" in german


def test_the_weekly_time_names_its_day_in_the_active_language(couple):
    when = WeeklyTime(couple=couple, weekday=6, at=dt.time(19, 0))
    with translation.override("es"):
        assert str(when.get_weekday_display()) == "domingo"
    assert str(when.get_weekday_display()) == "Sunday"


def test_a_pause_message_names_the_day_in_the_persons_language(prefs, alice, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC), tick=False)
    speak(alice, "de")
    page = client_for(alice).post("/reminders/pause/", {"action": "week"}, follow=True).text
    assert "Dienstag" in page and "Dezember" in page
    assert "Tuesday" not in page and "December" not in page
