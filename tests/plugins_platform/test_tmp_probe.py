import pytest
pytestmark = pytest.mark.django_db
def test_x(federation_client):
    r = federation_client.get("/api/federation/organisations/inconnu/accreditations/")
    print(r.status_code, r.content[:300])
    r = federation_client.get("/api/federation/organisations/inconnu/")
    print(r.status_code, r.content[:300])
