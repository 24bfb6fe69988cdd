import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/output/render-table';
import { textWidth } from '../../src/output/text-width';

describe('renderTable', () => {
  it('aligns columns by display width, counting Chinese and full-width characters as two', () => {
    expect(textWidth('王小明')).toBe(6);
    expect(textWidth('ＡＢ12')).toBe(6);
    const table = renderTable(['name', 'n'], [['王小明', '1'], ['Amy', '22']]).split('\n');
    expect(table).toEqual(['name    n', '------  --', '王小明  1', 'Amy     22']);
  });
});
