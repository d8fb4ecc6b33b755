"""CPF "accrochage" batches from the command line (docs/CPF.md).

manage.py cpf_batch prepare --from 2026-11-01 --to 2026-11-30
manage.py cpf_batch prepare --previous-month
manage.py cpf_batch resend                         # rejected certificates, identity read again
manage.py cpf_batch acknowledgement <batch id> <file.xml>
manage.py cpf_batch report <batch id> <file.xml>
manage.py cpf_batch list
manage.py cpf_batch export <batch id> [<file.xml>]
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xmlschema
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clea.ecosystem import cpf
from clea.ecosystem.models import CpfBatch
from clea.kernel.errors import DomainError


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Prepare, export and follow up the CPF 'accrochage' XML batches of certificates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        prepare = sub.add_parser("prepare")
        prepare.add_argument("--from", dest="start")
        prepare.add_argument("--to", dest="end")
        prepare.add_argument("--previous-month", action="store_true")
        sub.add_parser("resend")
        sub.add_parser("list")
        for name in ("acknowledgement", "report"):
            imported = sub.add_parser(name)
            imported.add_argument("batch", type=int)
            imported.add_argument("file")
        export = sub.add_parser("export")
        export.add_argument("batch", type=int)
        export.add_argument("file", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message_en) from exc
        except CpfBatch.DoesNotExist as exc:
            raise CommandError("no such batch") from exc
        except xmlschema.XMLSchemaValidationError as exc:
            raise CommandError(f"the batch does not validate: {exc.reason}") from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc

    def _report_prepared(self, prepared: cpf.Prepared) -> None:
        for skipped in prepared.skipped:
            self.stderr.write(f"skipped {skipped.number}: {skipped.reason}")
        if prepared.batch is None:
            self.stdout.write("nothing to send")
            return
        count = prepared.batch.records.count()
        self.stdout.write(f"batch {prepared.batch.pk} {prepared.batch.filename}: {count} certificate(s)")

    def _prepare(self, options: dict[str, Any]) -> None:
        if options["previous_month"]:
            self._report_prepared(cpf.prepare_previous_month())
            return
        if not options["start"] or not options["end"]:
            raise CommandError("give --from and --to, or --previous-month")
        self._report_prepared(cpf.prepare_batch(_date(options["start"]), _date(options["end"])))

    def _resend(self, options: dict[str, Any]) -> None:
        self._report_prepared(cpf.prepare_resend())

    def _list(self, options: dict[str, Any]) -> None:
        for batch in CpfBatch.objects.all():
            counts = {s: batch.records.filter(status=s).count() for s in ("sent", "accepted", "rejected")}
            self.stdout.write(f"{batch.pk}\t{batch.filename}\t{batch.status}\t{counts}")

    def _acknowledgement(self, options: dict[str, Any]) -> None:
        batch = cpf.import_acknowledgement(options["batch"], Path(options["file"]).read_bytes())
        self.stdout.write(f"batch {batch.pk}: acknowledged")

    def _report(self, options: dict[str, Any]) -> None:
        outcome = cpf.import_report(options["batch"], Path(options["file"]).read_bytes())
        self.stdout.write(f"batch {options['batch']}: {outcome.accepted} accepted, {outcome.rejected} rejected")

    def _export(self, options: dict[str, Any]) -> None:
        batch = CpfBatch.objects.get(pk=options["batch"])
        if options["file"]:
            Path(options["file"]).write_text(batch.xml, encoding="utf-8")
            self.stdout.write(f"written {options['file']}")
        else:
            self.stdout.write(batch.xml)
