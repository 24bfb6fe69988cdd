import { padEnd, textWidth } from './text-width';

/**
 * Renders rows as an aligned plain-text table with a header rule. Plain text on purpose: it pastes into tickets and
 * chat unchanged, and survives terminals without Unicode box drawing.
 *
 * @example
 * renderTable(['zone', 'rows'], [['raw', '10000']]);
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(textWidth(title), ...rows.map((row) => textWidth(row[column] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => padEnd(cell, widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
