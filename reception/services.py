"""The services one running app uses, built once from a database URL and handed to the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db.session import Database, open_database
from reception.audit import AuditLog
from reception.deadlines import DeadlineService
from reception.explanations import ExplanationService
from reception.followup import FollowUpService
from reception.lawlib.library import LawLibrary
from reception.settings import SettingsService
from reception.visits import VisitService

if TYPE_CHECKING:
    # Matching and documents load on first use so that the window opens without waiting for them.
    from reception.handouts.service import HandoutService
    from reception.matching import Matcher


@dataclass
class Services:
    database: Database
    visits: VisitService
    laws: LawLibrary
    settings: SettingsService
    followup: FollowUpService
    explanations: ExplanationService
    audit: AuditLog

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> Services:
        """Open (and migrate) the database at url; with create=False a missing SQLite file is refused
        (DatabaseMissingError) instead of becoming a new, empty database."""
        database = open_database(url, create=create)
        audit = AuditLog(database)
        laws = LawLibrary(database, audit=audit)
        # New or corrected law texts shipped with an update reach the database at the first start.
        laws.sync_shipped()
        settings = SettingsService(database, audit)
        deadlines = DeadlineService(settings.holiday_schedules)
        return cls(
            database=database,
            visits=VisitService(database, deadlines=deadlines, audit=audit),
            laws=laws,
            settings=settings,
            followup=FollowUpService(database, deadlines),
            explanations=ExplanationService(database),
            audit=audit,
        )

    _matcher: Matcher | None = field(default=None, init=False, repr=False)

    def matcher(self) -> Matcher:
        """The matcher over the laws in force, built on first use (its index is cached on disk)."""
        if self._matcher is None:
            from reception.matching import Matcher

            self._matcher = Matcher(self.laws)
        return self._matcher

    def reset_matcher(self) -> None:
        """Forget the matcher after the library changed (a law marked or imported); the next use rebuilds it."""
        self._matcher = None

    _handouts: HandoutService | None = field(default=None, init=False, repr=False)

    def handouts(self) -> HandoutService:
        """Documents for petitioners; reads the guides and the classification guide on first use."""
        if self._handouts is None:
            from reception.handouts.service import HandoutService

            self._handouts = HandoutService(self.database, self.laws, self.visits, self.settings, audit=self.audit)
        return self._handouts

    def close(self) -> None:
        self.database.dispose()
