"""A person's data as a whole: what the catalog says is theirs, the take-away ZIP, and deleting the account.

Below the feature packages (it needs only `db` and `domain`): which tables hold a person's rows is read from
the database's own foreign keys, so a table added later joins the export and the deletion preview by itself.
"""

from cine_core.account.deletion import AccountRows, count_account_rows, delete_account
from cine_core.account.export import EXPORT_CSV_FILES, build_export_zip
from cine_core.account.tables import UserTable, user_tables

__all__ = ["EXPORT_CSV_FILES", "AccountRows", "UserTable", "build_export_zip", "count_account_rows",
           "delete_account", "user_tables"]
