from django.urls import path

from . import views

app_name = "fieldwork"
urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    # not under sites/: a site code may be "new"
    path("new-site/", views.site_create, name="site_create"),
    path("sites/<ident:code>/", views.site_detail, name="site_detail"),
    path("sites/<ident:code>/stage/", views.site_advance, name="site_advance"),
    path("sites/<ident:code>/access/", views.site_access_add, name="site_access_add"),
    path("sites/<ident:code>/remains/new/", views.remains_create, name="remains_create"),
    path("remains/<ident:code>/", views.remains_detail, name="remains_detail"),
    path("remains/<ident:code>/samples/new/", views.sample_create, name="sample_create"),
    path("references/", views.reference_list, name="reference_list"),
    path(
        "references/<int:pk>/samples/new/",
        views.reference_sample_create,
        name="reference_sample_create",
    ),
]
