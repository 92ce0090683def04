"""Prices in whole cents: a line's total and an order's total.

Money never goes through a float here: 0.1 + 0.2 is not 0.3, and a till that is a cent off
at closing time is a till someone has to recount.
"""
from typing import Iterable, Tuple


def line_total(unit_price_cents: int, quantity: int) -> int:
    """The price of `quantity` units at `unit_price_cents` each."""
    if unit_price_cents < 0:
        raise ValueError(f"unit price must not be negative, got {unit_price_cents}")
    if quantity < 0:
        raise ValueError(f"quantity must not be negative, got {quantity}")
    return unit_price_cents * quantity


def order_total(lines: Iterable[Tuple[int, int]]) -> int:
    """The sum of the lines' totals, each line a (unit price in cents, quantity) pair."""
    return sum(line_total(price, quantity) for price, quantity in lines)
