"""URL routes of the whole site."""

urlpatterns: list = []
