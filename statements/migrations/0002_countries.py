"""Every country from pycountry, under the names people use."""

import pycountry
from django.db import migrations
from django.utils.text import slugify

# Where the everyday name differs from pycountry's name and common_name.
EVERYDAY_NAMES = {
    "RU": "Russia",
    "GB": "United Kingdom",
    "US": "United States",
    "KR": "South Korea",
    "KP": "North Korea",
    "IR": "Iran",
    "SY": "Syria",
    "VN": "Vietnam",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "TW": "Taiwan",
    "LA": "Laos",
    "PS": "Palestine",
    "VA": "Vatican City",
    "FM": "Micronesia",
    "CD": "DR Congo",
    "CG": "Republic of the Congo",
    "TR": "Turkey",
    "CZ": "Czech Republic",
    "BN": "Brunei",
    "CV": "Cape Verde",
}
SHORT_NAMES = {"GB": "UK", "US": "US", "AE": "UAE", "CD": "DRC"}


def add_countries(apps, schema_editor):
    Country = apps.get_model("statements", "Country")
    rows = []
    for c in pycountry.countries:
        name = (
            EVERYDAY_NAMES.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
        )
        rows.append(
            Country(
                code=c.alpha_2,
                name=name,
                official_name=getattr(c, "official_name", c.name),
                short_name=SHORT_NAMES.get(c.alpha_2, ""),
                slug=slugify(name),
            )
        )
    Country.objects.bulk_create(rows, ignore_conflicts=True)


def remove_countries(apps, schema_editor):
    apps.get_model("statements", "Country").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("statements", "0001_initial")]

    operations = [migrations.RunPython(add_countries, remove_countries)]
