from django.contrib import admin
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from .identifiers import IdentifierConverter

# Before any app's URLs: they name codes and barcodes with <ident:...>.
register_converter(IdentifierConverter, "ident")

# The admin's own words come in Arabic from Django's catalogue; its header from ours.
admin.site.site_header = _("nasab registry: administration")
admin.site.site_title = _("nasab registry")
admin.site.index_title = _("Records (evidence is read-only)")

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
