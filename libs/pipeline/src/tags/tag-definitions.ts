import { z } from 'zod';

/** A tag, declared as data: the pipeline turns each predicate into SQL over `customer_features`. */
export const TagDefinitionSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/),
    description: z.string().min(1),
    owner: z.string().min(1),
    /** A SQL boolean expression over customer_features columns, in the subset DuckDB and Spark SQL share. */
    predicate: z.string().min(1),
  })
  .strict();

/** One tag definition. */
export type TagDefinition = z.infer<typeof TagDefinitionSchema>;

/** The tags the platform computes. Adding a tag is adding an entry here; no code changes. */
export const TAG_DEFINITIONS: readonly TagDefinition[] = z.array(TagDefinitionSchema).parse([
  { name: 'high_value', description: 'assets under management of NT$3 million or more', owner: 'wealth-management', predicate: 'aum_total >= 3000000' },
  { name: 'mass_affluent', description: 'AUM between NT$1 million and NT$3 million', owner: 'wealth-management', predicate: 'aum_total >= 1000000 AND aum_total < 3000000' },
  { name: 'frequent_card_user', description: 'ten or more card transactions in the last month', owner: 'cards', predicate: 'card_txn_count_1m >= 10' },
  { name: 'big_card_spender', description: 'NT$50,000 or more card spend in the last month', owner: 'cards', predicate: 'card_spend_1m >= 50000' },
  { name: 'travel_spender', description: 'spends most on airlines, travel agencies or hotels', owner: 'cards', predicate: "top_mcc_1m IN ('4511', '4722', '7011')" },
  { name: 'digital_native', description: 'active digitally, mostly in the mobile app', owner: 'digital-channels', predicate: 'digital_events_30d >= 3 AND app_share >= 0.7' },
  { name: 'digitally_dormant', description: 'no digital banking activity in 30 days', owner: 'digital-channels', predicate: 'digital_events_30d = 0' },
  { name: 'young_saver', description: 'aged 18-34 with NT$300,000 or more in deposits', owner: 'retail-banking', predicate: "age_band IN ('18-24', '25-34') AND aum_deposit >= 300000" },
  { name: 'credit_watch', description: 'risk level 4 or 5 with a loan outstanding', owner: 'risk', predicate: 'risk_level >= 4 AND loan_balance > 0' },
  { name: 'new_customer', description: 'relationship under 12 months old', owner: 'retail-banking', predicate: 'tenure_months < 12' },
]);
