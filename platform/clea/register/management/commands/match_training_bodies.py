"""``manage.py match_training_bodies``: free-text training organisations of every path matched to the register."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from clea.register.matching import match_all


class Command(BaseCommand):
    help = "Rapproche les organismes de formation saisis sur les parcours du registre ; liste ceux qui restent."

    def handle(self, *args: Any, **options: Any) -> None:
        report = match_all()
        self.stdout.write(
            f"{report.matched} parcours rapprochés ({report.rewritten} réécrits), "
            f"{len(report.unmatched)} sans correspondance."
        )
        for slug, path_id, name in report.unmatched:
            self.stdout.write(f"  {slug} parcours {path_id} : « {name} »")
