import datetime as dt

import pytest
import time_machine

# Wednesday 10 March 2027, noon in London: the week of Monday 8 March.
WEDNESDAY = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)
MONDAY = dt.date(2027, 3, 8)


@pytest.fixture(autouse=True)
def wednesday():
    # Autouse, so that it comes before any login: a session begun in real time would
    # have long expired by 2027.
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def week(couple, wednesday):
    from ourweek import services

    return services.start_week(couple)
