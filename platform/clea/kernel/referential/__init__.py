"""Referential versions: model and YAML loader."""

from clea.kernel.referential.loader import (
    ReferentialError,
    default_referential,
    load_referential,
    load_shipped,
    parse_referential,
    shipped_referentials,
)
from clea.kernel.referential.model import Criterion, Domain, MasteryRule, Referential, SubDomain

__all__ = [
    "Criterion",
    "Domain",
    "MasteryRule",
    "Referential",
    "ReferentialError",
    "SubDomain",
    "default_referential",
    "load_referential",
    "load_shipped",
    "parse_referential",
    "shipped_referentials",
]
