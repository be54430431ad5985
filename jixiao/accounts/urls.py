from django.urls import path

from jixiao.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
]
