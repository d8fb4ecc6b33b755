"""The site observations of a file as evidence items (``obs-btp:<id>``), for ``clea_evidence_items``."""

from __future__ import annotations

from collections.abc import Sequence

from clea.kernel.evidence import EvidenceRef

PREFIX = "obs-btp"


def observation_items(file_reference: str, references: Sequence[str]) -> list[EvidenceRef]:
    """The observations among ``references`` that were made for the file ``file_reference``."""
    ids = [
        int(rest)
        for prefix, _, rest in (ref.partition(":") for ref in references)
        if prefix == PREFIX and rest.isdigit()
    ]
    if not ids:
        return []
    # Imported here: the plugin module imports without Django (tests/plugins), the models only once it runs.
    from clea_branch_btp.observations.models import WorkSituationObservation

    observations = WorkSituationObservation.objects.filter(file_reference=file_reference, pk__in=ids)
    return [
        EvidenceRef(o.evidence_reference, PREFIX, title=f"{o.site} ({o.observed_on:%d/%m/%Y})", criterion=o.subdomain)
        for o in observations.order_by("pk")
    ]
