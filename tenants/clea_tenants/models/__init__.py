"""Public-schema models of the tenancy layer."""

from clea_tenants.models.accreditation import Accreditation, Branch
from clea_tenants.models.organisation import Domain, Organisation, OrganisationStatus
from clea_tenants.models.provisioning_job import ProvisioningJob, ProvisioningStatus
from clea_tenants.models.register import (
    Establishment,
    Habilitation,
    HabilitationEvent,
    HabilitationStatus,
    Programme,
    TrainingBody,
    UnmatchedTrainingName,
)

__all__ = [
    "Accreditation",
    "Branch",
    "Domain",
    "Establishment",
    "Habilitation",
    "HabilitationEvent",
    "HabilitationStatus",
    "Organisation",
    "OrganisationStatus",
    "Programme",
    "ProvisioningJob",
    "ProvisioningStatus",
    "TrainingBody",
    "UnmatchedTrainingName",
]
