"""Journeys 1 and 2: two people sign up, verify their email and become a couple, by an
emailed invitation link or by a pairing code typed side by side."""

import re

from playwright.sync_api import expect

from couples.models import Couple

from .browser import email_link, needs_chromium

pytestmark = needs_chromium


def heading(tab, text):
    return tab.page.get_by_role("heading", name=text, exact=True)


def test_partners_sign_up_and_link_by_an_emailed_invitation(person, mailoutbox):
    alice = person("Alice", "alice@example.com", "Europe/London")
    bob = person("Bob", "bob@example.com", "Pacific/Auckland")

    alice.open("/", "landing")
    alice.follow(alice.link("Start together"), "sign-up")
    alice.sign_up("Alice", "Europe/London")
    alice.verify_email()
    expect(heading(alice, "Welcome, Alice")).to_be_visible()
    alice.follow(alice.link("Invite your partner"), "invite")
    alice.field("Your partner's email").fill(bob.email)
    alice.follow(alice.button("Send invitation"), "invitation-sent")
    expect(alice.page.get_by_text(f"Your invitation to {bob.email} is on its way.")).to_be_visible()

    # Bob has no account yet: the invitation takes him through sign-up and back.
    invitation = email_link(bob.email, r"/invite/[\w-]+/")
    bob.open(invitation, "invitation")
    expect(heading(bob, "Alice invited you to Kindling")).to_be_visible()
    bob.follow(bob.link("Create my account"))
    bob.sign_up("Bob", "Pacific/Auckland")
    bob.verify_email()
    expect(heading(bob, "Alice invited you to Kindling")).to_be_visible()
    assert not Couple.objects.filter(memberships__user__email=bob.email).exists()
    bob.follow(bob.button("Join Alice"), "home")
    expect(bob.page.get_by_text("You and Alice are linked. Welcome home.")).to_be_visible()

    alice.reload("home")
    expect(heading(alice, "Today's question")).to_be_visible()
    couple = Couple.objects.get(memberships__user__email=alice.email)
    assert sorted(m.user.email for m in couple.memberships.all()) == [alice.email, bob.email]


def test_partners_sign_up_and_link_with_a_pairing_code(person, mailoutbox):
    alice = person("Alice", "alice@example.com", "Europe/London")
    bob = person("Bob", "bob@example.com", "Pacific/Auckland")
    for tab, name, zone in ((alice, "Alice", "Europe/London"), (bob, "Bob", "Pacific/Auckland")):
        tab.open("/")
        tab.follow(tab.link("Start together"))
        tab.sign_up(name, zone)
        tab.verify_email()
        expect(heading(tab, f"Welcome, {name}")).to_be_visible()

    alice.follow(alice.link("Invite your partner"))
    alice.follow(alice.button("Show a pairing code"), "pairing-code")
    shown = alice.page.get_by_text(re.compile(r"^Pairing code: [A-Z0-9]{4}-[A-Z0-9]{4}$"))
    code = shown.inner_text().split()[-1]

    bob.follow(bob.link("I have a code"), "join")
    bob.field("Pairing code").fill(code.lower())
    bob.follow(bob.button("Join my partner"), "home")
    expect(bob.page.get_by_text("You and Alice are linked. Welcome home.")).to_be_visible()

    alice.reload()
    expect(alice.page.get_by_text("You have not linked")).to_have_count(0)
    alice.nav("Home", "home")
    expect(heading(alice, "Today's question")).to_be_visible()

    # Signing out and back in lands Bob in the couple's home.
    bob.nav("Settings", "settings")
    bob.follow(bob.button("Log out"))
    bob.follow(bob.link("Log in"), "log-in")
    bob.log_in()
    expect(heading(bob, "Today's question")).to_be_visible()
