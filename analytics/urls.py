from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("agencies/<int:agency_id>/margins/", views.margins, name="margins"),
    path(
        "agencies/<int:agency_id>/margins/template.xlsx",
        views.margins_template,
        name="margins_template",
    ),
    path("rounds/<int:round_id>/indicators/", views.round_indicators, name="round_indicators"),
    path("agencies/<int:agency_id>/indicators/", views.indicators, name="indicators"),
]
