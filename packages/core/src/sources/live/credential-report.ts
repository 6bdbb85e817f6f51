import { parse } from 'csv-parse/sync';

/** One row of the IAM credential report, with the columns the estate needs. */
export interface CredentialReportRow {
  readonly user: string;
  readonly arn: string;
  readonly passwordEnabled: boolean | undefined;
  readonly passwordLastUsed: string | null;
  readonly mfaActive: boolean;
  readonly accessKeys: readonly { slot: 1 | 2; active: boolean; lastRotated: string | null; lastUsed: string | null }[];
}

/** The name of the root user's row. */
export const ROOT_ROW = '<root_account>';

const COLUMNS = 22;

/**
 * Parses the CSV of GetCredentialReport. Values such as `N/A`, `no_information` and
 * `not_supported` become null. IAM user names may contain commas; when a writer left such a
 * name unquoted, the row has 2k extra fields (k commas in the name, k in the ARN), which are
 * glued back.
 */
export function parseCredentialReport(text: string): CredentialReportRow[] {
  const records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: false }) as string[][];
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map((row) => {
    const fields = fixCommaNames(row, header.length || COLUMNS);
    const value = (column: string): string | undefined => {
      const i = header.indexOf(column);
      return i < 0 ? undefined : fields[i];
    };
    const keys: CredentialReportRow['accessKeys'][number][] = [];
    for (const slot of [1, 2] as const) {
      const lastRotated = dateOrNull(value(`access_key_${slot}_last_rotated`));
      const active = value(`access_key_${slot}_active`) === 'true';
      if (lastRotated === null && !active) continue;
      keys.push({ slot, active, lastRotated, lastUsed: dateOrNull(value(`access_key_${slot}_last_used_date`)) });
    }
    const password = value('password_enabled');
    return {
      user: value('user') ?? '',
      arn: value('arn') ?? '',
      // The root row says not_supported: the root user's password is a different matter.
      passwordEnabled: password === 'true' ? true : password === 'false' ? false : undefined,
      passwordLastUsed: dateOrNull(value('password_last_used')),
      mfaActive: value('mfa_active') === 'true',
      accessKeys: keys,
    };
  });
}

function fixCommaNames(row: string[], width: number): string[] {
  const extra = row.length - width;
  if (extra <= 0 || extra % 2 !== 0) return row;
  const k = extra / 2;
  const user = row.slice(0, k + 1).join(',');
  const arn = row.slice(k + 1, 2 * k + 2).join(',');
  return [user, arn, ...row.slice(2 * k + 2)];
}

function dateOrNull(value: string | undefined): string | null {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
