"""The feelings journey: Alice checks in anxious and asks to be listened to, Bob hears her
from his home page; Alice shares a worry and Bob's "Tell me more" makes it today's
question; both answer the month's closeness check-in and see it side by side."""

from playwright.sync_api import expect

from feelings import closeness
from feelings.models import CheckIn

from .browser import needs_chromium

pytestmark = needs_chromium


def shows(tab, text):
    expect(tab.page.get_by_text(text, exact=False).first).to_be_visible()


def test_a_check_in_is_heard_a_worry_becomes_a_question_and_closeness_is_revealed(linked):
    alice, bob = linked
    worry = "Whether my job will survive the reorganisation."

    alice.follow(alice.link("Uneasy"), "check-in-uneasy")
    alice.page.get_by_label("anxious").check()
    alice.page.get_by_label("4", exact=True).check()
    alice.page.get_by_label("to be listened to").check()
    expect(alice.page.get_by_label("Share with my partner")).to_be_checked()
    alice.follow(alice.button("Check in"), "home-checked-in")
    shows(alice, "Shared with Bob.")
    assert CheckIn.objects.get().feeling == "anxious"

    bob.reload("home-partner-checked-in")
    shows(bob, "Alice feels anxious, 4 of 5. Would like: to be listened to.")
    bob.follow(bob.button("I hear you"), "home-heard")
    shows(bob, "You answered: I hear you")

    alice.reload("home-heard")
    shows(alice, "Bob answered: I hear you")

    alice.follow(alice.link("Hopes, dreams and worries"), "hopes-empty")
    alice.page.get_by_label("Worry").check()
    alice.field("In your words").fill(worry)
    alice.follow(alice.button("Save"), "hopes-worry")
    shows(alice, "Shared with Bob.")

    bob.follow(bob.link("Hopes, dreams and worries"), "hopes-partner-worry")
    shows(bob, worry)
    bob.page.get_by_label("Tell me more").check()
    bob.follow(bob.button("Send my response"), "question-tell-me-more")
    expect(bob.page.get_by_role("heading", level=1)).to_contain_text(
        "Tell me more about the worry you shared"
    )
    alice.nav("Question", "question-tell-me-more")
    expect(alice.page.get_by_role("heading", level=1)).to_contain_text(worry)

    for tab, value in ((alice, "4"), (bob, "2")):
        tab.nav("Home")
        tab.follow(tab.link("This month's closeness check-in"), "closeness")
        for key in closeness.KEYS:
            tab.page.locator(f'input[name="{key}"][value="{value}"]').check()
        tab.follow(tab.button("Save my answers"), "closeness-answered")
    shows(bob, "You have both answered.")
    alice.reload("closeness-revealed")
    shows(alice, "Something to talk about")
    expect(alice.page.get_by_role("table")).to_contain_text("Bob")
