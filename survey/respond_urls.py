from django.urls import path

from survey import respond_views as views

app_name = "respond"

urlpatterns = [
    path("r/withdraw/", views.withdraw, name="withdraw"),
    path("r/embed.js", views.embed_script, name="embed_script"),
    path("r/<str:token>/", views.entry, name="entry"),
    path("r/<str:token>/page/", views.page, name="page"),
    path("r/<str:token>/done/", views.done, name="done"),
    path("r/<str:token>/later/", views.later, name="later"),
    path("r/<str:token>/stop/", views.stop, name="stop"),
    path("r/<str:token>/resume/<str:resume_token>/", views.resume, name="resume"),
    path("i/stop/<str:signed>/", views.invitation_stop, name="invitation_stop"),
    path("i/<str:token>/", views.invitation, name="invitation"),
]
