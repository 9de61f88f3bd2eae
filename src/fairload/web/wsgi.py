"""WSGI entry point for application servers (gunicorn, uWSGI) behind a load balancer."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairload.web.settings")
application = get_wsgi_application()
