import random

import pytest

from feelings import demo, services
from feelings.models import CheckIn, CheckInResponse, ClosenessAnswer, Hope

pytestmark = pytest.mark.django_db


def test_the_demo_has_weeks_of_check_ins_hopes_and_a_revealed_closeness_check_in(
    couple, alice, bob
):
    demo.seed(couple, alice, bob, random.Random(7))
    assert CheckIn.objects.count() > 15 and CheckInResponse.objects.count() > 5
    assert CheckIn.objects.filter(visibility="private").exists()
    assert Hope.objects.filter(shared_at__isnull=True).exists()
    assert Hope.objects.filter(settled_at__isnull=False).exists()
    month = ClosenessAnswer.objects.values_list("month", flat=True).first()
    assert services.closeness_view(couple, alice, month)["revealed"]
