"""WSGI entry point for the nasab registry."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nasab_site.settings")
application = get_wsgi_application()
