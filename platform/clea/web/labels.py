"""Kernel wording the pages translate at run time, listed here so that ``makemessages`` extracts it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from clea.kernel.journey import DecisionKind, FileState

STATE_LABELS_FOR_EXTRACTION = (
    gettext_noop("Accueilli"),
    gettext_noop("Dossier ouvert"),
    gettext_noop("Évalué — parcours à proposer"),
    gettext_noop("En parcours de formation"),
    gettext_noop("Prêt pour le jury"),
    gettext_noop("Transmis au jury"),
    gettext_noop("Certifié"),
    gettext_noop("Non certifié par le jury"),
    gettext_noop("Sorti du dispositif"),
    gettext_noop("Transféré"),
    gettext_noop("Délai de 5 ans dépassé"),
)
assert len(STATE_LABELS_FOR_EXTRACTION) == len(FileState)

DECISION_LABELS = {
    DecisionKind.WELCOMED: pgettext_lazy("décision", "Accueil"),
    DecisionKind.FILE_OPENED: _("Ouverture du dossier (consentement)"),
    DecisionKind.INITIAL_EVALUATION: _("Évaluation préalable"),
    DecisionKind.TRAINING_PATH: _("Parcours de formation proposé"),
    DecisionKind.TRAINING_PATH_ADJUSTED: _("Parcours de formation ajusté"),
    DecisionKind.FINAL_EVALUATION: _("Évaluation finale"),
    DecisionKind.SUBMITTED: _("Transmission au jury"),
    DecisionKind.JURY_DECISION: _("Décision du jury"),
    DecisionKind.WITHDRAWN: _("Sortie du dispositif"),
    DecisionKind.TRANSFERRED_OUT: _("Transfert vers un autre organisme"),
    DecisionKind.TRANSFERRED_IN: _("Reprise d'un dossier transféré"),
    DecisionKind.EXPIRED: _("Délai de 5 ans dépassé"),
    DecisionKind.RESTARTED: _("Nouveau départ"),
}
