"""The planner's task, run by the task worker (``fairload-web notices_worker`` or
``db_worker``): its argument is the run's id, never a row."""

from __future__ import annotations

from django_tasks import task

from fairload.web.planner.services import plan_run_solve


@task()
def plan_run_task(run_id: int) -> str:
    """Solve one queued plan run (services.plan_run_solve)."""
    return plan_run_solve(run_id)
