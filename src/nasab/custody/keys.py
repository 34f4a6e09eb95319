"""The anchor log's signing key: an Ed25519 key in a PEM file outside the database
(``load_or_create_key``, ``load_public_key``, ``public_pem``, ``key_fingerprint``)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from nasab.custody import chain as custody


def load_or_create_key(path: str | os.PathLike[str], *, create: bool = True):
    """The Ed25519 private key in ``path`` (PEM); a new one is written (mode 0600) when the file
    does not exist and ``create`` is true, with its public key beside it (``.pub``)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = Path(path)
    if path.is_file():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise custody.CustodyInputError(f"{path} is not a PEM private key: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise custody.CustodyInputError(f"{path} is not an Ed25519 key")
        return key
    if not create:
        raise custody.CustodyInputError(f"no signing key at {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    Path(f"{path}.pub").write_bytes(public_pem(key.public_key()))
    return key


def public_pem(public_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(path: str | os.PathLike[str]):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise custody.CustodyInputError(f"cannot read public key {path}: {exc}") from exc
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        try:
            key = serialization.load_pem_private_key(data, password=None).public_key()
        except (ValueError, TypeError) as exc:
            raise custody.CustodyInputError(f"{path} is not a PEM key") from exc
    if not isinstance(key, Ed25519PublicKey) and not isinstance(key, Ed25519PrivateKey):
        raise custody.CustodyInputError(f"{path} is not an Ed25519 key")
    return key


def key_fingerprint(public_key) -> str:
    return hashlib.sha256(public_pem(public_key)).hexdigest()[:16]
