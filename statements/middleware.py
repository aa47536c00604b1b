"""Request checks that hold for every URL, the admin's included."""

from django.http import HttpResponseBadRequest


def reject_nul_parameters(get_response):
    """A NUL character in a query parameter is refused with a 400 naming it: no
    filter means it, and PostgreSQL cannot take it in a text value (the admin's list
    filters pass their values to the database as they are)."""

    def middleware(request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                shown = name.replace("\x00", "\\x00")
                return HttpResponseBadRequest(
                    f"“{shown}” holds a NUL character, which no parameter takes.",
                    content_type="text/plain; charset=utf-8",
                )
        return get_response(request)

    return middleware
