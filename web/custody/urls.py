from django.urls import path

from . import views

app_name = "custody"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("export/", views.export, name="export"),
    # objects under their own prefix: an object id may be any valid identifier, "export" and
    # "verify" included, and must never reach another page
    path("object/<ident:object_id>/", views.log, name="log"),
    path("object/<ident:object_id>/record/", views.record, name="record"),
]
