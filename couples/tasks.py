from celery import shared_task

from . import services


@shared_task
def purge_ended_couples() -> int:
    return services.purge_ended_couples()
