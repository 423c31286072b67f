"""URL configuration: admin, API (v1 and schema), and the server-rendered pages."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("annotator.api.urls")),
    path("", include("annotator.web.urls")),
]
