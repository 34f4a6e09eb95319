"""django-axes' lock-out check for web log-ins. Authentication without a request (a
management command, a test client) has no client to throttle and is passed on to the
password backend unchanged."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
