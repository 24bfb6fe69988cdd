import { rocFromDays } from '../taiwan/calendar';
import type { RowSource } from './row-source';

/**
 * customer_profile: a full snapshot of every customer, every day (attributes are stable across days).
 * @internal
 */
export const customerProfileRows: RowSource = function* (population) {
  for (let index = 0; index < population.size; index += 1) {
    const customer = population.customer(index);
    const details = population.details(customer);
    yield [
      customer.custId,
      details.name,
      rocFromDays(details.birthDays),
      customer.gender,
      details.mobile,
      details.email,
      details.address,
      customer.branchCode,
      rocFromDays(details.openDays),
      details.riskLevel,
      details.occupationCode,
    ];
  }
};
