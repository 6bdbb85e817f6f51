import type { WaiverStatus } from '../model.js';

/** How far ahead expiring waivers are warned about when the caller gives no number. */
export const DEFAULT_WARN_EXPIRING_DAYS = 30;

const DAY_MS = 86_400_000;

/** An active waiver that lapses soon, with the whole calendar days it has left. */
export interface ExpiringWaiver {
  readonly waiver: WaiverStatus;
  /** Calendar days (UTC) from the scan's date to the expiry date: 0 means it lapses on the scan's day. */
  readonly daysLeft: number;
}

/**
 * Calendar days (UTC) from `from` to `to`, both ISO dates or timestamps. Counting whole days
 * rather than milliseconds keeps the answer independent of the hour the scan ran at.
 * `undefined` when either is not a date.
 */
export function calendarDaysBetween(from: string, to: string): number | undefined {
  const a = utcDay(from);
  const b = utcDay(to);
  if (a === undefined || b === undefined) return undefined;
  return Math.round((b - a) / DAY_MS);
}

function utcDay(value: string): number | undefined {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/**
 * Active waivers whose expiry falls within `withinDays` of `generatedAt` (the scan's clock, never
 * the wall clock), soonest first. Expired and unused waivers are reported elsewhere.
 */
export function expiringWaivers(
  waivers: readonly WaiverStatus[],
  generatedAt: string,
  withinDays: number = DEFAULT_WARN_EXPIRING_DAYS,
): ExpiringWaiver[] {
  const out: ExpiringWaiver[] = [];
  for (const waiver of waivers) {
    if (waiver.state !== 'active') continue;
    const daysLeft = calendarDaysBetween(generatedAt, waiver.expires);
    if (daysLeft === undefined || daysLeft > withinDays) continue;
    out.push({ waiver, daysLeft });
  }
  return out.sort(
    (a, b) => a.daysLeft - b.daysLeft || compareText(a.waiver.rule, b.waiver.rule) || a.waiver.index - b.waiver.index,
  );
}

/** Code-unit order: the same on every machine and locale, which byte-identical output needs. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
