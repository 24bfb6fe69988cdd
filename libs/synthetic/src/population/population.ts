import { BRANCH_CODES, CARD_BINS, OCCUPATIONS, RISK_LEVEL_WEIGHTS } from '../reference/bank-codes';
import { CITIES, SECTION_NUMERALS, type CityEntry } from '../reference/addresses';
import { EMAIL_DOMAINS, GIVEN_NAME_CHARS_FEMALE, GIVEN_NAME_CHARS_MALE, GIVEN_NAME_CHARS_NEUTRAL, SURNAMES } from '../reference/names';
import { TWD_PER_UNIT } from '../reference/merchants';
import { FeistelPermutation } from '../random/feistel';
import { Rng, hashKeys } from '../random/prng';
import { WeightedTable } from '../random/weighted-table';
import { luhnCheckDigit } from '../taiwan/check-digits';
import { civilFromDays, daysFromCivil } from '../taiwan/calendar';
import { makeNationalId } from '../taiwan/national-id';
import { toFullWidth } from '../taiwan/text-forms';

/**
 * Keys of the PRNG streams. Every attribute comes from a stream addressed by (seed, stream, ...), so adding a
 * column to one dataset never shifts the values of another.
 * @internal
 */
export const STREAMS = {
  core: 1,
  profile: 2,
  accounts: 3,
  cards: 4,
  digital: 5,
  daily: 6,
  dirty: 7,
  idPermutation: 8,
  accountPermutation: 9,
  cardPermutation: 10,
} as const;

/** National ID (gender digit, 7-digit serial) pairs: 2 x 10^7. */
const ID_DOMAIN = 20_000_000;
const SERIALS_PER_GENDER = 10_000_000;
/** 8-digit account serials. */
const ACCOUNT_DOMAIN = 100_000_000;
/** 9-digit card serials. */
const CARD_DOMAIN = 1_000_000_000;

/** Most accounts one customer holds. */
export const MAX_ACCOUNTS_PER_CUSTOMER = 4;
/** Most cards one customer holds. */
export const MAX_CARDS_PER_CUSTOMER = 2;

/** Account product types, as `account_balance.product_type` allows them. */
export type ProductType = 'SAVINGS' | 'TIME_DEPOSIT' | 'FUND' | 'INSURANCE' | 'LOAN';
/** Currencies the contracts allow. */
export type Currency = keyof typeof TWD_PER_UNIT;

/** What every dataset needs to know about a customer. @internal */
export interface Customer {
  readonly index: number;
  readonly custId: string;
  readonly gender: 'M' | 'F';
  readonly city: CityEntry;
  readonly branchCode: string;
}

/** The customer_profile attributes of a customer. @internal */
export interface CustomerDetails {
  readonly name: string;
  readonly birthDays: number;
  readonly mobile: string;
  readonly email: string;
  readonly address: string;
  readonly openDays: number;
  readonly riskLevel: string;
  readonly occupationCode: string;
}

/** One account; stable across days. @internal */
export interface Account {
  readonly acctNo: string;
  readonly productType: ProductType;
  readonly currency: Currency;
  /** Typical balance in cents of the account currency; each day's balance varies around it. */
  readonly baseCents: number;
  readonly branchCode: string;
}

/** One card; stable across days. @internal */
export interface Card {
  readonly cardNo: string;
  /** Mean number of transactions per day. */
  readonly dailyMean: number;
  /** Share of transactions abroad or with foreign merchants. */
  readonly overseasShare: number;
}

/** How a customer uses digital channels; stable across days. @internal */
export interface DigitalHabits {
  /** Mean number of events per day (0 for customers who never use digital channels). */
  readonly dailyMean: number;
  /** Share of events in the mobile app (the rest on the web). */
  readonly appShare: number;
  readonly devices: readonly string[];
}

const CITY_TABLE = new WeightedTable(CITIES.map((city) => [city, city.population] as const));
const LETTER_TABLE = new WeightedTable(
  CITIES.flatMap((city) => city.idLetters.map((letter) => [letter, city.population / city.idLetters.length] as const)),
);
const SURNAME_TABLE = new WeightedTable(SURNAMES.map((entry) => [entry, entry[1]] as const));
const EMAIL_DOMAIN_TABLE = new WeightedTable(EMAIL_DOMAINS);
const RISK_TABLE = new WeightedTable(RISK_LEVEL_WEIGHTS);
const AGE_BANDS = new WeightedTable<readonly [number, number]>([
  [[18, 24], 10], [[25, 34], 18], [[35, 44], 20], [[45, 54], 19], [[55, 64], 17], [[65, 74], 11], [[75, 90], 5],
]);
const WORKING_OCCUPATIONS = OCCUPATIONS.map(([code]) => code).filter((code) => code !== '15' && code !== '17');
const ACCOUNT_COUNTS = new WeightedTable([[1, 20], [2, 30], [3, 30], [4, 20]] as const);
const EXTRA_PRODUCTS = new WeightedTable<ProductType>([['SAVINGS', 25], ['TIME_DEPOSIT', 30], ['FUND', 20], ['INSURANCE', 12], ['LOAN', 13]]);
const PRODUCT_CURRENCIES: Readonly<Record<ProductType, WeightedTable<Currency>>> = {
  SAVINGS: new WeightedTable<Currency>([['USD', 50], ['JPY', 25], ['EUR', 10], ['CNY', 10], ['TWD', 5]]),
  TIME_DEPOSIT: new WeightedTable<Currency>([['TWD', 70], ['USD', 20], ['CNY', 5], ['JPY', 3], ['EUR', 2]]),
  FUND: new WeightedTable<Currency>([['TWD', 60], ['USD', 30], ['EUR', 7], ['JPY', 3]]),
  INSURANCE: new WeightedTable<Currency>([['TWD', 75], ['USD', 25]]),
  LOAN: new WeightedTable<Currency>([['TWD', 1]]),
};
/** Median balance in TWD and log-normal shape per product. */
const PRODUCT_BALANCES: Readonly<Record<ProductType, readonly [number, number]>> = {
  SAVINGS: [60_000, 1.5],
  TIME_DEPOSIT: [400_000, 1.0],
  FUND: [250_000, 1.1],
  INSURANCE: [600_000, 0.9],
  LOAN: [3_500_000, 0.8],
};
const PRODUCT_CODES: Readonly<Record<ProductType, string>> = { SAVINGS: '10', TIME_DEPOSIT: '21', FUND: '30', INSURANCE: '45', LOAN: '52' };
const CARD_COUNTS = new WeightedTable([[0, 30], [1, 45], [2, 25]] as const);
const CARD_ACTIVITY = new WeightedTable([[0.2, 20], [0.6, 25], [1.0, 25], [1.6, 20], [2.6, 10]] as const);
const OVERSEAS_SHARES = new WeightedTable([[0.01, 70], [0.05, 25], [0.25, 5]] as const);
const DIGITAL_MEANS = new WeightedTable([[0, 15], [0.5, 21], [1.6, 26], [3, 25], [5.5, 13]] as const);
/** Balances are capped well inside decimal(18,2). */
const MAX_BALANCE_CENTS = 50_000_000_000_000;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/**
 * The synthetic bank's customers. Customer `i` is a pure function of (seed, i): the same seed always gives the same
 * people, accounts and cards, so the daily files of consecutive days describe the same population without keeping
 * it in memory.
 * @internal
 */
export class Population {
  readonly seed: number;
  readonly size: number;
  readonly startDays: number;
  readonly cardActivity: number;
  readonly #ids: FeistelPermutation;
  readonly #accountSerials: FeistelPermutation;
  readonly #cardSerials: FeistelPermutation;
  readonly #start: { readonly year: number; readonly month: number; readonly day: number };

  /**
   * @param seed - the run's seed
   * @param size - number of customers, at most half of the national ID domain
   * @param startDays - the first business date, as days since 1970-01-01
   * @param cardActivity - multiplies every card's daily transaction mean (1 gives about one per customer per day)
   */
  constructor(seed: number, size: number, startDays: number, cardActivity = 1) {
    if (size > ID_DOMAIN / 2) throw new RangeError('too many customers for the national ID domain');
    this.seed = seed;
    this.size = size;
    this.startDays = startDays;
    this.cardActivity = cardActivity;
    this.#ids = new FeistelPermutation(ID_DOMAIN, hashKeys([seed, STREAMS.idPermutation]));
    this.#accountSerials = new FeistelPermutation(ACCOUNT_DOMAIN, hashKeys([seed, STREAMS.accountPermutation]));
    this.#cardSerials = new FeistelPermutation(CARD_DOMAIN, hashKeys([seed, STREAMS.cardPermutation]));
    this.#start = civilFromDays(startDays);
  }

  /** A stream of this run, e.g. `rng(STREAMS.daily, dataset, day)`. */
  rng(...keys: number[]): Rng {
    return Rng.of(this.seed, ...keys);
  }

  /** Identity, home city and home branch of customer `index`. */
  customer(index: number): Customer {
    const rng = Rng.of(this.seed, STREAMS.core, index);
    const city = CITY_TABLE.pick(rng);
    // Most people still hold the ID letter of the area they live in; the rest moved.
    const letter = rng.chance(0.75) ? rng.pick(city.idLetters) : LETTER_TABLE.pick(rng);
    const branchCode = rng.pick(BRANCH_CODES);
    const { custId, genderDigit } = this.#nationalId(index, letter);
    return { index, custId, gender: genderDigit === 1 ? 'M' : 'F', city, branchCode };
  }

  /**
   * A valid national ID that belongs to no customer of this population: its (gender digit, serial) pair comes from
   * the part of the ID domain that customers never use.
   */
  orphanId(rng: Rng): string {
    return this.#nationalId(rng.int(this.size, ID_DOMAIN - 1), LETTER_TABLE.pick(rng)).custId;
  }

  /** The customer_profile attributes of a customer. */
  details(customer: Customer): CustomerDetails {
    const rng = Rng.of(this.seed, STREAMS.profile, customer.index);
    const [surname, , romanised] = SURNAME_TABLE.pick(rng);
    const pool = customer.gender === 'M' ? GIVEN_NAME_CHARS_MALE : GIVEN_NAME_CHARS_FEMALE;
    const givenChar = (): string => rng.pick(rng.chance(0.85) ? pool : GIVEN_NAME_CHARS_NEUTRAL);
    const name = surname + givenChar() + (rng.chance(0.9) ? givenChar() : '');

    const [youngest, oldest] = AGE_BANDS.pick(rng);
    const { year, month, day } = this.#start;
    const birthDays = rng.int(daysFromCivil(year - oldest - 1, month, day) + 1, daysFromCivil(year - youngest, month, day));
    const age = Math.floor((this.startDays - birthDays) / 365.2425);

    const mobile = rng.chance(0.04) ? '' : `09${rng.digits(8)}`;
    const email = rng.chance(0.15)
      ? ''
      : `${romanised}${rng.pick(['', '.', '_'])}${LOWER[rng.int(0, 25)]}${LOWER[rng.int(0, 25)]}${rng.chance(0.6) ? rng.int(1, 9999) : ''}@${EMAIL_DOMAIN_TABLE.pick(rng)}`;
    const address = rng.chance(0.02) ? '' : this.#address(rng, customer.city);

    const birth = civilFromDays(birthDays);
    const adult = daysFromCivil(birth.year + 18, birth.month, birth.day);
    const openFrom = Math.min(Math.max(adult, this.startDays - 35 * 365), this.startDays - 1);
    const openDays = rng.int(openFrom, this.startDays - 1);

    let occupationCode: string;
    if (rng.chance(0.06)) occupationCode = '';
    else if (age < 23 && rng.chance(0.7)) occupationCode = '15';
    else if (age >= 65 && rng.chance(0.6)) occupationCode = '17';
    else occupationCode = rng.pick(WORKING_OCCUPATIONS);

    return { name, birthDays, mobile, email, address, openDays, riskLevel: RISK_TABLE.pick(rng), occupationCode };
  }

  /** The 1-4 accounts of a customer; the first is always a TWD savings account. */
  accounts(customer: Customer): Account[] {
    const rng = Rng.of(this.seed, STREAMS.accounts, customer.index);
    const count = ACCOUNT_COUNTS.pick(rng);
    const accounts: Account[] = [];
    for (let k = 0; k < count; k += 1) {
      const productType: ProductType = k === 0 ? 'SAVINGS' : EXTRA_PRODUCTS.pick(rng);
      const currency: Currency = k === 0 ? 'TWD' : PRODUCT_CURRENCIES[productType].pick(rng);
      const [median, sigma] = PRODUCT_BALANCES[productType];
      const baseCents = Math.min(MAX_BALANCE_CENTS, Math.round((rng.logNormal(median, sigma) / TWD_PER_UNIT[currency]) * 100));
      const branchCode = rng.chance(0.85) ? customer.branchCode : rng.pick(BRANCH_CODES);
      const serial = this.#accountSerials.apply(customer.index * MAX_ACCOUNTS_PER_CUSTOMER + k);
      const body = `${branchCode}${PRODUCT_CODES[productType]}${String(serial).padStart(8, '0')}`;
      accounts.push({ acctNo: `${body}${luhnCheckDigit(body)}`, productType, currency, baseCents, branchCode });
    }
    return accounts;
  }

  /** The 0-2 cards of a customer. */
  cards(customer: Customer): Card[] {
    const rng = Rng.of(this.seed, STREAMS.cards, customer.index);
    const count = CARD_COUNTS.pick(rng);
    if (count === 0) return [];
    const activity = CARD_ACTIVITY.pick(rng) * 1.05 * this.cardActivity;
    const overseasShare = OVERSEAS_SHARES.pick(rng);
    const cards: Card[] = [];
    for (let k = 0; k < count; k += 1) {
      const serial = this.#cardSerials.apply(customer.index * MAX_CARDS_PER_CUSTOMER + k);
      const body = `${rng.pick(CARD_BINS)}${String(serial).padStart(9, '0')}`;
      cards.push({ cardNo: `${body}${luhnCheckDigit(body)}`, dailyMean: activity, overseasShare });
    }
    return cards;
  }

  /** How a customer uses the app and internet banking. */
  digitalHabits(customer: Customer): DigitalHabits {
    const rng = Rng.of(this.seed, STREAMS.digital, customer.index);
    const dailyMean = DIGITAL_MEANS.pick(rng);
    const appShare = 0.55 + 0.4 * rng.float();
    const devices: string[] = [];
    const deviceCount = rng.chance(0.7) ? 1 : 2;
    for (let k = 0; k < deviceCount; k += 1) {
      // iOS identifierForVendor (upper-case UUID) or Android ID (16 hex digits).
      devices.push(
        rng.chance(0.45)
          ? `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${'89ab'[rng.int(0, 3)]}${rng.hex(3)}-${rng.hex(12)}`.toUpperCase()
          : rng.hex(16),
      );
    }
    return { dailyMean, appShare, devices };
  }

  #nationalId(index: number, letter: string): { custId: string; genderDigit: 1 | 2 } {
    const pair = this.#ids.apply(index);
    const genderDigit = pair < SERIALS_PER_GENDER ? 1 : 2;
    return { custId: makeNationalId(letter, genderDigit, pair % SERIALS_PER_GENDER), genderDigit };
  }

  #address(rng: Rng, city: CityEntry): string {
    const district = rng.pick(city.districts);
    const road = rng.pick(city.roads);
    const sectioned = road.endsWith('+');
    let address = `${city.name}${district}${sectioned ? road.slice(0, -1) : road}`;
    if (sectioned && rng.chance(0.6)) address += `${rng.pick(SECTION_NUMERALS.slice(0, 5))}段`;
    if (rng.chance(0.2)) address += `${rng.int(1, 300)}巷`;
    if (rng.chance(0.05)) address += `${rng.int(1, 30)}弄`;
    address += rng.chance(0.05) ? `${rng.int(1, 400)}之${rng.int(1, 5)}號` : `${rng.int(1, 400)}號`;
    if (rng.chance(0.45)) address += `${rng.int(2, 20)}樓`;
    // Hand-typed and legacy addresses: full-width digits, and the common 台 for the official 臺.
    if (rng.chance(0.1)) address = toFullWidth(address);
    if (rng.chance(0.3)) address = address.replaceAll('臺', '台');
    return address;
  }
}
