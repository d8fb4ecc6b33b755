"""Demo data of the publishing app: Certif'Pro's 2019 fees (20 € HT per évaluation préalable, 5 € HT per
certificate), from 1 January 2019, once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clea.kernel.fees import ActKind
from clea.publishing import fees
from clea.publishing.models import Tariff

DEMO_TARIFFS = (
    (ActKind.INITIAL_EVALUATION, Decimal("20")),
    (ActKind.CERTIFICATE, Decimal("5")),
)


def seed_tariffs() -> int:
    """Add the demo tariffs of the kinds that have none; returns how many were added."""
    added = 0
    for kind, price in DEMO_TARIFFS:
        if not Tariff.objects.filter(kind=kind.value).exists():
            fees.add_tariff(kind, price, date(2019, 1, 1), Decimal("20"), None)
            added += 1
    return added
