"""Second factor (TOTP, django-otp) for the roles that decide on identifications and for
administrators. A user of those roles logs in with the password, then confirms with a
six-digit code from an authenticator app; the first time, they enrol one (the page shows
the secret as text and as a QR code)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from nasab_site.identifiers import LATIN_DIGITS  # noqa: F401 (codes typed in Arabic-Indic digits)

from .roles import Role, roles_of

SECOND_FACTOR_ROLES = frozenset({Role.REVIEWER, Role.BOARD, Role.ADMIN})
DEVICE_NAME = "authenticator app"


def required_for(user) -> bool:
    """Whether ``user`` must confirm logins with a second factor."""
    if not getattr(settings, "NASAB_REQUIRE_SECOND_FACTOR", True):
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(roles_of(user) & SECOND_FACTOR_ROLES) or user.is_superuser


def required_for_roles(roles) -> bool:
    return bool(frozenset(roles) & SECOND_FACTOR_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled (made on first call, the same one until confirmed)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def enrol_with_key(user, hex_key: str) -> TOTPDevice:
    """A confirmed device with a known key (the demonstration programme's accounts)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=hex_key, confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now (for the demonstration and tests)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def check(device: TOTPDevice, token: str) -> tuple[bool, str]:
    """Verify ``token``; after failures django-otp makes the device wait (throttling)."""
    allowed, data = device.verify_is_allowed()
    if not allowed:
        return False, gettext("Too many wrong codes: wait a minute, then try again.")
    return bool(device.verify_token(token)), ""
