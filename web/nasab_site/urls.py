from django.contrib import admin
from django.urls import include, path, register_converter

from .identifiers import IdentifierConverter

# Before any app's URLs: they name codes and barcodes with <ident:...>.
register_converter(IdentifierConverter, "ident")

urlpatterns = [
    path("", include("accounts.urls")),
    path("registry/", include("registry.urls")),
    path("field/", include("fieldwork.urls")),
    path("custody/", include("custody.urls")),
    path("lab/", include("lab.urls")),
    path("matches/", include("identification.urls")),
    path("audit/", include("audit.urls")),
    path("family/", include("portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
