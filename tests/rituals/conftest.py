import pytest

from rituals import services
from rituals.models import Ritual


@pytest.fixture
def hug(db) -> Ritual:
    return Ritual.objects.get(shipped_key="hug-before-sleep")


@pytest.fixture
def walk(db) -> Ritual:
    return Ritual.objects.get(shipped_key="hands-on-a-walk")


@pytest.fixture
def ours(couple, alice, bob, hug):
    """The hug before sleep: proposed by Alice, accepted by Bob."""
    choice = services.propose(couple, alice, hug)
    services.accept(choice, bob)
    return choice
