"""Keys, fingerprints, signatures and encryption of sync bundles.

Two standard pieces, each one a county's IT person can reproduce with common
command-line tools (docs/bundle-format.md):

* **Ed25519** signatures (RFC 8032) through ``cryptography``: the station signs
  the bundle's ``manifest-sha256.txt``; ``openssl pkeyutl -verify -rawin``
  checks it with the station's public key in PEM.
* **age** (X25519 recipients, ChaCha20-Poly1305 stream) through ``pyrage``:
  the signed zip is encrypted to the county's recipient and the station's own;
  ``age -d -i key.txt`` opens it.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import BinaryIO

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey,
)
from pyrage import x25519

from station_desk.domain.bundles import (
    BadKeyFile, BundleDamaged, CountyKeyMismatch, NotABundle, WrongStationKey,
)

FINGERPRINT_DOMAIN = b"station-desk key v1\x00"


@dataclass(frozen=True)
class KeyPair:
    """A station's or county's own keys: Ed25519 for signing, age X25519 for reading."""

    signing_private: str   # base64 of the 32-byte Ed25519 seed
    signing_public: str    # base64 of the 32-byte Ed25519 public key
    age_identity: str      # AGE-SECRET-KEY-1…
    age_recipient: str     # age1…

    @property
    def public(self) -> "PublicKeys":
        return PublicKeys(signing_public=self.signing_public, age_recipient=self.age_recipient)


@dataclass(frozen=True)
class PublicKeys:
    signing_public: str
    age_recipient: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public, self.age_recipient)

    @property
    def signing_public_pem(self) -> str:
        return public_pem(self.signing_public)


def generate() -> KeyPair:
    """A new key pair (signing + encryption)."""
    sk = Ed25519PrivateKey.generate()
    seed = sk.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    pub = sk.public_key().public_bytes(serialization.Encoding.Raw,
                                       serialization.PublicFormat.Raw)
    ident = x25519.Identity.generate()
    return KeyPair(signing_private=base64.b64encode(seed).decode(),
                   signing_public=base64.b64encode(pub).decode(),
                   age_identity=str(ident), age_recipient=str(ident.to_public()))


def fingerprint(signing_public: str, age_recipient: str) -> str:
    """A fingerprint of both public keys, read aloud or compared on paper:
    32 hex digits in 8 groups of 4 ("3F2A 91C0 …")."""
    digest = hashlib.sha256(FINGERPRINT_DOMAIN + _raw_public(signing_public)
                            + age_recipient.strip().encode("ascii")).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text: str) -> str:
    """``text`` as typed (spaces, dashes, lower case) in the printed form."""
    raw = "".join(ch for ch in (text or "").upper() if ch in "0123456789ABCDEF")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _raw_public(signing_public: str) -> bytes:
    try:
        raw = base64.b64decode(signing_public, validate=True)
    except (ValueError, TypeError) as exc:
        raise BadKeyFile(detail="signing key") from exc
    if len(raw) != 32:
        raise BadKeyFile(detail="signing key length")
    return raw


def check_public(signing_public: str, age_recipient: str) -> None:
    """Raise BadKeyFile unless both public keys parse."""
    try:
        Ed25519PublicKey.from_public_bytes(_raw_public(signing_public))
        x25519.Recipient.from_str(age_recipient.strip())
    except BadKeyFile:
        raise
    except Exception as exc:  # pyrage raises its own RecipientError
        raise BadKeyFile(detail=str(exc)) from exc


def public_pem(signing_public: str) -> str:
    """The Ed25519 public key as PEM (SubjectPublicKeyInfo), for ``openssl``."""
    key = Ed25519PublicKey.from_public_bytes(_raw_public(signing_public))
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def sign(keys: KeyPair, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of ``message``."""
    sk = Ed25519PrivateKey.from_private_bytes(base64.b64decode(keys.signing_private))
    return sk.sign(message)


def verify(signing_public: str, message: bytes, signature: bytes) -> None:
    """Raise WrongStationKey unless ``signature`` is ``signing_public``'s over ``message``."""
    try:
        Ed25519PublicKey.from_public_bytes(_raw_public(signing_public)).verify(signature,
                                                                              message)
    except (InvalidSignature, ValueError) as exc:
        raise WrongStationKey() from exc


def encrypt_stream(reader: BinaryIO, writer: BinaryIO, recipients: list[str]) -> None:
    """age-encrypt ``reader`` into ``writer`` for every recipient (age1… strings)."""
    rec = [x25519.Recipient.from_str(r) for r in recipients]
    pyrage.encrypt_io(reader, writer, rec)


def decrypt_stream(reader: BinaryIO, writer: BinaryIO, identity: str) -> None:
    """age-decrypt ``reader`` into ``writer``; the failure named as the user needs it."""
    ident = x25519.Identity.from_str(identity)
    try:
        pyrage.decrypt_io(reader, writer, [ident])
    except pyrage.DecryptError as exc:
        text = str(exc).lower()
        if "no matching keys" in text:
            raise CountyKeyMismatch() from exc
        if "header" in text or "unknown format" in text or "invalid" in text:
            raise NotABundle() from exc
        raise BundleDamaged(check="decrypt") from exc
    except OSError as exc:  # the stream's chunks failed authentication or ended early
        raise BundleDamaged(check="decrypt") from exc
