from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Respondent links carry no language prefix: the survey's languages apply there.
    path("", include("survey.respond_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("", include("analytics.urls")),
    path("", include("survey.urls")),
    path("", include("accounts.urls")),
    prefix_default_language=True,
)
