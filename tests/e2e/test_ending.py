"""Journey 7: one partner ends the couple; both keep a read-only archive."""

from playwright.sync_api import expect

from couples.models import Couple

from ..factories import note
from .browser import emails_to, needs_chromium

pytestmark = needs_chromium


def test_ending_the_couple_leaves_both_a_read_only_archive(linked, couple, alice, bob, mailoutbox):
    alice_tab, bob_tab = linked
    note(couple, bob, "Thank you for the soup when I was ill.")

    alice_tab.nav("Settings", "settings")
    alice_tab.follow(alice_tab.link("End the couple"), "end-couple")
    alice_tab.field("Type “end” to confirm").fill("end")
    alice_tab.follow(alice_tab.button("End our couple"), "archive")
    expect(
        alice_tab.page.get_by_text("Your couple has ended. What you shared stays readable")
    ).to_be_visible()
    couple.refresh_from_db()
    assert couple.status == Couple.Status.ENDED
    for user in (alice, bob):
        assert [m.subject for m in emails_to(user.email)] == ["Your couple on Kindling has ended"]

    alice_tab.follow(alice_tab.link("Notes you received"), "archive-notes")
    expect(alice_tab.page.get_by_role("note")).to_contain_text("read-only archive")
    expect(alice_tab.link("Write a note")).to_have_count(0)
    alice_tab.follow(alice_tab.link("From Bob", starting=True), "archive-note")
    expect(alice_tab.page.get_by_text("Thank you for the soup when I was ill.")).to_be_visible()
    expect(alice_tab.page.get_by_role("button")).to_have_count(0)

    # Bob finds the archive from his home page, which now invites him to start afresh.
    bob_tab.nav("Home", "home-after")
    expect(bob_tab.page.get_by_role("heading", name="Welcome, Bob")).to_be_visible()
    bob_tab.follow(bob_tab.link(couple.display_name), "archive")
    bob_tab.follow(bob_tab.link("Notes you sent"), "archive-notes-sent")
    expect(bob_tab.page.get_by_text("Thank you for the soup when I was ill.")).to_be_visible()
    bob_tab.nav("Dates")
    expect(
        bob_tab.page.get_by_text("This page opens once you are linked with a partner", exact=False)
    ).to_be_visible()
