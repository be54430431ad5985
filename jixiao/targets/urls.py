"""绩效目标: live checks and autosave of a declaration (its pages are evaluations:detail/edit),
target adjustments, and the version history."""

from django.urls import path

from jixiao.targets import views

app_name = "targets"
urlpatterns = [
    path("<id:declaration_id>/checks/", views.checks, name="checks"),
    path("<id:declaration_id>/autosave/", views.autosave, name="autosave"),
]
