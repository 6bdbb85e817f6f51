import { OrglintError } from '../errors.js';
import type { RenderOptions, ReportFormat, ScanResult } from '../model.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

/** A reporter: a pure function of one scan result and the render options, returning the file's text. */
export type Reporter = (scan: ScanResult, options: RenderOptions) => string;

/**
 * The reporters by format. Each format's module exports one `render…` function; a new format
 * is one more entry here.
 */
export const REPORTERS = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  markdown: renderMarkdown,
} as const satisfies Partial<Record<ReportFormat, Reporter>>;

/** The formats this build can render, in the order they are offered to users. */
export function availableFormats(): readonly ReportFormat[] {
  return Object.keys(REPORTERS) as ReportFormat[];
}

/**
 * Renders a scan in one format. Throws OrglintError `invalid-argument` for a format this build
 * has no reporter for, naming the formats it has.
 */
export function renderReport(format: ReportFormat, scan: ScanResult, options: RenderOptions): string {
  const reporters: Partial<Record<string, Reporter>> = REPORTERS;
  const reporter = Object.hasOwn(reporters, format) ? reporters[format] : undefined;
  if (reporter === undefined) {
    throw new OrglintError(
      'invalid-argument',
      `The report format ${JSON.stringify(format)} is not available in this build of orglint; choose one of ${availableFormats().join(', ')}.`,
    );
  }
  return reporter(scan, options);
}
