"""Running the background-job queue inside a test: django-tasks-db's own worker, until the queue is empty.

Between tasks the worker recycles old database connections (`close_old_connections`, as it must in
production). Inside a test that would close the connection holding the test's transaction, so here
that one call is left out; everything else is the real worker on the real queue.
"""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command


def work_the_queue() -> None:
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, queue_name="*")
