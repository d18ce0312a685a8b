"""The weekly email as a message: HTML (inline styles, as mail clients need) and the same in plain text."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from cine_core.digest.compose import DigestFilm
from cine_core.domain.watch import ATTRIBUTION, JUSTWATCH_URL, Provider, where_to_watch

SUBJECT = "{count} new films I found for you this week"
POSTER_SIZE = "w185"
LOGO_PIXELS = 24
LOGOS_PER_FILM = 5


@dataclass(frozen=True, slots=True)
class EmailContext:
    """Who gets the email and the links it carries."""

    to: str
    sender: str
    public_url: str  # the app, e.g. https://cine.example.com
    unsubscribe_url: str
    region: str
    services: tuple[str, ...] = ()
    arrived: tuple[str, ...] = ()  # "Inception (2010) is now on Netflix": films that arrived on their services


def film_url(public_url: str, movie_id: int) -> str:
    return f"{public_url.rstrip('/')}/film?id={movie_id}"


def _where_text(film: DigestFilm, ctx: EmailContext) -> str | None:
    offers = where_to_watch(film.movie.watch_providers, ctx.region)
    if offers is None:
        return None
    kinds = (("Stream", offers.stream), ("Rent", offers.rent), ("Buy", offers.buy))
    parts = [f"{label}: {', '.join(p.name for p in providers)}" for label, providers in kinds if providers]
    return "; ".join(parts)


def _provider(provider: Provider, mine: bool) -> str:
    """Logo and name: many mail clients block images until asked, and the name must still say where."""
    name = html.escape(provider.name)
    url = provider.logo_url()
    logo = (f'<img src="{html.escape(url)}" alt="" width="{LOGO_PIXELS}" height="{LOGO_PIXELS}" '
            f'style="border-radius:5px;margin-right:4px;vertical-align:middle">' if url else "")
    label = f'<b style="color:#1a7f37">{name} ✓</b>' if mine else name
    return f'<span style="display:inline-block;margin:0 10px 4px 0;white-space:nowrap">{logo}{label}</span>'


def _where_html(film: DigestFilm, ctx: EmailContext) -> str:
    offers = where_to_watch(film.movie.watch_providers, ctx.region)
    if offers is None:
        return ""
    mine = {s.casefold() for s in ctx.services}
    if offers.stream:
        label, providers = "Stream on", offers.stream
    else:
        label, providers = "Rent or buy on", tuple({p.id: p for p in (*offers.rent, *offers.buy)}.values())
    logos = "".join(_provider(p, p.name.casefold() in mine) for p in providers[:LOGOS_PER_FILM])
    return (f'<div style="margin-top:8px;font-size:12px;color:#555"><div style="margin-bottom:4px">{label}</div>'
            f'{logos}</div>')


def _film_html(film: DigestFilm, ctx: EmailContext) -> str:
    movie = film.movie
    url = html.escape(film_url(ctx.public_url, movie.id))
    title = html.escape(movie.title) + (f" ({movie.year})" if movie.year else "")
    poster = movie.poster_url(POSTER_SIZE)
    image = (f'<img src="{html.escape(poster)}" alt="" width="92" style="border-radius:6px;display:block">' if poster
             else '<div style="width:92px;height:138px;border-radius:6px;background:#2e2a5a"></div>')
    genres = html.escape(", ".join(movie.genres[:3]))
    return f"""
<tr><td style="padding:14px 0;border-top:1px solid #eee;vertical-align:top;width:104px">
  <a href="{url}">{image}</a></td>
<td style="padding:14px 0 14px 12px;border-top:1px solid #eee;vertical-align:top">
  <a href="{url}" style="font-size:17px;font-weight:600;color:#111;text-decoration:none">{title}</a>
  <div style="font-size:12px;color:#777;margin-top:2px">{genres}</div>
  <div style="font-size:14px;color:#222;margin-top:6px">{html.escape(film.reason)}</div>
  {_where_html(film, ctx)}
  <div style="margin-top:8px"><a href="{url}" style="font-size:13px;color:#c0392b">More about this film →</a></div>
</td></tr>"""


def render_html(films: Sequence[DigestFilm], ctx: EmailContext) -> str:
    rows = "".join(_film_html(f, ctx) for f in films)
    any_offers = any(where_to_watch(f.movie.watch_providers, ctx.region) for f in films)
    mine_note = " ✓ marks your streaming services." if ctx.services else ""
    credit = (f'<p style="font-size:11px;color:#999">Where-to-watch data by <a href="{JUSTWATCH_URL}" '
              f'style="color:#999">JustWatch</a>, via TMDB.{mine_note}</p>' if any_offers else "")
    return f"""<!doctype html>
<html><body style="margin:0;padding:0;background:#f4f4f6">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f6">
<tr><td align="center">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;background:#fff;
       margin:24px 12px;border-radius:10px;padding:24px;font-family:Helvetica,Arial,sans-serif">
<tr><td colspan="2">
  <div style="font-size:13px;color:#c0392b;font-weight:600">🎬 CineAI</div>
  <h1 style="font-size:22px;margin:6px 0 4px;color:#111">{html.escape(subject(films))}</h1>
  <p style="font-size:14px;color:#555;margin:0 0 8px">New releases and what is trending, picked for your taste.</p>
  {_arrived_html(ctx)}
</td></tr>
{rows}
<tr><td colspan="2" style="border-top:1px solid #eee;padding-top:14px">
  {credit}
  <p style="font-size:11px;color:#999">You get this because you switched on the weekly email in CineAI's settings.
  <a href="{html.escape(ctx.unsubscribe_url)}" style="color:#999">Unsubscribe</a> (one click, no sign-in).</p>
</td></tr>
</table></td></tr></table>
</body></html>"""


def _arrived_html(ctx: EmailContext) -> str:
    if not ctx.arrived:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in ctx.arrived)
    return (f'<p style="font-size:14px;color:#111;margin:8px 0 0"><b>Now on your services</b></p>'
            f'<ul style="font-size:14px;color:#333;margin:4px 0 8px">{items}</ul>')


def render_text(films: Sequence[DigestFilm], ctx: EmailContext) -> str:
    lines = [subject(films), ""]
    if ctx.arrived:
        lines += ["Now on your services:", *(f"- {line}" for line in ctx.arrived), ""]
    for number, film in enumerate(films, 1):
        movie = film.movie
        lines.append(f"{number}. {movie.title}" + (f" ({movie.year})" if movie.year else ""))
        lines.append(f"   {film.reason}")
        where = _where_text(film, ctx)
        if where:
            lines.append(f"   {where}")
        lines.append(f"   {film_url(ctx.public_url, movie.id)}")
        lines.append("")
    if any(_where_text(f, ctx) for f in films):
        lines.append(f"{ATTRIBUTION} ({JUSTWATCH_URL}).")
    lines.append(f"Unsubscribe (no sign-in needed): {ctx.unsubscribe_url}")
    return "\n".join(lines) + "\n"


def subject(films: Sequence[DigestFilm]) -> str:
    return SUBJECT.format(count=len(films)) if len(films) != 1 else "1 new film I found for you this week"


def render_email(films: Sequence[DigestFilm], ctx: EmailContext) -> EmailMessage:
    """The multipart message (text first, HTML preferred), with List-Unsubscribe headers for mail clients."""
    message = EmailMessage()
    message["Subject"] = subject(films)
    message["From"] = ctx.sender
    message["To"] = ctx.to
    message["Message-ID"] = make_msgid(domain="cineai.local")
    message["List-Unsubscribe"] = f"<{ctx.unsubscribe_url}>"
    message.set_content(render_text(films, ctx))
    message.add_alternative(render_html(films, ctx), subtype="html")
    return message
