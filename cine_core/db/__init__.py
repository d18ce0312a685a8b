"""Database access: the embedded server, the connection pool, transactions (service and user-scoped),
migrations and named SQL files. Only `domain` and `config` lie below this package."""

from cine_core.db.app_role import APP_ROLE, app_database_url, open_app_pool
from cine_core.db.embedded import database_url, embedded_database_url, prepare_runtime_dir
from cine_core.db.migrations import ensure_local_user, is_supabase, migrate, migration_files
from cine_core.db.named_sql import load_sql, sql_file, sql_queries
from cine_core.db.pool import (
    AppPool,
    NoServiceRights,
    app_transaction,
    check_connection,
    open_pool,
    service_transaction,
    shared_transaction,
    transaction,
    translate_errors,
    user_transaction,
)

__all__ = [
    "APP_ROLE", "AppPool", "app_database_url", "app_transaction", "check_connection", "database_url",
    "embedded_database_url", "ensure_local_user", "is_supabase", "load_sql", "migrate", "migration_files",
    "NoServiceRights", "open_app_pool", "open_pool", "prepare_runtime_dir", "service_transaction",
    "shared_transaction", "sql_file", "sql_queries",
    "transaction", "translate_errors", "user_transaction",
]
