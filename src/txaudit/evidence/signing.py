"""Ed25519 signatures over the ledger head, so third parties can check a published store.

The publisher signs ``txaudit-ledger-head:<seq>:<hash>`` (the newest event's number and
hash) and publishes the signature file and the public key. A reader who runs ``verify``
with them learns that the store's history up to that event is the one the key holder
signed: the chain makes any earlier change alter the hash of event ``seq``. Events added
after signing are reported as not covered, not as errors.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from txaudit.errors import ConfigError, InputError
from txaudit.evidence.ledger import Problem, utc_now

if TYPE_CHECKING:
    from txaudit.evidence.store import Store


def _message(seq: int, head: str) -> bytes:
    return f"txaudit-ledger-head:{seq}:{head}".encode()


def generate_key(path: Path) -> Path:
    """Write a new private key (PEM, unencrypted) to ``path`` and its public key to
    ``path.pub``; returns the public key's path. Keep the private key secret."""
    if path.exists():
        raise InputError("key file exists already; refusing to overwrite it", file=str(path))
    key = Ed25519PrivateKey.generate()
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)
    pub = path.with_name(path.name + ".pub")
    pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    return pub


def _load_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{path}: not an Ed25519 key")
    return key


def _load_public(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except ValueError as exc:
        raise ConfigError(f"{path}: not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"{path}: not an Ed25519 public key")
    return key


def sign_head(store: Store, private_key: Path) -> dict[str, Any]:
    """A signed statement of the store's current ledger head (JSON-ready dict)."""
    key = _load_private(private_key)
    ledger = store.ledger()
    if ledger.empty:
        raise InputError("the ledger is empty; nothing to sign")
    seq, head = int(ledger.iloc[-1]["seq"]), str(ledger.iloc[-1]["hash"])
    return {
        "seq": seq,
        "head": head,
        "signed_at": utc_now(),
        "algorithm": "Ed25519",
        "signature": base64.b64encode(key.sign(_message(seq, head))).decode(),
    }


def check_signature(store: Store, signature_file: Path, public_key: Path) -> list[Problem]:
    """Problems with a signed head: bad signature, or the store's event differs."""
    try:
        statement = json.loads(signature_file.read_text(encoding="utf-8"))
        seq, head = int(statement["seq"]), str(statement["head"])
        signature = base64.b64decode(statement["signature"])
    except (ValueError, KeyError, TypeError):
        raise InputError("not a txaudit signature file", file=str(signature_file)) from None
    where = f"signature {signature_file.name}"
    try:
        _load_public(public_key).verify(signature, _message(seq, head))
    except InvalidSignature:
        return [Problem("signature", where, "does not match the public key")]
    ledger = store.ledger().set_index("seq")
    if seq not in ledger.index:
        return [Problem("signature", where, f"signs event {seq}, which the store lacks")]
    actual = str(ledger.loc[seq, "hash"])
    if actual != head:
        return [Problem("signature", where,
                        f"signs a different history: event {seq} hash is {actual}, "
                        f"signed {head}")]
    return []
