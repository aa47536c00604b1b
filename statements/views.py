from django.http import HttpResponse


def statement_list(request):
    return HttpResponse("Who Said What")


def _placeholder(request, *args):
    return HttpResponse("Who Said What")


speaker_detail = country_detail = topic_detail = article_detail = statement_detail = (
    _placeholder
)
