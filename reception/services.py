"""The services one running app uses, built once from a database URL and handed to the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db.session import Database, open_database
from reception.accounts import AccessControl, AccountService
from reception.audit import AuditLog
from reception.deadlines import DeadlineService
from reception.explanations import ExplanationService
from reception.followup import FollowUpService
from reception.lawlib.library import LawLibrary
from reception.protection import FieldCipher, encrypt_existing, open_cipher
from reception.settings import SettingsService
from reception.visits import VisitService

if TYPE_CHECKING:
    # Matching and documents load on first use so that the window opens without waiting for them.
    from reception.content_store import ContentStore
    from reception.handouts.service import HandoutService
    from reception.ledger import LedgerImporter
    from reception.matching import Matcher
    from reception.person_export import PersonExport
    from reception.retention import RetentionService
    from reception.statistics import StatisticsService


@dataclass
class Services:
    database: Database
    visits: VisitService
    laws: LawLibrary
    settings: SettingsService
    followup: FollowUpService
    explanations: ExplanationService
    audit: AuditLog
    # Who is logged in; every service above checks it before acting (reception.accounts).
    access: AccessControl
    accounts: AccountService
    cipher: FieldCipher

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> Services:
        """Open (and migrate) the database at url; with create=False a missing SQLite file is refused
        (DatabaseMissingError) instead of becoming a new, empty database. Raises KeyMissingError, changing
        nothing, when the database's numbers are encrypted with a key this machine does not have."""
        database = open_database(url, create=create)
        try:
            cipher = open_cipher(database)
        except BaseException:
            database.dispose()
            raise
        access = AccessControl()
        audit = AuditLog(database, access=access)
        # Numbers an older version kept in the clear are encrypted now, after a backup of the file as it was.
        encrypt_existing(database, cipher, before=lambda: _backup_before_encrypting(database, audit))
        laws = LawLibrary(database, audit=audit, access=access)
        # New or corrected law texts shipped with an update reach the database at the first start.
        laws.sync_shipped()
        settings = SettingsService(database, audit, access=access)
        deadlines = DeadlineService(settings.holiday_schedules)
        return cls(
            database=database,
            visits=VisitService(database, deadlines=deadlines, audit=audit, access=access, cipher=cipher),
            laws=laws,
            settings=settings,
            followup=FollowUpService(database, deadlines, access=access, audit=audit),
            explanations=ExplanationService(database, access=access, audit=audit),
            audit=audit,
            access=access,
            accounts=AccountService(database, access, audit),
            cipher=cipher,
        )

    def statistics(self, today=None) -> StatisticsService:  # noqa: ANN001 - a date
        from reception.statistics import StatisticsService

        return StatisticsService(self.database, today=today, access=self.access, audit=self.audit)

    def retention(self, today=None) -> RetentionService:  # noqa: ANN001 - a date
        from reception.retention import RetentionService

        return RetentionService(self.database, self.audit, today=today, access=self.access)

    def person_export(self) -> PersonExport:
        from reception.person_export import PersonExport

        return PersonExport(self.database, self.cipher, self.audit, self.access)

    def ledger(self) -> LedgerImporter:
        from reception.ledger import LedgerImporter

        return LedgerImporter(self.database, self.visits)

    _matcher: Matcher | None = field(default=None, init=False, repr=False)

    def matcher(self) -> Matcher:
        """The matcher over the laws in force, built on first use (its index is cached on disk)."""
        if self._matcher is None:
            from reception.matching import Matcher
            from reception.matching.guide import load_guide

            # The office's published classification guide, if it edited one.
            self._matcher = Matcher(self.laws, guide=load_guide(self.content.texts("classification")["guide"]))
        return self._matcher

    def reset_matcher(self) -> None:
        """Forget the matcher after the library changed (a law marked or imported); the next use rebuilds it."""
        self._matcher = None

    _content: ContentStore | None = field(default=None, init=False, repr=False)

    @property
    def content(self) -> ContentStore:
        """The office's content over the shipped content; a change makes documents and matching reload it."""
        if self._content is None:
            from reception.content_store import ContentStore

            self._content = ContentStore(
                self.database, self.audit, self.access, on_change=self.content_changed, laws=self.laws
            )
        return self._content

    def content_changed(self) -> None:
        self._handouts = None
        self._matcher = None

    _handouts: HandoutService | None = field(default=None, init=False, repr=False)

    def handouts(self) -> HandoutService:
        """Documents for petitioners; reads the guides and the classification guide on first use."""
        if self._handouts is None:
            from reception.handouts.service import HandoutService
            from reception.matching.guide import load_guide

            self._handouts = HandoutService(
                self.database, self.laws, self.visits, self.settings,
                classification=load_guide(self.content.texts("classification")["guide"]),
                guide_texts=self.content.texts("guide"), case_texts=self.content.texts("cases"),
                audit=self.audit, access=self.access,
            )  # fmt: skip
        return self._handouts

    def close(self) -> None:
        self.database.dispose()


def _backup_before_encrypting(database: Database, audit: AuditLog) -> None:
    from db.session import sqlite_file
    from reception.backup import backup, default_folder

    if sqlite_file(database.url) is None:
        return  # a server database is backed up by its own tools before an upgrade
    result = backup(database.url, default_folder())
    audit.record("backup", "", result.path.name, "加密身份证号和电话之前的备份")
