"""The diagnostic's Celery tasks (at the edge: they call services)."""

from celery import shared_task

from reputation.diagnostic import services


@shared_task(ignore_result=True)
def run_diagnostic(pk: int) -> None:
    services.run(pk)


@shared_task(ignore_result=True)
def purge_diagnostics() -> int:
    return services.purge()
