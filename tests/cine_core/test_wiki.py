"""Wikipedia enrichment: found summaries are attached; failures never raise and are counted."""

from __future__ import annotations

import httpx

from cine_core.config import Settings
from cine_core.domain.models import Movie
from cine_core.films.cache import MovieStore
from cine_core.films.wiki import WikipediaEnricher, build_enricher
from cine_core.metering.usage import UsageRecorder

MATRIX = Movie(id=603, title="The Matrix", year=1999, source="tmdb")
SUMMARY = {
    "type": "standard", "title": "The Matrix", "description": "1999 film by the Wachowskis",
    "extract": "The Matrix is a 1999 science fiction action film written and directed by the Wachowskis.",
    "content_urls": {"desktop": {"page": "https://en.wikipedia.org/wiki/The_Matrix"}},
}


def enricher(handler, pool=None) -> WikipediaEnricher:
    return WikipediaEnricher(usage=UsageRecorder(pool), base_url="https://wiki.test/api/rest_v1",
                             http_client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_summary_is_attached_from_the_first_page_about_the_film():
    asked = []

    def handler(request):
        asked.append(request.url.path)
        if request.url.path.endswith("The_Matrix_(1999_film)"):
            return httpx.Response(404, json={"type": "not_found"})
        return httpx.Response(200, json=SUMMARY)

    enriched = enricher(handler)(MATRIX)
    assert enriched.enrichment["wikipedia"]["url"] == "https://en.wikipedia.org/wiki/The_Matrix"
    assert len(asked) == 2


def test_failures_never_raise_and_stop_after_a_few(pool):
    calls = []

    def handler(request):
        calls.append(1)
        raise httpx.ConnectError("no network")

    wiki = enricher(handler, pool)
    for _ in range(5):
        assert wiki(MATRIX) == MATRIX
    assert len(calls) == 3 and not wiki.enabled


class _Source:
    name = "tmdb"

    def details(self, movie_id):
        return Movie(id=movie_id, title="The Matrix", year=1999, source="tmdb")


def test_calls_are_counted_and_enrichment_stored(pool):
    """The film store is the one writer of `movies.web_enrichment` (it stores what the enricher adds)."""
    MovieStore(pool, _Source(), enrich=enricher(lambda request: httpx.Response(200, json=SUMMARY), pool)).movie(603)
    with pool.connection() as conn:
        usage = conn.execute("select service, operation from public.api_usage").fetchall()
        stored = conn.execute("select web_enrichment from public.movies where id = 603").fetchone()
    assert [(u["service"], u["operation"]) for u in usage] == [("wikipedia", "page_summary")]
    assert stored["web_enrichment"]["wikipedia"]["title"] == "The Matrix"


def test_store_applies_the_enricher_to_fetched_films(pool):
    store = MovieStore(pool, _Source(), enrich=enricher(lambda request: httpx.Response(200, json=SUMMARY)))
    assert store.movie(603).enrichment["wikipedia"]["title"] == "The Matrix"


def test_off_when_offline_or_disabled():
    assert build_enricher(Settings(_env_file=None)) is None
    assert build_enricher(Settings(_env_file=None, tmdb_api_key="k", cine_wikipedia=False)) is None
    assert build_enricher(Settings(_env_file=None, tmdb_api_key="k")) is not None
