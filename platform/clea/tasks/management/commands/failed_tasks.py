from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from clea.tasks.failures import pending_failures, retry_failed
from clea.tasks.models import FailedTask


class Command(BaseCommand):
    help = "List the tasks that failed for good; --retry ID (or --retry-all) sends them again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retry", type=int, action="append", default=[], metavar="ID")
        parser.add_argument("--retry-all", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        with schema_context("public"):
            if options["retry_all"]:
                to_retry = list(pending_failures())
            else:
                to_retry = list(FailedTask.objects.filter(pk__in=options["retry"]))
                missing = set(options["retry"]) - {f.pk for f in to_retry}
                if missing:
                    raise CommandError(f"unknown failed task id(s): {sorted(missing)}")
            for failed in to_retry:
                new_id = retry_failed(failed)
                self.stdout.write(f"retried {failed.pk} {failed.task_name} [{failed.schema_name}] as {new_id}")
            if not to_retry:
                for failed in pending_failures():
                    self.stdout.write(
                        f"{failed.pk}\t{failed.failed_at:%Y-%m-%d %H:%M:%S}\t{failed.schema_name}\t"
                        f"{failed.task_name}\t{failed.exception.splitlines()[0] if failed.exception else ''}"
                    )
