from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from clea_tenants.backup import stored_names, tenant_models
from clea_tenants.models import Organisation


class Command(BaseCommand):
    help = (
        "Copy every stored file the organisations' rows refer to from the local MEDIA_ROOT to the configured "
        "storage (CLEA_STORAGE_BACKEND=s3), keeping each name; idempotent; --delete-local removes the copies done."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=Path, default=None, help="local folder (default: MEDIA_ROOT)")
        parser.add_argument("--delete-local", action="store_true", help="remove each local file once copied")

    def handle(self, *args: Any, **options: Any) -> None:
        source = FileSystemStorage(location=options["source"] or settings.MEDIA_ROOT)
        if isinstance(default_storage, FileSystemStorage) and Path(default_storage.location) == Path(source.location):
            raise CommandError("the configured storage is this local folder: set CLEA_STORAGE_BACKEND=s3 first")
        copied = skipped = missing = 0
        for organisation in Organisation.objects.exclude(schema_name="public").order_by("schema_name"):
            with schema_context(organisation.schema_name):
                names = sorted({name for model in tenant_models() for name in stored_names(model)})
            for name in names:
                if not source.exists(name):
                    if not default_storage.exists(name):
                        missing += 1
                        self.stderr.write(f"missing everywhere: {name}")
                    else:
                        skipped += 1
                    continue
                size = source.size(name)
                if default_storage.exists(name) and default_storage.size(name) == size:
                    skipped += 1
                else:
                    if default_storage.exists(name):  # a partial copy of an earlier run
                        default_storage.delete(name)
                    with source.open(name, "rb") as handle:
                        saved = default_storage.save(name, handle)
                    if saved != name or default_storage.size(name) != size:
                        raise CommandError(f"copy of {name} failed (stored as {saved})")
                    copied += 1
                if options["delete_local"]:
                    source.delete(name)
        self.stdout.write(f"Copied {copied} files, {skipped} already there, {missing} missing.")
        if missing:
            raise CommandError(f"{missing} files referred to by rows exist nowhere")
