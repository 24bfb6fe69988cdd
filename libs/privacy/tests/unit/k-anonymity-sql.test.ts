import { describe, expect, it } from 'vitest';
import { kAnonymitySql } from '../../src/index';

describe('kAnonymitySql', () => {
  it('groups by the quasi-identifiers and sizes each class in distinct subjects', () => {
    // Act
    const sql = kAnonymitySql({ view: 'dq_target', columns: ['age_band', 'gender'], subject: 'cust_id', threshold: 5 });

    // Assess
    expect(sql).toContain('GROUP BY age_band, gender');
    expect(sql).toContain('count(DISTINCT cust_id) + count(*) - count(cust_id)');
    expect(sql).toContain('n < 5');
  });

  it('counts records when there is no subject, and makes one class when there is nothing to group by', () => {
    const sql = kAnonymitySql({ view: 'v', columns: [], threshold: 2 });
    expect(sql).not.toContain('GROUP BY');
    expect(sql).toContain('SELECT count(*) AS n FROM v HAVING count(*) > 0');
  });

  it.each([
    ['a column that is not a plain name', { view: 'v', columns: ['gender; DROP TABLE x'], threshold: 5 }],
    ['a view that is not a plain name', { view: "read_csv('/etc/passwd')", columns: ['gender'], threshold: 5 }],
    ['a threshold of 0', { view: 'v', columns: ['gender'], threshold: 0 }],
    ['a fractional threshold', { view: 'v', columns: ['gender'], threshold: 2.5 }],
  ])('refuses %s', (_label, options) => {
    expect(() => kAnonymitySql(options)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
