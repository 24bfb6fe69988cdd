import type { BusinessDay } from '../population/business-day';
import type { Population } from '../population/population';

/**
 * The clean rows of one dataset for one business day, fields in contract column order. Each call returns a fresh
 * iterator; rows are produced one by one, never held as a whole.
 * @internal
 */
export type RowSource = (population: Population, day: BusinessDay) => Iterable<string[]>;
