"""The dashboard's 'Now on your services' notice: shown for arrivals, gone after 'Got it'."""

from __future__ import annotations

from cine_core.db import transaction


def test_an_arrival_shows_on_the_dashboard_until_dismissed(app, pool, local_user):
    with transaction(pool) as conn:
        conn.execute("insert into service_arrivals (user_id, movie_id, region, services, arrived_at)"
                     " values (%s, 27205, 'US', '{Netflix}', now())", (local_user,))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Now on your services" in m.value and "Inception" in m.value and "Netflix" in m.value
               for m in app.markdown)
    app.button(key="arrivals-dismiss").click().run()
    assert not any("Now on your services" in m.value for m in app.markdown)
    with transaction(pool) as conn:
        assert conn.execute("select noticed_at from service_arrivals").fetchone()["noticed_at"] is not None
