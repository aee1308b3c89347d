"""Our week, in the browser: the invitation reaches both, one phone held by two goes
through the five steps, then two phones, where each sees the other's lines appear; the
wish lands on Bob's home page, he ticks it done, and the history shows the week."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from ourweek import services
from ourweek.models import Line, Week, WeeklyTime, Wish
from reminders.services import ensure_preference
from reminders.weekly import queue_invitations

from .browser import email_link, emails_to, needs_chromium

pytestmark = needs_chromium


def shows(tab, text, **kwargs):
    expect(tab.page.get_by_text(text).first).to_be_visible(**kwargs)


def test_one_phone_held_by_two_goes_through_all_five_steps(linked, couple, alice, bob):
    tab, _ = linked
    # The weekly time has come: both are invited, by email, once.
    for user in (alice, bob):
        ensure_preference(user)
    services.weekly_time(couple)
    WeeklyTime.objects.filter(couple=couple).update(
        invite_at=timezone.now() - dt.timedelta(minutes=1)
    )
    queue_invitations()
    queue_invitations()
    for user in (alice, bob):
        (invitation,) = [m for m in emails_to(user.email) if m.subject == "Time for our week"]
        assert "List-Unsubscribe" in invitation.extra_headers
    tab.open(email_link(alice.email, r"/ourweek/"), "our-week")

    tab.follow(tab.button("Start our week"), "step-1")
    tab.field("Alice: one thing I appreciated this week").fill("You made the evenings calm.")
    tab.field("Bob: one thing I appreciated this week").fill("You kept the plants alive.")
    tab.follow(tab.button("Save and go on"), "step-2")
    shows(tab, "You kept the plants alive.")
    tab.follow(tab.button("Skip this step"), "step-3")

    # The speaker's timer: visible, and it pauses.
    expect(tab.page.get_by_role("timer")).to_have_text("5:00")
    tab.button("Start").click()
    expect(tab.page.get_by_role("timer")).not_to_have_text("5:00", timeout=3000)
    tab.button("Pause").click()
    shows(tab, "Paused. Take your time.")
    tab.field("Minutes each").fill("3")
    tab.follow(tab.button("Set the minutes"), "step-3-minutes")
    expect(tab.page.get_by_role("timer")).to_have_text("3:00")
    tab.field("Bob: my takeaway, if I want to keep one").fill("Ask for help sooner.")
    tab.follow(tab.button("Save and go on"), "step-4")

    tab.field("Alice: what would make you feel loved this week?").fill("A walk by the river.")
    tab.page.get_by_label("The tip Alice's wish fits").select_option("quality_time")
    tab.follow(tab.button("Save and go on"), "step-5")
    expect(tab.link("Plan next week's date")).to_be_visible()
    tab.follow(tab.button("Finish our week"), "finished")
    shows(tab, "This week is done")

    week = Week.objects.get(couple=couple)
    assert week.is_finished and sorted(week.took_part) == sorted([alice.pk, bob.pk])
    assert Line.objects.filter(week=week).count() == 3


def test_two_phones_see_each_other_and_the_wish_reaches_home(linked, couple, alice, bob):
    alice_tab, bob_tab = linked
    week = services.start_week(couple)
    alice_tab.open(f"/ourweek/{week.pk}/", "step-1")
    bob_tab.open(f"/ourweek/{week.pk}/", "step-1")

    alice_tab.field("Alice: one thing I appreciated this week").fill("You listened on Tuesday.")
    alice_tab.follow(alice_tab.button("Save"), "saved")
    # Bob's screen shows it within a few seconds, without a reload.
    shows(bob_tab, "You listened on Tuesday.", timeout=8000)
    bob_tab.field("Bob: one thing I appreciated this week").fill("You brought me soup.")
    bob_tab.follow(bob_tab.button("Save"), "saved")
    shows(alice_tab, "You brought me soup.", timeout=8000)
    bob_tab.nav("Home", "home")

    alice_tab.follow(alice_tab.button("Save and go on"), "step-2")
    alice_tab.follow(alice_tab.button("Skip this step"), "step-3")
    alice_tab.follow(alice_tab.button("Skip this step"), "step-4")
    alice_tab.field("Alice: what would make you feel loved this week?").fill("Leave me a note.")
    alice_tab.page.get_by_label("The tip Alice's wish fits").select_option("gratitude")
    alice_tab.follow(alice_tab.button("Save and go on"), "step-5")
    alice_tab.follow(alice_tab.button("Finish our week"), "finished")

    bob_tab.reload("home-with-wish")
    shows(bob_tab, "Leave me a note.")
    bob_tab.follow(bob_tab.button("Tick it done"), "wish-done")
    shows(bob_tab, "Done. Alice will see it ticked.")
    assert Wish.objects.get(week=week).done_at is not None

    bob_tab.follow(bob_tab.link("Open our week"), "our-week")
    bob_tab.follow(bob_tab.link("Earlier weeks"), "history")
    shows(bob_tab, f"Week of {week.starts_on.day} {week.starts_on:%B %Y}")
    expect(bob_tab.page.get_by_text("You listened on Tuesday.")).to_be_visible()
