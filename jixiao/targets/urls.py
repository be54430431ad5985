"""绩效目标: live checks and autosave of a declaration (its pages are evaluations:detail/edit),
target adjustments, and the version history."""

from django.urls import path

from jixiao.targets import views

app_name = "targets"
urlpatterns = [
    path("<id:declaration_id>/checks/", views.checks, name="checks"),
    path("<id:declaration_id>/autosave/", views.autosave, name="autosave"),
    path("<id:declaration_id>/adjust/", views.adjust, name="adjust"),
    path("<id:declaration_id>/versions/", views.versions, name="versions"),
    path("adjustments/", views.adjustment_list, name="adjustments"),
    path("adjustments/<id:adjustment_id>/", views.adjustment_detail, name="adjustment"),
]
