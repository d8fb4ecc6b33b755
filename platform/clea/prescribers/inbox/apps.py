from django.apps import AppConfig
from django.db.models.signals import post_save


class ReferralInboxConfig(AppConfig):
    """The referrals an organisation receives (tenant schema): messages carrying only what is needed."""

    name = "clea.prescribers.inbox"
    label = "referral_inbox"
    verbose_name = "Orientations reçues"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py loads before the models the receiver imports.
        from clea.journey.models import DecisionRecord
        from clea.prescribers.inbox.services import follow_decision

        post_save.connect(follow_decision, sender=DecisionRecord, dispatch_uid="clea.prescribers.follow_decision")
