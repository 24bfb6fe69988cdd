import { DOMESTIC_MERCHANT_CATEGORIES, OVERSEAS_MERCHANTS, TWD_PER_UNIT } from '../reference/merchants';
import { STREAMS } from '../population/population';
import { WeightedTable } from '../random/weighted-table';
import type { Rng } from '../random/prng';
import { timeOnDay } from './time-of-day';
import { formatCents } from '../taiwan/text-forms';
import type { RowSource } from './row-source';

const CATEGORIES = new WeightedTable(DOMESTIC_MERCHANT_CATEGORIES.map((category) => [category, category.weight] as const));
const REFUND_SHARE = 0.015;
/** decimal(14,2) leaves room for far more; no single card payment is this large. */
const MAX_AMOUNT_CENTS = 5_000_000_000;

function amountCents(rng: Rng, medianTwd: number, sigma: number, currency: keyof typeof TWD_PER_UNIT): number {
  const units = rng.logNormal(medianTwd, sigma) / TWD_PER_UNIT[currency];
  // Taiwanese merchants charge whole dollars; foreign ones charge cents (yen are whole too).
  const cents = currency === 'TWD' || currency === 'JPY' ? Math.max(1, Math.round(units)) * 100 : Math.max(1, Math.round(units * 100));
  return Math.min(MAX_AMOUNT_CENTS, cents);
}

/**
 * card_transaction: about one transaction per customer per day, from the customer's 0-2 cards; domestic
 * merchants with TWD amounts, a share abroad in foreign currencies, and a few negative refunds.
 * @internal
 */
export const cardTransactionRows: RowSource = function* (population, day) {
  const rng = population.rng(STREAMS.daily, 2, day.index);
  const prefix = `TX${day.compact}`;
  let sequence = 0;
  for (let index = 0; index < population.size; index += 1) {
    const customer = population.customer(index);
    for (const card of population.cards(customer)) {
      const count = rng.poisson(card.dailyMean);
      for (let t = 0; t < count; t += 1) {
        sequence += 1;
        let mcc: string;
        let merchant: string;
        let currency: keyof typeof TWD_PER_UNIT;
        let channel: string;
        let cents: number;
        if (rng.chance(card.overseasShare)) {
          const [code, name, chargedIn, medianTwd] = rng.pick(OVERSEAS_MERCHANTS);
          mcc = code;
          merchant = name;
          currency = chargedIn;
          channel = 'OVERSEAS';
          cents = amountCents(rng, medianTwd, 0.7, currency);
        } else {
          const category = CATEGORIES.pick(rng);
          mcc = category.mcc;
          merchant = rng.chance(0.02) ? '' : rng.pick(category.merchants);
          currency = 'TWD';
          const roll = rng.float();
          channel = category.online ? (roll < 0.9 ? 'ONLINE' : 'POS') : roll < 0.45 ? 'CONTACTLESS' : roll < 0.95 ? 'POS' : 'ONLINE';
          cents = amountCents(rng, category.medianTwd, category.sigma, currency);
        }
        if (rng.chance(REFUND_SHARE)) cents = -cents;
        yield [
          `${prefix}${String(sequence).padStart(9, '0')}`,
          card.cardNo,
          customer.custId,
          timeOnDay(rng, day.iso),
          mcc,
          merchant,
          formatCents(cents),
          currency,
          channel,
        ];
      }
    }
  }
};
