import { describe, expect, it } from 'vitest';
import { Population } from '../../../src/population/population';
import { Rng } from '../../../src/random/prng';
import { daysFromIso } from '../../../src/taiwan/calendar';
import { luhnIsValid, nationalIdIsValid } from '../../helpers/contract-checks';

const START = daysFromIso('2026-11-25');

describe('Class: Population', () => {
  it('gives every customer a unique valid national ID whose second digit matches the gender', () => {
    // Prepare
    const population = new Population(1, 50_000, START);

    // Act
    const customers = Array.from({ length: population.size }, (_, i) => population.customer(i));

    // Assess
    expect(new Set(customers.map((c) => c.custId)).size).toBe(50_000);
    for (const customer of customers) {
      expect(nationalIdIsValid(customer.custId)).toBe(true);
      expect(customer.custId[1]).toBe(customer.gender === 'M' ? '1' : '2');
    }
    const males = customers.filter((c) => c.gender === 'M').length / customers.length;
    expect(males).toBeGreaterThan(0.47);
    expect(males).toBeLessThan(0.53);
    expect(new Set(customers.map((c) => c.custId[0])).size).toBeGreaterThan(20);
  });

  it('is a pure function of seed and index', () => {
    const a = new Population(7, 1_000, START);
    const b = new Population(7, 1_000, START);
    const other = new Population(8, 1_000, START);
    for (const i of [0, 1, 500, 999]) {
      const customer = a.customer(i);
      expect(b.customer(i)).toEqual(customer);
      expect(b.details(b.customer(i))).toEqual(a.details(customer));
      expect(b.accounts(b.customer(i))).toEqual(a.accounts(customer));
      expect(b.cards(b.customer(i))).toEqual(a.cards(customer));
      expect(b.digitalHabits(b.customer(i))).toEqual(a.digitalHabits(customer));
    }
    expect(other.customer(0).custId).not.toBe(a.customer(0).custId);
  });

  it('hands out orphan IDs that are valid and belong to no customer', () => {
    const population = new Population(3, 20_000, START);
    const ids = new Set(Array.from({ length: population.size }, (_, i) => population.customer(i).custId.slice(1)));
    const rng = Rng.of(1);
    for (let i = 0; i < 2_000; i += 1) {
      const orphan = population.orphanId(rng);
      expect(nationalIdIsValid(orphan)).toBe(true);
      // Unique by (gender digit, serial) whatever the letter.
      expect(ids.has(orphan.slice(1))).toBe(false);
    }
  });

  it('gives 1-4 accounts (2.5 on average) with unique 14-digit numbers, the first a TWD savings account', () => {
    const population = new Population(5, 10_000, START);
    const accounts = Array.from({ length: population.size }, (_, i) => population.accounts(population.customer(i)));
    const all = accounts.flat();
    expect(new Set(all.map((a) => a.acctNo)).size).toBe(all.length);
    expect(all.length / population.size).toBeGreaterThan(2.4);
    expect(all.length / population.size).toBeLessThan(2.6);
    for (const list of accounts) {
      expect(list.length).toBeGreaterThanOrEqual(1);
      expect(list.length).toBeLessThanOrEqual(4);
      expect(list[0]).toMatchObject({ productType: 'SAVINGS', currency: 'TWD' });
    }
    for (const account of all) {
      expect(account.acctNo).toMatch(/^\d{14}$/);
      expect(account.baseCents).toBeGreaterThanOrEqual(0);
    }
  });

  it('gives 0-2 cards with unique Luhn-valid 16-digit numbers', () => {
    const population = new Population(5, 10_000, START);
    const cards = Array.from({ length: population.size }, (_, i) => population.cards(population.customer(i)));
    const all = cards.flat();
    expect(new Set(all.map((c) => c.cardNo)).size).toBe(all.length);
    expect(cards.some((list) => list.length === 0)).toBe(true);
    expect(Math.max(...cards.map((list) => list.length))).toBe(2);
    for (const card of all) expect(luhnIsValid(card.cardNo) && /^\d{16}$/.test(card.cardNo)).toBe(true);
  });

  it('draws birth dates for ages 18 to 90 and open dates after the 18th birthday and before the start date', () => {
    const population = new Population(2, 20_000, START);
    for (let i = 0; i < population.size; i += 1) {
      const details = population.details(population.customer(i));
      const ageDays = START - details.birthDays;
      expect(ageDays).toBeGreaterThanOrEqual(18 * 365);
      expect(ageDays).toBeLessThan(91 * 365.25);
      expect(details.openDays).toBeLessThan(START);
      expect(details.openDays - details.birthDays).toBeGreaterThanOrEqual(18 * 365);
    }
  });

  it('rejects more customers than the ID domain leaves room for', () => {
    expect(() => new Population(1, 10_000_001, START)).toThrow(RangeError);
  });
});
