export { measureRate, formatRate, formatMarkdownTable } from './measure';
export type { BenchRow, MeasureOptions } from './measure';
export { tenDigitValues, nationalIds, chineseNames, emails } from './inputs';
