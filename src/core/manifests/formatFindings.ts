import type { Rule } from './rule';
import type { Finding, Severity } from './types';
import { computeLineStarts, lineOf } from './lintManifests';

/** A finding with 1-based lines and columns, as the CLI's json format prints it. */
export interface LocatedFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly ruleId: string;
  readonly message: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly suppressed?: boolean;
  readonly suppressedBy?: string;
}

/** Converts offsets to 1-based line/column (UTF-16 columns, as editors count). */
export function locateFindings(file: string, text: string, findings: readonly Finding[]): LocatedFinding[] {
  const starts = computeLineStarts(text);
  return findings.map((f) => {
    const line = lineOf(starts, f.range.start);
    const endLine = lineOf(starts, f.range.end);
    return {
      file,
      line: line + 1,
      column: f.range.start - (starts[line] ?? 0) + 1,
      endLine: endLine + 1,
      endColumn: f.range.end - (starts[endLine] ?? 0) + 1,
      severity: f.severity,
      ruleId: f.ruleId,
      message: f.message,
      ...(f.object?.kind ? { kind: f.object.kind } : {}),
      ...(f.object?.namespace ? { namespace: f.object.namespace } : {}),
      ...(f.object?.name ? { name: f.object.name } : {}),
      ...(f.suppressedBy ? { suppressed: true, suppressedBy: f.suppressedBy } : {}),
    };
  });
}

const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** True when the finding counts toward the exit code at `failOn`. */
export function meetsThreshold(f: Pick<LocatedFinding, 'severity' | 'suppressed'>, failOn: Severity): boolean {
  return !f.suppressed && rank[f.severity] >= rank[failOn];
}

export interface TextFormatOptions {
  readonly color: boolean;
}

/** Human-friendly output: grouped per file, `line:col  severity  rule  message`, and a summary line. */
export function formatText(findings: readonly LocatedFinding[], fileCount: number, options: TextFormatOptions): string {
  const paint = (code: string, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36' };
  const out: string[] = [];
  const visible = findings.filter((f) => !f.suppressed);
  const byFile = new Map<string, LocatedFinding[]>();
  for (const f of visible) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, list] of byFile) {
    out.push(paint('4', file));
    for (const f of list) {
      const where = `${f.line}:${f.column}`.padEnd(8);
      const obj = f.kind && f.name ? paint('2', ` (${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name})`) : '';
      out.push(`  ${where} ${paint(sevColor[f.severity], f.severity.padEnd(7))} ${paint('2', f.ruleId.padEnd(34))} ${f.message}${obj}`);
    }
    out.push('');
  }
  const count = (s: Severity) => visible.filter((f) => f.severity === s).length;
  const suppressed = findings.length - visible.length;
  out.push(
    `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info in ${fileCount} file(s)${suppressed ? `; ${suppressed} suppressed` : ''}`,
  );
  return out.join('\n');
}

/** The json format: an array of located findings (suppressed ones included, marked). */
export function formatJson(findings: readonly LocatedFinding[]): string {
  return JSON.stringify(findings, null, 2);
}

/** SARIF 2.1.0 as GitHub code scanning accepts it; `root` makes artifact URIs relative. */
export function formatSarif(
  findings: readonly LocatedFinding[],
  rules: readonly Rule[],
  version: string,
  toUri: (file: string) => string,
): string {
  const used = [...new Set(findings.map((f) => f.ruleId))];
  const ruleIndex = new Map(used.map((id, i) => [id, i]));
  const level = (s: Severity) => (s === 'info' ? 'note' : s);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'clusterdeck',
            version,
            informationUri: 'https://github.com/clusterdeck/clusterdeck',
            rules: used.map((id) => {
              const rule = rules.find((r) => r.id === id);
              return {
                id,
                name: id,
                shortDescription: { text: rule?.description ?? id },
                defaultConfiguration: { level: rule && rule.level !== 'off' ? level(rule.level) : 'note' },
                helpUri: `https://github.com/clusterdeck/clusterdeck/blob/main/docs/rules.md#${id}`,
              };
            }),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId),
          level: level(f.severity),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressedBy ?? '' }] } : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
