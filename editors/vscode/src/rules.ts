// Helpers for `dunderls.showRuleDocs`. Structural types only (no `vscode`
// import), so they are unit-tested with `node --test`.

export const DIAGNOSTIC_SOURCE = 'dunderls';

/** Shape of `vscode.Diagnostic['code']`: LSP `codeDescription.href` arrives as `target`. */
export type DiagnosticCode = string | number | { value: string | number; target: { toString(): string; scheme?: string } } | undefined;

export interface DiagnosticLike {
  source?: string;
  code?: DiagnosticCode;
}

export interface RuleRef {
  code: string;
  /** The diagnostic's `codeDescription.href`, if the server sent one. */
  href?: string;
}

/** Rule code and documentation link of a diagnostic, if it is a dunderls one with a code. */
export function ruleOf(diagnostic: DiagnosticLike): RuleRef | undefined {
  if (diagnostic.source !== undefined && diagnostic.source !== DIAGNOSTIC_SOURCE) {
    return undefined;
  }
  const code = diagnostic.code;
  if (code === undefined || code === null) {
    return undefined;
  }
  if (typeof code === 'string' || typeof code === 'number') {
    const text = String(code).trim();
    return text === '' ? undefined : { code: text };
  }
  const text = String(code.value).trim();
  if (text === '') {
    return undefined;
  }
  const href = code.target ? code.target.toString() : undefined;
  return href ? { code: text, href } : { code: text };
}

/** Distinct rules of the given diagnostics, in order, first link kept. */
export function distinctRules(diagnostics: readonly DiagnosticLike[]): RuleRef[] {
  const out = new Map<string, RuleRef>();
  for (const d of diagnostics) {
    const rule = ruleOf(d);
    if (rule === undefined) {
      continue;
    }
    const prev = out.get(rule.code);
    if (prev === undefined || (prev.href === undefined && rule.href !== undefined)) {
      out.set(rule.code, rule);
    }
  }
  return [...out.values()];
}

/** A rule code as typed by a user: letters, digits, `-` and `_`. */
export function isPlausibleRuleCode(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_-]*$/.test(text.trim());
}

/** Markdown shown when `dunderls explain` fails. */
export function explainFailureMarkdown(code: string, detail: string): string {
  return `# ${code}\n\n\`dunderls explain ${code}\` failed:\n\n\`\`\`\n${detail.trim()}\n\`\`\`\n`;
}
