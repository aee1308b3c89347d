from celery import shared_task

from . import services


@shared_task
def deliver_scheduled_notes() -> int:
    return services.deliver_due_notes()
