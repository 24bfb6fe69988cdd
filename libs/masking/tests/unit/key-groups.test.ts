import { describe, expect, it } from 'vitest';
import { createMaskingPolicy } from '@cur/policy';
import { describeKeyGroups, keyGroupInfo, parseKeyGroupName } from '../../src/index';

describe('Function: describeKeyGroups', () => {
  it('lists the key group of every keyed column, and no group for generalised quasi-identifiers', () => {
    // Act
    const names = describeKeyGroups().map((group) => group.name);

    // Assess
    expect([...names].sort()).toEqual(['account_number', 'card_number', 'device_id', 'email', 'ip_address', 'mobile', 'national_id', 'person_name']);
  });

  it('marks as join keys the groups used in keys, references or several datasets: national_id and account_number', () => {
    const groups = describeKeyGroups(createMaskingPolicy());

    expect(groups.filter((group) => group.joinKey).map((group) => group.name).sort()).toEqual(['account_number', 'national_id']);
    expect(keyGroupInfo('national_id').columns).toEqual(
      expect.arrayContaining([
        { dataset: 'customer_profile', column: 'cust_id' },
        { dataset: 'card_transaction', column: 'cust_id' },
        { dataset: 'account_balance', column: 'cust_id' },
        { dataset: 'digital_activity', column: 'cust_id' },
        { dataset: 'customer_features', column: 'cust_id' },
      ]),
    );
  });
});

describe('Function: parseKeyGroupName', () => {
  it.each(describeKeyGroups().map((group) => group.name))('accepts the policy key group %s', (name) => {
    expect(parseKeyGroupName(name)).toBe(name);
  });

  it.each([['evil/../x'], ['evil'], ['national_id_2'], ['NATIONAL_ID'], [' national_id'], [''], ['customer_profile.cust_id'], [undefined], [42]])(
    'refuses %j, which the policy does not define, without repeating it',
    (name) => {
      let caught: unknown;
      try {
        parseKeyGroupName(name);
      } catch (error) {
        caught = error;
      }

      expect(caught).toMatchObject({ code: 'KEY_GROUP_UNKNOWN' });
      const message = (caught as Error).message;
      expect(message).toContain('national_id');
      for (const hostile of ['evil', '..', 'customer_profile']) expect(message).not.toContain(hostile);
    },
  );
});
