"""ID and phone numbers encrypted at rest (AES-GCM), found again through keyed hashes.

The key is a 32-byte file outside the database (the user's config folder, or RECEPTION_KEY_FILE): a copied
database file alone does not give the numbers away. A fingerprint of the key is kept in the database, so
that opening it with no key, or with another office's key, is refused with a clear message instead of
silently writing numbers nobody can read again. Lookups compare HMAC-SHA256 hashes of the normalised
number (a separate subkey), which an index serves as fast as the plain number did.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_config_path
from sqlalchemy import or_, select

from db.models import Petitioner, Setting, VisitRepresentative
from db.session import Database
from reception.config import APP_AUTHOR, APP_NAME
from reception.errors import UserError

KEY_FILE_ENV = "RECEPTION_KEY_FILE"
_KEY_CHECK_SETTING = "protection.key_check"
# Set once every number is encrypted: later starts skip the scan for numbers left in the clear.
_ALL_ENCRYPTED_SETTING = "protection.all_encrypted"
_PREFIX = "v1:"
_NONCE_BYTES = 12


class KeyMissingError(UserError):
    """The database holds encrypted numbers and the key to read them is not where it should be."""


def key_path() -> Path:
    override = os.environ.get(KEY_FILE_ENV)
    return Path(override) if override else user_config_path(APP_NAME, APP_AUTHOR) / "data.key"


class FieldCipher:
    """Encrypts and hashes the personal numbers of one database with one key."""

    def __init__(self, key: bytes):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(key) != 32:
            raise ValueError("the key must be 32 bytes")
        self._aead = AESGCM(key)
        self._lookup_key = hmac.new(key, b"reception lookup hash v1", hashlib.sha256).digest()
        self.fingerprint = hmac.new(key, b"reception key check v1", hashlib.sha256).hexdigest()[:32]

    def encrypt(self, value: str | None) -> str | None:
        """Ciphertext of value ("" and None stay as they are, so "no number given" stays visible)."""
        if not value:
            return value
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), None)
        return _PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, stored: str | None) -> str:
        if not stored:
            return ""
        if not stored.startswith(_PREFIX):
            return stored  # not yet migrated (only between an upgrade and encrypt_existing)
        raw = base64.b64decode(stored[len(_PREFIX) :])
        return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode("utf-8")

    def lookup_hash(self, normalised: str | None) -> str | None:
        """The keyed hash an equality lookup compares; None/"" for no number, like the number itself."""
        if not normalised:
            return None
        return hmac.new(self._lookup_key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()

    @staticmethod
    def is_encrypted(stored: str | None) -> bool:
        return bool(stored) and stored.startswith(_PREFIX)


def open_cipher(database: Database, path: Path | None = None) -> FieldCipher:
    """The cipher of this database: its key file read, or created for a database that has none yet.

    Raises KeyMissingError, changing nothing, when the database was encrypted with a key that is not here.
    """
    path = path or key_path()
    with database.unit_of_work() as uow:
        row = uow.session.get(Setting, _KEY_CHECK_SETTING)
        expected = row.value if row is not None else ""
    if path.exists():
        key = path.read_bytes()
        if len(key) != 32:
            raise KeyMissingError(
                f"密钥文件已损坏（长度不对）：{path}\n请用备份的密钥文件替换它；在此之前不能读取身份证号和电话。"
            )
        cipher = FieldCipher(key)
        if expected and expected != cipher.fingerprint:
            raise KeyMissingError(
                f"本机的密钥文件与这个数据库不匹配：{path}\n"
                "数据库中的身份证号和电话是用另一把密钥加密的。请放回与该数据库一起备份的密钥文件；"
                "数据库未作任何改动。"
            )
    elif expected:
        raise KeyMissingError(
            f"找不到数据库的加密密钥：{path}\n"
            "数据库中的身份证号和电话已加密，没有密钥无法读取。请把备份的密钥文件放回该位置"
            f"（或用环境变量 {KEY_FILE_ENV} 指明它的位置）后重新打开；数据库未作任何改动。"
        )
    else:
        key = os.urandom(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created with owner-only permissions from the start, not chmod-ed after being readable.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        cipher = FieldCipher(key)
    if not expected:
        with database.unit_of_work(write_lock="protection") as uow:
            uow.session.merge(Setting(key=_KEY_CHECK_SETTING, value=cipher.fingerprint))
            uow.commit()
    return cipher


def _person_in_clear():  # noqa: ANN202 - a SQL condition
    return or_(
        Petitioner.id_number.is_not(None) & Petitioner.id_hash.is_(None),
        (Petitioner.phone != "") & (Petitioner.phone_hash == ""),
    )


def _representative_in_clear():  # noqa: ANN202 - a SQL condition
    # Representatives have no phone hash: a phone without the ciphertext prefix is one in the clear.
    return or_(
        VisitRepresentative.id_number.is_not(None) & VisitRepresentative.id_hash.is_(None),
        VisitRepresentative.phone.not_like(_PREFIX + "%") & (VisitRepresentative.phone != ""),
    )


def plaintext_remaining(database: Database) -> int:
    """How many people and representatives still hold a number in the clear (an upgraded database)."""
    from sqlalchemy import func

    with database.unit_of_work() as uow:
        people = uow.session.scalar(select(func.count(Petitioner.id)).where(_person_in_clear()))
        reps = uow.session.scalar(select(func.count(VisitRepresentative.id)).where(_representative_in_clear()))
    return (people or 0) + (reps or 0)


def encrypt_existing(
    database: Database, cipher: FieldCipher, before: Callable[[], object] | None = None, batch: int = 2000
) -> int:
    """Encrypt the numbers an older version stored in the clear, in batches that each commit whole.

    `before` runs first when there is anything to do (the caller's backup). A run interrupted half-way leaves
    every row either old-style or fully encrypted with its hashes, and the next start finishes the rest.
    """
    with database.unit_of_work() as uow:
        if uow.session.get(Setting, _ALL_ENCRYPTED_SETTING) is not None:
            return 0
    if plaintext_remaining(database) == 0:
        _mark_all_encrypted(database)
        return 0
    if before is not None:
        before()
    done = 0
    while True:
        with database.unit_of_work(write_lock="protection") as uow:
            people = uow.session.scalars(select(Petitioner).where(_person_in_clear()).limit(batch)).all()
            reps = uow.session.scalars(select(VisitRepresentative).where(_representative_in_clear()).limit(batch)).all()
            if not people and not reps:
                uow.commit()
                _mark_all_encrypted(database)
                return done
            for person in people:
                if person.id_number and not cipher.is_encrypted(person.id_number):
                    person.id_hash = cipher.lookup_hash(person.id_number)
                    person.id_number = cipher.encrypt(person.id_number)
                if person.phone and not cipher.is_encrypted(person.phone):
                    person.phone_hash = cipher.lookup_hash(person.phone) or ""
                    person.phone = cipher.encrypt(person.phone)
            for rep in reps:
                if rep.id_number and not cipher.is_encrypted(rep.id_number):
                    rep.id_hash = cipher.lookup_hash(rep.id_number)
                    rep.id_number = cipher.encrypt(rep.id_number)
                if rep.phone and not cipher.is_encrypted(rep.phone):
                    rep.phone = cipher.encrypt(rep.phone)
            uow.commit()
            done += len(people) + len(reps)


def _mark_all_encrypted(database: Database) -> None:
    with database.unit_of_work(write_lock="protection") as uow:
        uow.session.merge(Setting(key=_ALL_ENCRYPTED_SETTING, value="1"))
        uow.commit()
