import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { getDataset } from '@cur/contracts';

/** A small customer_profile batch as an on-premises system would send it (synthetic values). */
export const PROFILE_ROWS = [
  ['A123456789', '王小明', '0780512', 'M', '0912345678', 'ming@example.com.tw', '臺北市中正區重慶南路一段122號', '001', '1050301', '3', 'A01'],
  ['B287654325', '陳美麗', '0850101', 'F', '0987654321', '', '新北市板橋區中山路一段161號', '002', '1100715', '2', 'B02'],
  ['C104712348', '林志豪, Jr.', '0691231', 'M', '', 'hao@example.com.tw', '高雄市前鎮區中山二路2號', '003', '0990102', '5', ''],
];

/** Encodes rows as RFC 4180 CSV with the dataset's header. */
export function csvOf(dataset: string, rows: string[][]): string {
  const header = getDataset(dataset).columns.map((column) => column.name);
  const quote = (field: string): string => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  return [header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** The files of one batch: data bytes, control bytes and names, with the control file telling the truth unless patched. */
export function batchFiles(options: { dataset?: string; businessDate?: string; rows?: string[][]; encoding?: 'utf-8' | 'big5'; gzip?: boolean; text?: string; raw?: Buffer; control?: Record<string, unknown> } = {}) {
  const dataset = options.dataset ?? 'customer_profile';
  const businessDate = options.businessDate ?? '2026-11-25';
  const text = options.text ?? csvOf(dataset, options.rows ?? PROFILE_ROWS);
  const encoded = options.raw ?? (options.encoding === 'big5' ? iconv.encode(text, 'cp950') : Buffer.from(text, 'utf8'));
  const data = options.gzip ? gzipSync(encoded) : encoded;
  const stem = `${dataset}_${businessDate.replaceAll('-', '')}`;
  const dataName = `${stem}.csv${options.gzip ? '.gz' : ''}`;
  const control = {
    dataset,
    businessDate,
    file: dataName,
    rowCount: (options.rows ?? PROFILE_ROWS).length,
    sha256: createHash('sha256').update(data).digest('hex'),
    encoding: options.encoding ?? 'utf-8',
    schemaVersion: 1,
    ...options.control,
  };
  return { dataName, data, controlName: `${stem}.ctl`, control: Buffer.from(JSON.stringify(control)) };
}
