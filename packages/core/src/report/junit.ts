import { escapeUTF8 } from 'entities';
import type { RenderOptions, Result, RuleSummary, ScanResult } from '../model.js';
import { accountLabel, describeWaiver, formatEvidence, groupByRule, indexRules, resourceIdentity } from './common.js';

/**
 * Characters XML 1.0 cannot hold at all, not even as character references: C0 controls other
 * than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF.
 */
const ILLEGAL_XML_1_0 = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Whitespace an XML parser would normalise away; written as references to keep it. */
const ATTRIBUTE_WHITESPACE = /[\t\n\r]/g;
const WHITESPACE_REFERENCE: Readonly<Record<string, string>> = { '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** Escapes text for an attribute value, keeping tabs and line breaks. */
function attr(value: string | number): string {
  return escapeUTF8(String(value).replace(ILLEGAL_XML_1_0, '')).replace(ATTRIBUTE_WHITESPACE, (ch) => WHITESPACE_REFERENCE[ch]!);
}

/** Escapes element text; a carriage return would otherwise be folded into the newline after it. */
function text(value: string): string {
  return escapeUTF8(value.replace(ILLEGAL_XML_1_0, '')).replace(/\r/g, '&#13;');
}

/**
 * `xs:dateTime` without zone or fraction (`YYYY-MM-DDTHH:MM:SS`), as the Ant JUnit schema
 * demands of `testsuite/@timestamp`, in UTC.
 */
function junitTimestamp(generatedAt: string): string {
  const date = new Date(generatedAt);
  if (Number.isNaN(date.getTime())) {
    throw new Error(`The scan result's generatedAt ${JSON.stringify(generatedAt)} is not an ISO 8601 date-time.`);
  }
  return date.toISOString().slice(0, 19);
}

function details(result: Result, rule: RuleSummary): string {
  const r = result.resource;
  const lines = [
    result.message,
    '',
    `Rule: ${rule.id} (${rule.title})`,
    `Severity: ${result.severity}`,
    `Resource: ${resourceIdentity(r)} (${r.type})`,
    `Account: ${accountLabel(r)}`,
    `Region: ${r.region}`,
  ];
  if (result.environment !== null) lines.push(`Environment: ${result.environment}`);
  const evidence = formatEvidence(result);
  if (evidence !== undefined) lines.push(`Evidence: ${evidence}`);
  if (result.location) lines.push(`Location: ${result.location.file}:${result.location.line}`);
  const waiver = describeWaiver(result);
  if (waiver !== undefined) lines.push(`Waiver: ${waiver}`);
  if (result.status === 'fail') lines.push(`Remediation: ${rule.remediation}`);
  lines.push(`Policy: ${rule.policyLocation.file}:${rule.policyLocation.line}`);
  return lines.join('\n');
}

function testcase(out: string[], result: Result, rule: RuleSummary): void {
  const r = result.resource;
  // The name is the resource identity, never the message: CI tools track tests by name.
  out.push(`    <testcase name="${attr(resourceIdentity(r))}" classname="${attr(`${rule.id}.${r.account}.${r.region}`)}" time="0"`);
  switch (result.status) {
    case 'pass':
      out.push('/>\n');
      return;
    case 'fail':
      out.push(`>\n      <failure type="${attr(result.severity)}" message="${attr(result.message)}">${text(details(result, rule))}</failure>\n    </testcase>\n`);
      return;
    case 'error':
      out.push(`>\n      <error type="could-not-evaluate" message="${attr(result.message)}">${text(details(result, rule))}</error>\n    </testcase>\n`);
      return;
    case 'waived':
      out.push(`>\n      <skipped message="${attr(describeWaiver(result) ?? `Waived: ${result.message}`)}"/>\n    </testcase>\n`);
      return;
    case 'not-applicable':
      out.push(`>\n      <skipped message="${attr(`Not applicable: ${result.message}`)}"/>\n    </testcase>\n`);
      return;
  }
}

/**
 * Renders a scan as JUnit XML for CI: a `<testsuites>` root with totals, one `<testsuite>` per
 * rule (in the scan's rule order) and one `<testcase>` per result, passes included. A test
 * case is named by the resource's ARN or id and classed `<rule>.<account>.<region>`; a failure
 * has `type` = severity, a could-not-evaluate result is an `<error>`, waived and
 * not-applicable results are `<skipped>`. A rule without results gets one skipped case, so a
 * clean run is never an empty file. Valid against the Jenkins xUnit `junit-10.xsd`; each
 * `<testsuite>` also fits the stricter Ant (windyroad) schema, whose `<testsuites>` allows no
 * totals. Characters XML 1.0 cannot carry are dropped.
 */
export function renderJunit(scan: ScanResult, _options: RenderOptions): string {
  const rules = indexRules(scan);
  const groups = groupByRule(scan.results);
  const timestamp = junitTimestamp(scan.generatedAt);
  // One flat array of pieces joined once: 200,000 results stay linear, with no spread of
  // large arrays into call arguments.
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n', ''];
  let tests = 0;
  let failures = 0;
  let errors = 0;

  scan.rules.forEach((rule, id) => {
    // A duplicate rule id in `rules` would repeat the suite; the first entry owns the results.
    if (rules.get(rule.id)!.index !== id) return;
    const results = groups.get(rule.id) ?? [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    let suiteSkipped = 0;
    for (const result of results) {
      if (result.status === 'fail') suiteFailures += 1;
      else if (result.status === 'error') suiteErrors += 1;
      else if (result.status === 'waived' || result.status === 'not-applicable') suiteSkipped += 1;
    }
    const empty = results.length === 0;
    const suiteTests = empty ? 1 : results.length;
    if (empty) suiteSkipped = 1;
    tests += suiteTests;
    failures += suiteFailures;
    errors += suiteErrors;
    out.push(
      `  <testsuite name="${attr(rule.id)}" tests="${suiteTests}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="${suiteSkipped}" time="0" timestamp="${timestamp}" hostname="orglint" id="${id}" package="orglint">\n`,
      '    <properties>\n',
      `      <property name="title" value="${attr(rule.title)}"/>\n`,
      `      <property name="severity" value="${attr(rule.severity)}"/>\n`,
      `      <property name="origin" value="${attr(rule.origin)}"/>\n`,
      `      <property name="policyLocation" value="${attr(`${rule.policyLocation.file}:${rule.policyLocation.line}`)}"/>\n`,
      '    </properties>\n',
    );
    for (const result of results) testcase(out, result, rule);
    if (empty) {
      out.push(
        `    <testcase name="no resources in scope" classname="${attr(rule.id)}" time="0">\n      <skipped message="No resource in the estate is in scope of this rule."/>\n    </testcase>\n`,
      );
    }
    out.push('    <system-out/>\n', '    <system-err/>\n', '  </testsuite>\n');
  });

  out[1] = `<testsuites name="orglint" tests="${tests}" failures="${failures}" errors="${errors}" time="0">\n`;
  out.push('</testsuites>\n');
  return out.join('');
}
