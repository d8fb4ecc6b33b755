"""What the journey tells the layers above it, synchronously, inside the decision's transaction.

The journey sits below the federation's apps (``clea.certification``, ``clea.dashboards``…) and never imports
them: when it has something for them it sends a Django signal, and they connect their receiver at start-up.

``file_submitted``
    A file went to the jury (R10). Keyword arguments: ``snapshot`` (the kernel's ``JurySnapshot``),
    ``candidate_pseudonym`` (``str``) and ``branch_sections`` (the accredited branches' sections of the jury
    file). The federation's jury inbox (``clea.certification.services.receive_submission``) stores it in the
    public schema; a receiver that raises rolls the submission back.
"""

from __future__ import annotations

from django.dispatch import Signal

file_submitted = Signal()
