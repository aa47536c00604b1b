import pytest

from statements.models import Country

pytestmark = pytest.mark.django_db


def test_every_country_is_there_under_the_name_people_use():
    assert Country.objects.count() >= 249
    assert Country.objects.get(code="RU").name == "Russia"
    uk = Country.objects.get(code="GB")
    assert (uk.name, uk.short_name, uk.slug) == (
        "United Kingdom",
        "UK",
        "united-kingdom",
    )
