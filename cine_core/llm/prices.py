"""Claude list prices per model and the dollar cost of one call: the one place prices live."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """US dollars per million tokens."""

    input: float
    output: float
    cache_read: float
    cache_write: float  # 5-minute ephemeral cache writes


def _tier(input_per_mtok: float, output_per_mtok: float) -> ModelPrice:
    # Anthropic's rule: cache reads cost 0.1x input, 5-minute cache writes 1.25x input.
    return ModelPrice(input_per_mtok, output_per_mtok, input_per_mtok * 0.1, input_per_mtok * 1.25)


# The one place prices live. The *-5-5 / *-5 rows assume their family's current list price (unconfirmed).
MODEL_PRICES: dict[str, ModelPrice] = {
    "claude-haiku-5-5": _tier(1.0, 5.0),
    "claude-sonnet-5-5": _tier(3.0, 15.0),
    "claude-opus-5-5": _tier(5.0, 25.0),
    "claude-sonnet-5": _tier(3.0, 15.0),
    "claude-opus-5": _tier(5.0, 25.0),
    "claude-haiku-4-5": _tier(1.0, 5.0),
    "claude-sonnet-4-6": _tier(3.0, 15.0),
    "claude-sonnet-4-5": _tier(3.0, 15.0),
    "claude-opus-4-6": _tier(5.0, 25.0),
    "claude-opus-4-5": _tier(5.0, 25.0),
    "claude-opus-4-1": _tier(15.0, 75.0),
    "claude-3-5-haiku": _tier(0.8, 4.0),
}
DEFAULT_PRICE = _tier(3.0, 15.0)  # unknown model: assume Sonnet-class, so costs are not under-reported


def price_for(model: str) -> ModelPrice:
    """Prices for a model id; dated ids ('claude-haiku-4-5-20251001') use their family's row."""
    if model in MODEL_PRICES:
        return MODEL_PRICES[model]
    for known in sorted(MODEL_PRICES, key=len, reverse=True):
        if model.startswith(known + "-"):
            return MODEL_PRICES[known]
    return DEFAULT_PRICE


BATCH_DISCOUNT = 0.5  # Message Batches API: every token at half the list price


def estimate_cost(
    model: str, *, tokens_in: int = 0, tokens_out: int = 0, cache_read_tokens: int = 0, cache_write_tokens: int = 0,
    batch: bool = False,
) -> float:
    """Estimated US dollars for one call; `tokens_in` excludes cached tokens (as the API reports it); `batch`:
    a request answered through the Message Batches API (BATCH_DISCOUNT)."""
    price = price_for(model)
    cost = (
        tokens_in * price.input
        + tokens_out * price.output
        + cache_read_tokens * price.cache_read
        + cache_write_tokens * price.cache_write
    ) / 1_000_000
    return round(cost * (BATCH_DISCOUNT if batch else 1.0), 6)
