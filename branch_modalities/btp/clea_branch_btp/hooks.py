"""The BTP branch plugin (entry point ``clea.branches: btp = "clea_branch_btp.hooks:plugin"``).

Data (``data/modalities.yaml``) and rules (``rules.py``), plus the two hooks BTP customises, both about its site
observations (``clea_branch_btp.observations``, evidence references ``obs-btp:<id>``): an evaluation may cite
those of the file, and the jury section lists them.
"""

from collections.abc import Sequence
from dataclasses import replace

from clea.kernel.evidence import EvidenceRef
from clea.kernel.jury import JurySnapshot
from clea_branch_btp.observations.evidence import PREFIX, observation_items
from clea_branch_btp.rules import RULES
from clea_plugins import JuryFileSection, hookimpl
from clea_plugins.declarative import DeclarativeBranch

OBSERVATION_KIND = PREFIX


class Btp(DeclarativeBranch):
    @hookimpl
    def clea_evidence_items(self, file_reference: str, references: Sequence[str]) -> list[EvidenceRef]:
        return observation_items(file_reference, references)

    @hookimpl
    def clea_jury_file_sections(self, snapshot: JurySnapshot) -> list[JuryFileSection]:
        seen = [item.reference for item in snapshot.evidence_items if item.kind == OBSERVATION_KIND]
        lines = [f"Observation sur chantier : {ref.partition(':')[2]}" for ref in seen]
        lines = lines or ["Aucune fiche d'observation sur chantier jointe au dossier."]
        return [replace(s, lines=(*s.lines, *lines)) for s in super().clea_jury_file_sections(snapshot)]


plugin = Btp("clea_branch_btp", rules=RULES)
