"""/api/: the JSON API, with its OpenAPI schema at /api/openapi.json and docs at /api/docs."""

from jixiao.api.api import api

urlpatterns = [*api.urls[0]]
app_name = "api"
