import { STREAMS } from '../population/population';
import { formatCents } from '../taiwan/text-forms';
import type { RowSource } from './row-source';

/**
 * account_balance: the end-of-day balance of every account (1-4 per customer, 2.5 on average), stable account
 * numbers, a daily balance that moves around each account's typical balance.
 * @internal
 */
export const accountBalanceRows: RowSource = function* (population, day) {
  const rng = population.rng(STREAMS.daily, 1, day.index);
  for (let index = 0; index < population.size; index += 1) {
    const customer = population.customer(index);
    for (const account of population.accounts(customer)) {
      const cents = Math.max(0, Math.round(account.baseCents * (1 + 0.03 * rng.normal())));
      yield [account.acctNo, customer.custId, account.productType, account.currency, formatCents(cents), day.roc, account.branchCode];
    }
  }
};
