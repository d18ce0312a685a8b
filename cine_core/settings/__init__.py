"""A person's settings (`public.user_settings`): region, streaming services, the weekly email opt-in.

Below the feature packages (it needs only `db` and `domain`), so the app, the recommender's streamable
nudge and the digest all read the same row the same way.
"""

from cine_core.settings.store import (
    known_providers,
    load_settings,
    save_settings,
    settings_of_users,
    streaming_services,
)

__all__ = ["known_providers", "load_settings", "save_settings", "settings_of_users", "streaming_services"]
