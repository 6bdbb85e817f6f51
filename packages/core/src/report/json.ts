import type { BaselineDiff, RenderOptions, ScanResult } from '../model.js';

/** The version of the JSON report layout; a reader of `--baseline` files checks it. */
export const JSON_FORMAT_VERSION = 1;

/** The JSON report: the scan result as built, under a format version, with the baseline diff if any. */
export type JsonReport = { readonly formatVersion: typeof JSON_FORMAT_VERSION } & Omit<ScanResult, 'findings'> & {
    readonly diff?: BaselineDiff;
  };

/**
 * Renders the whole scan result as JSON (2-space indent, trailing newline) with
 * `"formatVersion": 1` first and `"diff"` last when `options.diff` is set. Keys keep the
 * order in which the engine built the objects, so the same scan gives the same bytes, and
 * `JSON.parse` of the output gives back the scan result: this file is the next run's baseline.
 */
export function renderJson(scan: ScanResult, options: RenderOptions): string {
  // `findings` is a view of `results`, not written twice.
  const { findings: _view, ...everything } = scan;
  const report: JsonReport = {
    formatVersion: JSON_FORMAT_VERSION,
    ...everything,
    ...(options.diff !== undefined ? { diff: options.diff } : {}),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
