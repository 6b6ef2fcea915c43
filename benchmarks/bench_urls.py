"""The product's URLs plus the baseline: a bare view that inserts one row per request."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as product_urls


@csrf_exempt
def bare_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (payload) VALUES (%s)", [request.body[:200].decode()])
    return HttpResponse("ok")


urlpatterns = [path("bench/insert/", bare_insert), *product_urls]
