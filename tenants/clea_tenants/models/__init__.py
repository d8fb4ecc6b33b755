"""Public-schema models of the tenancy layer."""

from clea_tenants.models.accreditation import Accreditation, Branch
from clea_tenants.models.organisation import Domain, Organisation, OrganisationStatus
from clea_tenants.models.provisioning_job import ProvisioningJob, ProvisioningStatus

__all__ = [
    "Accreditation",
    "Branch",
    "Domain",
    "Organisation",
    "OrganisationStatus",
    "ProvisioningJob",
    "ProvisioningStatus",
]
