"""The services one running app uses, built once from a database URL and handed to the UI."""

from __future__ import annotations

from dataclasses import dataclass

from db.session import Database, open_database
from reception.visits import VisitService


@dataclass
class Services:
    database: Database
    visits: VisitService

    @classmethod
    def open(cls, url: str) -> Services:
        database = open_database(url)
        return cls(database=database, visits=VisitService(database))

    def close(self) -> None:
        self.database.dispose()
