import { TAIWAN_IPV4_PREFIXES } from '../reference/bank-codes';
import { STREAMS } from '../population/population';
import { WeightedTable } from '../random/weighted-table';
import { timeOnDay } from './time-of-day';
import type { RowSource } from './row-source';

const EVENT_TYPES = new WeightedTable([
  ['LOGIN', 45], ['VIEW_PRODUCT', 20], ['TRANSFER', 15], ['PAYMENT', 12], ['APPLY_CARD', 2], ['UPDATE_PROFILE', 6],
] as const);
/** Median session length in seconds and log-normal shape, per event type. */
const SESSION_SECONDS: Readonly<Record<string, readonly [number, number]>> = {
  LOGIN: [240, 1.0], VIEW_PRODUCT: [90, 0.9], TRANSFER: [75, 0.6], PAYMENT: [60, 0.6], APPLY_CARD: [420, 0.7], UPDATE_PROFILE: [150, 0.7],
};
const MAX_SESSION_SECONDS = 86_400;

/**
 * digital_activity: about two app or internet banking events per customer per day (some customers never use
 * digital channels), from the customer's own devices, with Taiwanese client IPv4 addresses.
 * @internal
 */
export const digitalActivityRows: RowSource = function* (population, day) {
  const rng = population.rng(STREAMS.daily, 3, day.index);
  const prefix = `EV${day.compact}`;
  let sequence = 0;
  for (let index = 0; index < population.size; index += 1) {
    const customer = population.customer(index);
    const habits = population.digitalHabits(customer);
    const count = rng.poisson(habits.dailyMean);
    for (let e = 0; e < count; e += 1) {
      sequence += 1;
      const app = rng.chance(habits.appShare);
      const eventType = EVENT_TYPES.pick(rng);
      const [median, sigma] = SESSION_SECONDS[eventType] ?? [120, 1];
      const [a, b] = rng.pick(TAIWAN_IPV4_PREFIXES);
      yield [
        `${prefix}${String(sequence).padStart(9, '0')}`,
        customer.custId,
        timeOnDay(rng, day.iso),
        app ? 'APP' : 'WEB',
        eventType,
        app || rng.chance(0.6) ? rng.pick(habits.devices) : '',
        rng.chance(0.01) ? '' : `${a}.${b}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
        rng.chance(0.04) ? '' : String(Math.min(MAX_SESSION_SECONDS, Math.max(1, Math.round(rng.logNormal(median, sigma))))),
      ];
    }
  }
};
