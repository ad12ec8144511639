"""The services one running app uses, built once from a database URL and handed to the UI."""

from __future__ import annotations

from dataclasses import dataclass

from db.session import Database, open_database
from reception.lawlib.library import LawLibrary
from reception.visits import VisitService


@dataclass
class Services:
    database: Database
    visits: VisitService
    laws: LawLibrary

    @classmethod
    def open(cls, url: str) -> Services:
        database = open_database(url)
        laws = LawLibrary(database)
        # New or corrected law texts shipped with an update reach the database at the first start.
        laws.sync_shipped()
        return cls(database=database, visits=VisitService(database), laws=laws)

    def close(self) -> None:
        self.database.dispose()
