// A feature on examples/till (a Python package tested with pytest, Hypothesis among its test
// dependencies): percentage discounts in whole cents, two acceptance criteria, one quantified over
// every price and percent. The proof tests its proof agent writes and the implementations its
// layer writes, for the proof-per-criterion engine test on a Python project (docs/proof.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHOP } from './shopWorkspace';

export const TILL_SPEC = `## Spec: Percentage discounts

### Summary
The till takes a percentage off a price. Prices stay whole cents.

### Requirements

#### REQ-1: Percentage discount
**Acceptance criteria**
- REQ-1.1: For any price in cents and any whole percent from 0 to 100, THE pricing module SHALL return a discounted price that is never negative and never above the price.
- REQ-1.2: WHEN the discounted price falls between two cents THE pricing module SHALL round it half up (5 percent off 1990 cents is 1891 cents).

### Files to Create/Modify

#### App
- [ ] \`app/pricing.py\`: discounted(price_cents, percent)

### Tasks
1. [ ] App: \`discounted(price_cents, percent)\` in \`app/pricing.py\`, rounding half up (REQ-1)
`;

export const TILL_PROOF_FILE = 'tests/acceptance/test_discounts.py';

/** A Hypothesis property for the quantified criterion, an example test for the other; each imports what the spec adds inside the test. */
export const TILL_PROOF = `"""Proofs of the percentage discount's acceptance criteria (REQ-1)."""
from hypothesis import given, settings, strategies as st

prices = st.integers(min_value=0, max_value=10**9)
percents = st.integers(min_value=0, max_value=100)


@settings(deadline=None)
@given(price=prices, percent=percents)
def test_req_1_1_discounted_price_is_never_negative_nor_above_the_price(price, percent):
    from app.pricing import discounted

    assert 0 <= discounted(price, percent) <= price


def test_req_1_2_rounds_half_a_cent_up():
    from app.pricing import discounted

    assert discounted(1990, 5) == 1891
    assert discounted(1999, 15) == 1699
`;

export const TILL_TESTS = [
  {
    criterion: 'REQ-1.1',
    file: TILL_PROOF_FILE,
    name: 'test_req_1_1_discounted_price_is_never_negative_nor_above_the_price',
  },
  { criterion: 'REQ-1.2', file: TILL_PROOF_FILE, name: 'test_req_1_2_rounds_half_a_cent_up' },
];

/** app/pricing.py as the example has it. */
const PRICING = readFileSync(join(SHOP, '..', 'till', 'app', 'pricing.py'), 'utf8');

const discountedWith = (body: string): string => `${PRICING}

def discounted(price_cents: int, percent: int) -> int:
    """\`price_cents\` less \`percent\` percent, rounded half up to the cent."""
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be between 0 and 100, got {percent}")
${body}
`;

/** Python's round() rounds half to even: 1890.5 becomes 1890, against REQ-1.2. Within 0 and the price all the same. */
export const TILL_ROUND_HALF_EVEN = discountedWith('    return round(price_cents * (100 - percent) / 100)');

/** Half up in integers. */
export const TILL_ROUND_HALF_UP = discountedWith('    return (price_cents * (100 - percent) + 50) // 100');
