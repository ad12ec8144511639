"""The visit full-text index: FTS5 on SQLite, a GIN-indexed tsvector table on PostgreSQL (the same CJK
bigrams in both), plain substring matching on any other database."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, or_, select, text
from sqlalchemy.orm import Session

from db.models import Matter, Visit
from db.textsearch import index_body, match_expression, tsquery_expression, tsvector_literal

SEARCH_TABLE = "visit_search"


def is_managed_by_alembic(name: str | None, type_: str, *_args: object) -> bool:
    """Alembic include_name hook: FTS5 shadow tables are created by raw SQL and not modelled."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))


def visit_index_body(visit: Visit, matter: Matter, name: str, address: str) -> str:
    return index_body(
        matter.summary, matter.involved_unit, matter.location, matter.jurisdiction, visit.explanation, name, address
    )


def add_to_index(session: Session, visit_id: int, body: str) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(
            text("INSERT INTO visit_search(rowid, body) VALUES (:id, :body)"), {"id": visit_id, "body": body}
        )
    elif dialect == "postgresql":
        session.execute(
            text("INSERT INTO visit_search (visit_id, body) VALUES (:id, CAST(:body AS tsvector))"),
            {"id": visit_id, "body": tsvector_literal(body)},
        )


def remove_from_index(session: Session, visit_id: int, old_body: str) -> None:
    """Contentless FTS5 tables need the exact old body to delete a row."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("DELETE FROM visit_search WHERE visit_id = :id"), {"id": visit_id})
    if dialect != "sqlite":
        return
    session.execute(
        text("INSERT INTO visit_search(visit_search, rowid, body) VALUES ('delete', :id, :body)"),
        {"id": visit_id, "body": old_body},
    )


def free_text_condition(session: Session, groups: Sequence[Sequence[str]]) -> ColumnElement[bool] | None:
    """A WHERE condition on Visit rows whose text contains, for every group, one of the group's terms.

    A group is one query term with its equivalents (see db.textsearch.match_expression). None when
    nothing is searchable.
    """
    if session.get_bind().dialect.name == "sqlite":
        expression = match_expression(groups)
        if expression is None:
            return None
        matching_ids = (
            select(text("rowid"))
            .select_from(text("visit_search"))
            .where(text("visit_search MATCH :expr").bindparams(expr=expression))
        )
        return Visit.id.in_(matching_ids)
    if session.get_bind().dialect.name == "postgresql":
        query = tsquery_expression(groups)
        if query is None:
            return None
        matching_ids = (
            select(text("visit_id"))
            .select_from(text("visit_search"))
            .where(text("body @@ CAST(:query AS tsquery)").bindparams(query=query))
        )
        return Visit.id.in_(matching_ids)
    return substring_condition(groups)


def substring_condition(groups: Sequence[Sequence[str]]) -> ColumnElement[bool] | None:
    """The same search without an index, for databases that have no FTS5 (a scan, fine for small offices).

    Matter columns are reached through a subquery so the condition can be added to a query over visits
    that does not join matters.
    """
    clauses = []
    for group in groups:
        alternatives = []
        for term in dict.fromkeys(t.strip() for t in group if t.strip()):
            # Literal % and _ in a term are data, not wildcards.
            pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            matter_ids = select(Matter.id).where(
                or_(
                    Matter.summary.ilike(pattern, escape="\\"),
                    Matter.involved_unit.ilike(pattern, escape="\\"),
                    Matter.location.ilike(pattern, escape="\\"),
                    Matter.jurisdiction.ilike(pattern, escape="\\"),
                )
            )
            alternatives += [Visit.matter_id.in_(matter_ids), Visit.explanation.ilike(pattern, escape="\\")]
        if alternatives:
            clauses.append(or_(*alternatives))
    return and_(*clauses) if clauses else None
