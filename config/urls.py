from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    # Respondent links carry no language prefix: the survey's languages apply there.
    # First, as they are most of the traffic.
    path("", include("survey.respond_urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("", include("analytics.urls")),
    path("", include("survey.urls")),
    path("", include("accounts.urls")),
    prefix_default_language=True,
)

handler400 = "survey.refusal_views.bad_request"
handler404 = "survey.refusal_views.page_not_found"
handler500 = "survey.refusal_views.server_error"
