import pytest
from django.test import override_settings


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_missing_page_gets_the_site_404(client):
    r = client.get("/speakers/nobody-at-all/")
    assert r.status_code == 404
    assert "There is nothing at this address" in r.content.decode()
