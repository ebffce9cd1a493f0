"""The Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from federation.db import Database
from federation.models import Base


def test_migrated_database_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_history_is_one_line_with_one_head() -> None:
    """Migrations form one linear history after the merge revision 0013: one head, and no later revision with two
    parents or two children."""
    from alembic.script import ScriptDirectory

    from federation.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    assert len(scripts.get_heads()) == 1, f"several heads {scripts.get_heads()}: revise the newest revision"
    merge_seen = False
    for revision in reversed(list(scripts.walk_revisions())):  # oldest first
        parents = revision._normalized_down_revisions
        if merge_seen:
            assert len(parents) == 1, f"{revision.revision} has {len(parents)} parents; add revisions in a line"
        merge_seen = merge_seen or revision.revision == "0013_one_history"
        if merge_seen:
            children = [r for r in scripts.walk_revisions() if revision.revision in r._normalized_down_revisions]
            assert len(children) <= 1, f"{revision.revision} has {len(children)} children; keep one line"
