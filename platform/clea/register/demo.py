"""Demo register: the demo organisations' head establishments get their address (so prescribers' searches by
department find them), the organisations enter the register of training bodies, and three training bodies
that are not tenants are added (idempotent)."""

from __future__ import annotations

from clea_tenants import training_bodies
from clea_tenants.habilitations import fill_geography, head_establishment
from clea_tenants.models import Organisation, TrainingBody

ADDRESSES = {  # slug -> (address, postcode, city)
    "greta-lyon": ("12 rue de la République", "69002", "Lyon"),
    "afpa-lille": ("1 rue Jean Jaurès", "59000", "Lille"),
    "cfa-rennes": ("3 rue de Brest", "35000", "Rennes"),
}
BODIES = (  # name, SIRET (python-stdnum valid), region
    ("Institut de formation Rhône-Alpes", "41234567000019", "84"),
    ("Atelier des savoirs Lille", "52345678800018", "32"),
    ("Compétences Bretagne", "63456789500012", "53"),
)


def seed_register() -> None:
    for slug, (address, postcode, city) in ADDRESSES.items():
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        establishment = head_establishment(organisation)
        if not establishment.postcode:
            establishment.address, establishment.postcode, establishment.city = address, postcode, city
            fill_geography(establishment)
            establishment.save()
        training_bodies.body_of_organisation(organisation)
    for name, siret, region in BODIES:
        if not TrainingBody.objects.filter(siret=siret).exists():
            training_bodies.create(name, siret, region)
