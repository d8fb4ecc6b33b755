"""The BTP branch plugin (entry point ``clea.branches: btp = "clea_branch_btp.hooks:plugin"``).

Data (``data/modalities.yaml``) and rules (``rules.py``), plus the one hook BTP customises: its jury section
lists the site observations (``clea_branch_btp.observations``, evidence references ``obs-btp:<id>``).
"""

from dataclasses import replace

from clea.kernel.jury import JurySnapshot
from clea_branch_btp.rules import RULES
from clea_plugins import JuryFileSection, hookimpl
from clea_plugins.declarative import DeclarativeBranch

OBSERVATION_KIND = "obs-btp"


class Btp(DeclarativeBranch):
    @hookimpl
    def clea_jury_file_sections(self, snapshot: JurySnapshot) -> list[JuryFileSection]:
        seen = [item.reference for item in snapshot.evidence_items if item.kind == OBSERVATION_KIND]
        lines = [f"Observation sur chantier : {ref.partition(':')[2]}" for ref in seen]
        lines = lines or ["Aucune fiche d'observation sur chantier jointe au dossier."]
        return [replace(s, lines=(*s.lines, *lines)) for s in super().clea_jury_file_sections(snapshot)]


plugin = Btp("clea_branch_btp", rules=RULES)
