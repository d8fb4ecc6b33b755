from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from clea.certification.demo import seed_jury
from clea.ecosystem.demo import seed_identities_and_cpf
from clea.prescribers.demo import seed_prescribers
from clea.publishing.demo import seed_tariffs
from clea.register.demo import seed_register
from clea_tenants.demo import (
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    FEDERATION_ADMIN,
    ensure_federation_admin,
    ensure_organisation,
    migrate_everything,
    seed_journeys,
    start_demo_worker,
)


class Command(BaseCommand):
    help = "Migrate, prepare the template, create the demo federation and organisations, run the server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addrport", default="0.0.0.0:8000", help="Where the server listens (a second instance: another port)."
        )
        parser.add_argument("--no-server", action="store_true", help="Set up the data and exit.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a Celery worker (with beat).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not os.environ.get("CLEA_FEDERATION_URL"):  # credentials' URLs point to this very server
            settings.CLEA_FEDERATION_URL = (
                f"http://{settings.CLEA_BASE_DOMAIN}:{options['addrport'].rsplit(':', 1)[-1]}"
            )
        migrate_everything(verbosity=max(0, options["verbosity"] - 1))
        ensure_federation_admin()
        call_command("setup_schedules", verbosity=0)
        logins = {demo.slug: seed_journeys(ensure_organisation(demo)) for demo in DEMO_ORGANISATIONS}
        seed_register()  # establishments' addresses, training bodies (the federation's register)
        jury_login, certificates = seed_jury(DEMO_PASSWORD)  # a held session: certified and refused demo files
        seed_tariffs()  # the certifier's 2019 fees: statements of acts at /federation/actes/
        prescribers = seed_prescribers(DEMO_PASSWORD)  # referrals to greta-lyon at every stage, results back
        cpf_line = seed_identities_and_cpf()  # their civil identity (R15) and their CPF "accrochage" batch
        port = options["addrport"].rsplit(":", 1)[-1]
        base = settings.CLEA_BASE_DOMAIN
        self.stdout.write(self.style.SUCCESS(f"CléA demo ready. Logins (password: {DEMO_PASSWORD}):"))
        self.stdout.write(f"  federation  http://{base}:{port}/api/docs/  {FEDERATION_ADMIN}")
        self.stdout.write(f"  jury        http://{base}:{port}/jury/  {jury_login} (jury member; enrols a 2nd factor)")
        for login, name in prescribers:
            self.stdout.write(f"  prescriber  http://{base}:{port}/prescripteur/  {login} ({name})")
        for number in certificates:
            self.stdout.write(f"  certificate http://{base}:{port}/verifier/{number}/")
        for demo in DEMO_ORGANISATIONS:
            self.stdout.write(f"  {demo.slug:<11} http://{demo.slug}.{base}:{port}/  {demo.admin_email} (admin)")
            for username, role in logins[demo.slug]:
                self.stdout.write(f"  {'':<11} {'':<{len(demo.slug) + len(base) + 15}}  {username} ({role})")
        self.stdout.write(f"  CPF         {cpf_line}: GET /api/federation/cpf/batches/ (federation admin)")
        self.stdout.write("  API token: POST /api/auth/token/ {username, password}; or header X-Clea-Tenant: <slug>")
        if options["no_server"]:
            return
        worker = None if options["no_worker"] else start_demo_worker(self.stdout.write)
        try:
            # DEBUG off (clea.settings.demo): runserver serves the static files only when told to
            call_command("runserver", options["addrport"], use_reloader=False, insecure_serving=not settings.DEBUG)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
