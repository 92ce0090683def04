import pytest

from app.pricing import line_total, order_total


def test_line_total_multiplies_the_unit_price_by_the_quantity():
    assert line_total(250, 4) == 1000


def test_line_total_of_no_units_is_zero():
    assert line_total(999, 0) == 0


@pytest.mark.parametrize("price, quantity", [(-1, 1), (100, -2)])
def test_line_total_refuses_negative_inputs(price, quantity):
    with pytest.raises(ValueError):
        line_total(price, quantity)


def test_order_total_adds_the_lines():
    assert order_total([(250, 4), (199, 3)]) == 1597


def test_order_total_of_an_empty_order_is_zero():
    assert order_total([]) == 0
