from django.urls import path

from jixiao.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("export.xlsx", views.queue_export, name="queue_export"),
    path("bulk/", views.bulk_preview, name="bulk_preview"),
    path("bulk/apply/", views.bulk_apply, name="bulk_apply"),
    path("<id:evaluation_id>/transition/<str:action>/", views.transition, name="transition"),
    path("<id:evaluation_id>/frozen/<str:fmt>/", views.frozen, name="frozen"),
    path("<id:evaluation_id>/frozen-status/", views.freeze_status, name="freeze_status"),
    path("<id:evaluation_id>/refreeze/", views.refreeze, name="refreeze"),
    path("<id:evaluation_id>/withdraw/", views.withdraw, name="withdraw"),
    path("withdrawn/<id:publication_id>/<str:fmt>/", views.withdrawn_file, name="withdrawn_file"),
    path("transition/<id:transition_id>/", views.snapshot, name="snapshot"),
    path("samples/", views.samples, name="samples"),
    path("samples/<id:draw_id>/", views.sample_detail, name="sample"),
    path("samples/recheck/<id:recheck_id>/", views.recheck, name="recheck"),
]
