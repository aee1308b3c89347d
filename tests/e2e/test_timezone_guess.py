"""Sign-up starts from the person's own time zone: the browser's clock when JavaScript
runs (even when the browser calls its zone by an old name), else the browser's language."""

import pytest
from django.utils import translation

from .browser import needs_chromium

pytestmark = needs_chromium


@pytest.mark.parametrize(
    ("zone", "locale", "javascript", "preselected"),
    [
        ("Pacific/Auckland", "en-GB", True, "Pacific/Auckland"),
        ("Asia/Calcutta", "de-DE", True, "Asia/Kolkata"),
        ("Europe/Kiev", "en-US", True, "Europe/Kyiv"),
        ("Pacific/Auckland", "de-DE", False, "Europe/Berlin"),
    ],
)
def test_sign_up_preselects_the_time_zone(browser, site, zone, locale, javascript, preselected):
    context = browser.new_context(timezone_id=zone, locale=locale, java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(f"{site}/accounts/signup/")
        if javascript:
            # The alias really is what the browser reports, so the alias path is exercised.
            assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == zone
        # The page speaks the browser's language: look for the label in it.
        with translation.override(locale.split("-")[0]):
            label = translation.gettext("Your time zone")
        assert page.get_by_label(label).input_value() == preselected
    finally:
        context.close()
