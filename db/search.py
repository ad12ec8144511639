"""The visit full-text index: FTS5 on SQLite, plain substring matching on other databases."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, text
from sqlalchemy.orm import Session

from db.models import Matter, Visit
from reception.textsearch import index_body, match_expression

SEARCH_TABLE = "visit_search"


def is_managed_by_alembic(name: str | None, type_: str, *_args: object) -> bool:
    """Alembic include_name hook: FTS5 shadow tables are created by raw SQL and not modelled."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))


def visit_index_body(visit: Visit, matter: Matter, name: str, address: str) -> str:
    return index_body(
        matter.summary, matter.involved_unit, matter.location, matter.jurisdiction, visit.explanation, name, address
    )


def add_to_index(session: Session, visit_id: int, body: str) -> None:
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("INSERT INTO visit_search(rowid, body) VALUES (:id, :body)"), {"id": visit_id, "body": body})


def remove_from_index(session: Session, visit_id: int, old_body: str) -> None:
    """Contentless FTS5 tables need the exact old body to delete a row."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(
        text("INSERT INTO visit_search(visit_search, rowid, body) VALUES ('delete', :id, :body)"),
        {"id": visit_id, "body": old_body},
    )


def free_text_condition(session: Session, query: str) -> ColumnElement[bool] | None:
    """A WHERE condition on Visit/Matter rows whose text contains query."""
    if session.get_bind().dialect.name == "sqlite":
        expression = match_expression(query)
        if expression is None:
            return None
        matching_ids = (
            select(text("rowid"))
            .select_from(text("visit_search"))
            .where(text("visit_search MATCH :expr").bindparams(expr=expression))
        )
        return Visit.id.in_(matching_ids)
    pattern = f"%{query.strip()}%"
    return or_(
        Matter.summary.ilike(pattern),
        Matter.involved_unit.ilike(pattern),
        Matter.location.ilike(pattern),
        Visit.explanation.ilike(pattern),
    )
