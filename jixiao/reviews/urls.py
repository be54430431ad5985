from django.urls import path

from jixiao.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:evaluation_id>/transition/<str:action>/", views.transition, name="transition"),
    path("<int:evaluation_id>/frozen/<str:fmt>/", views.frozen, name="frozen"),
    path("transition/<int:transition_id>/", views.snapshot, name="snapshot"),
    path("samples/", views.samples, name="samples"),
    path("samples/<int:draw_id>/", views.sample_detail, name="sample"),
    path("samples/recheck/<int:recheck_id>/", views.recheck, name="recheck"),
]
