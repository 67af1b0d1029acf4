"""The SQL of the typed exports: the CSVs' text cells typed by the data package (empty or unparsable cells NULL),
the tables' declared columns and comments, and the database's macros and views.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}
FACT_TABLES = ("partners", "dates", "figures", "commitments", "questions", "repairs")

# Partial ISO dates (YYYY, YYYY-MM) become the first (iso_start) or last (iso_end) day they cover, so they
# sort and compare as DATEs.
MACROS = (
    "CREATE MACRO iso_start(d) AS TRY_CAST(CASE length(d) WHEN 4 THEN d || '-01-01' "
    "WHEN 7 THEN d || '-01' ELSE d END AS DATE)",
    "CREATE MACRO iso_end(d) AS TRY_CAST(CASE length(d) WHEN 4 THEN d || '-12-31' "
    "WHEN 7 THEN CAST(last_day(TRY_CAST(d || '-01' AS DATE)) AS VARCHAR) ELSE d END AS DATE)",
)

VIEWS: dict[str, tuple[str, str]] = {
    "partners_by_date": (
        "Partners with a joining date, earliest first, with the document that states it.",
        """SELECT p.date AS joined, iso_start(p.date) AS joined_on, p.partner, p.partner_type, p.doc_id,
                  d.doc_type, d.date AS doc_date, d.title AS doc_title, p.mention, p.page, p.evidence
           FROM partners p LEFT JOIN documents d USING (doc_id)
           WHERE p.date IS NOT NULL
           ORDER BY joined_on, p.partner, p.doc_id, p.char_start""",
    ),
    "partners_first_joined": (
        "One row per canonical partner across all documents: the earliest joining date any document states (of "
        "dates that overlap, the most precise: 2012-03-26 rather than 2012), the document and evidence stating it, "
        "and the documents that mention the partner (how many, and their doc_ids joined by '|').",
        """SELECT partner, first_joined, iso_start(first_joined) AS first_joined_on, first_doc_id, documents, mentions,
                  partner_type, first_evidence, doc_ids
           FROM (SELECT partner,
                        first(date ORDER BY iso_end(date), length(date) DESC, doc_id)
                            FILTER (WHERE iso_end(date) IS NOT NULL) AS first_joined,
                        first(doc_id ORDER BY iso_end(date), length(date) DESC, doc_id)
                            FILTER (WHERE iso_end(date) IS NOT NULL) AS first_doc_id,
                        first(evidence ORDER BY iso_end(date), length(date) DESC, doc_id, char_start)
                            FILTER (WHERE iso_end(date) IS NOT NULL) AS first_evidence,
                        count(DISTINCT doc_id) AS documents, count(*) AS mentions,
                        min(partner_type) AS partner_type,
                        string_agg(DISTINCT doc_id, '|' ORDER BY doc_id) AS doc_ids
                 FROM partners GROUP BY partner)
           ORDER BY first_joined_on NULLS LAST, partner""",
    ),
    "figures_over_time": (
        "Figures with the year they refer to (else the document's year) and the document's type and date.",
        """SELECT coalesce(TRY_CAST(f.year AS INTEGER), year(iso_start(d.date))) AS year, f.value, f.unit,
                  f.qualifier, f.measure, f.subject, f.doc_id, d.doc_type, d.date AS doc_date, f.text, f.evidence
           FROM figures f LEFT JOIN documents d USING (doc_id)
           ORDER BY year NULLS LAST, f.unit, f.measure, f.doc_id, f.char_start""",
    ),
    "document_summary": (
        "One row per document with the number of facts of each kind.",
        """SELECT d.doc_id, d.doc_type, d.date, d.title, d.pages, d.text_source, d.text_quality,
                  {counts}
           FROM documents d ORDER BY d.doc_id""",
    ),
}


def column_to_sql(column: str, schema_type: str) -> str:
    """SQL expression turning a raw CSV text cell into its typed value (empty or unparsable -> NULL).

    >>> column_to_sql("page", "integer")
    'TRY_CAST(NULLIF("page", \\'\\') AS BIGINT) AS "page"'
    """
    if schema_type == "string":
        return f"NULLIF(\"{column}\", '') AS \"{column}\""
    return f"TRY_CAST(NULLIF(\"{column}\", '') AS {SQL_TYPES[schema_type]}) AS \"{column}\""


# The columns a partial ISO date is followed by in the typed tables: suffix, SQL type, what it says.
PARTIAL_DATE_COLUMNS = (
    ("precision", "VARCHAR", "day, month or year"),
    ("first_day", "DATE", "the first day it covers"),
)


class TypedColumn(NamedTuple):
    name: str
    sql_type: str
    expression: str  # its value from the CSV's text cells (`column_to_sql`)
    comment: str


def partial_date_to_sql(column: str) -> list[str]:
    """The columns typed exports add beside an ISO date that may hold only a month or a year, in the order of
    `PARTIAL_DATE_COLUMNS`: its precision and the first day it covers, a DATE to sort by and compute with
    ('2012-03' -> 'month', 2012-03-01)."""
    quoted = f'"{column}"'
    return [
        f"CASE length({quoted}) WHEN 10 THEN 'day' WHEN 7 THEN 'month' WHEN 4 THEN 'year' END "
        f'AS "{column}_precision"',
        f"TRY_CAST(CASE length({quoted}) WHEN 4 THEN {quoted} || '-01-01' WHEN 7 THEN {quoted} || '-01' "
        f'ELSE {quoted} END AS DATE) AS "{column}_first_day"',
    ]


def typed_columns(fields: list[dict[str, Any]]) -> list[TypedColumn]:
    """The columns of a typed table: every field, each partial date followed by its added columns. One list serves
    the table made from the CSV (`fields_to_sql`), the table declared before its rows (`fields_to_ddl`) and the
    comments, so that the three cannot part."""
    columns = []
    for f in fields:
        name = f["name"]
        typed = column_to_sql(name, f["type"])
        columns.append(TypedColumn(name, SQL_TYPES[f["type"]], typed, f.get("description", "")))
        if f.get("partialDate"):
            for (suffix, sql_type, meaning), expression in zip(PARTIAL_DATE_COLUMNS, partial_date_to_sql(name),
                                                                strict=True):
                columns.append(TypedColumn(f"{name}_{suffix}", sql_type, expression, f"{name}: {meaning}"))
    return columns


def fields_to_sql(fields: list[dict[str, Any]]) -> str:
    """The SELECT list of a typed table from the CSV's text cells."""
    return ", ".join(column.expression for column in typed_columns(fields))


def fields_to_ddl(fields: list[dict[str, Any]]) -> str:
    """The column definitions of a typed table, so that it can be made before its rows, as cheaply as a statement
    can be.

    >>> fields_to_ddl([{"name": "date", "type": "string", "partialDate": True}, {"name": "page", "type": "integer"}])
    '"date" VARCHAR, "date_precision" VARCHAR, "date_first_day" DATE, "page" BIGINT'
    """
    return ", ".join(f'"{column.name}" {column.sql_type}' for column in typed_columns(fields))


def sql_literal(text: str) -> str:
    """A single-quoted SQL string literal.

    >>> sql_literal("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def raw_source(path: Path, columns: list[str]) -> str:
    """What a table's CSV text is selected from: the CSV read as text, every column declared (no guessing), or no
    rows when the CSV is missing."""
    if not path.exists():
        return "(SELECT " + ", ".join(f'CAST(NULL AS VARCHAR) AS "{c}"' for c in columns) + " WHERE false)"
    spec = ", ".join(f"{sql_literal(c)}: 'VARCHAR'" for c in columns)
    return (
        f"read_csv({sql_literal(str(path))}, header=true, auto_detect=false, delim=',', quote='\"', "
        f"escape='\"', new_line='\\n', columns={{{spec}}})"
    )


def comments_to_sql(resource: dict[str, Any]) -> str:
    """The COMMENT statements of a typed table: its description and its columns' (the added date columns too)."""
    name = resource["name"]
    comments = [f"COMMENT ON TABLE \"{name}\" IS {sql_literal(resource.get('description', ''))}"]
    for column in typed_columns(resource["schema"]["fields"]):
        comments.append(f"COMMENT ON COLUMN \"{name}\".\"{column.name}\" IS {sql_literal(column.comment)}")
    return ";\n".join(comments)


def views_to_sql() -> list[str]:
    """The statements that make the macros and the commented views of the database (its tables made before)."""
    statements = list(MACROS)
    counts = ",\n".join(
        f"(SELECT count(*) FROM {t} f WHERE f.doc_id = d.doc_id) AS {t}" for t in FACT_TABLES
    )
    for name, (description, sql) in VIEWS.items():
        statements.append(f"CREATE VIEW {name} AS {sql.replace('{counts}', counts)}")
        statements.append(f"COMMENT ON VIEW {name} IS {sql_literal(description)}")
    for table in FACT_TABLES:
        statements.append(
            f"CREATE VIEW {table}_with_documents AS SELECT f.*, d.doc_type, d.date AS doc_date, "
            f"d.title AS doc_title FROM {table} f LEFT JOIN documents d USING (doc_id)"
        )
        statements.append(
            f"COMMENT ON VIEW {table}_with_documents IS "
            f"{sql_literal(f'Every row of {table} with its document type, date and title.')}"
        )
    return statements
