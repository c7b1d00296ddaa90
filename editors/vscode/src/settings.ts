// Mapping from the VS Code `dunderls.*` settings to the settings object the
// dunderls server expects (pyproject.toml `[tool.dunderls]` key names).
//
// Pure module: no `vscode` import, so it is unit-tested with `node --test`.

/** The VS Code configuration section of the extension. */
export const SECTION = 'dunderls';

/** Diagnostic severities the server accepts in `severity`. */
export const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Short forms the server also accepts (pyproject.toml), sent in canonical form. */
const SEVERITY_ALIASES: Record<string, Severity> = {
  e: 'error',
  warn: 'warning',
  w: 'warning',
  info: 'information',
  i: 'information',
  h: 'hint',
};

/** Values of `dunderls.trace.server`. */
export const TRACE_LEVELS = ['off', 'messages', 'verbose'] as const;

/**
 * The settings sent to the server, keyed like pyproject.toml. Only keys the
 * user actually set are present, so pyproject.toml keeps precedence for the
 * rest.
 */
export interface ServerSettings {
  select?: string[];
  ignore?: string[];
  'extend-select'?: string[];
  'per-file-ignores'?: Record<string, string[]>;
  severity?: Record<string, Severity>;
}

/**
 * VS Code setting key (below `dunderls.`) -> server (pyproject.toml) key, for
 * every setting that is forwarded to the server. `path` and `trace.server`
 * only concern the client and are not forwarded.
 */
export const SERVER_SETTING_KEYS = {
  select: 'select',
  ignore: 'ignore',
  extendSelect: 'extend-select',
  perFileIgnores: 'per-file-ignores',
  severity: 'severity',
} as const satisfies Record<string, keyof ServerSettings>;

export type UserSettingKey = keyof typeof SERVER_SETTING_KEYS;

/** Client-only settings (not forwarded to the server). */
export const CLIENT_SETTING_KEYS = ['path', 'trace.server'] as const;

/** The raw user values, as read from `workspace.getConfiguration('dunderls')`. */
export type UserSettings = Partial<Record<UserSettingKey, unknown>>;

export interface MappedSettings {
  settings: ServerSettings;
  /** Human-readable problems with values that were dropped or corrected. */
  warnings: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Normalises a list of rule codes/prefixes: trims, drops empty and non-string
 * entries, removes duplicates (first occurrence wins, order kept). Returns
 * `undefined` when nothing is left (the key is then omitted).
 */
function codeList(value: unknown, setting: string, warnings: string[]): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    warnings.push(`${setting}: expected an array of rule codes, got ${describe(value)}; ignored.`);
    return undefined;
  }
  const out: string[] = [];
  const seen = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string') {
      warnings.push(`${setting}: ignoring non-string entry ${describe(item)}.`);
      continue;
    }
    const code = item.trim();
    if (code === '' || seen.has(code)) {
      continue;
    }
    seen.add(code);
    out.push(code);
  }
  return out.length > 0 ? out : undefined;
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'object') {
    return 'an object';
  }
  return `${typeof value} ${JSON.stringify(value)}`;
}

function perFileIgnores(value: unknown, warnings: string[]): Record<string, string[]> | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    warnings.push(`dunderls.perFileIgnores: expected an object mapping globs to arrays of rule codes, got ${describe(value)}; ignored.`);
    return undefined;
  }
  const out: Record<string, string[]> = {};
  for (const [rawGlob, codes] of Object.entries(value)) {
    const glob = rawGlob.trim();
    if (glob === '') {
      warnings.push('dunderls.perFileIgnores: ignoring an empty glob.');
      continue;
    }
    const list = codeList(codes, `dunderls.perFileIgnores["${glob}"]`, warnings);
    if (list === undefined) {
      continue;
    }
    // Two keys that differ only in surrounding whitespace: merge them.
    const merged = out[glob] ? [...out[glob], ...list.filter((c) => !out[glob].includes(c))] : list;
    out[glob] = merged;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function severityMap(value: unknown, warnings: string[]): Record<string, Severity> | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    warnings.push(`dunderls.severity: expected an object mapping rule codes to a severity, got ${describe(value)}; ignored.`);
    return undefined;
  }
  const out: Record<string, Severity> = {};
  for (const [rawCode, level] of Object.entries(value)) {
    const code = rawCode.trim();
    if (code === '') {
      warnings.push('dunderls.severity: ignoring an empty rule code.');
      continue;
    }
    const lowered = typeof level === 'string' ? level.trim().toLowerCase() : undefined;
    const normalized = lowered !== undefined ? (SEVERITY_ALIASES[lowered] ?? lowered) : undefined;
    if (normalized === undefined || !(SEVERITIES as readonly string[]).includes(normalized)) {
      warnings.push(
        `dunderls.severity["${code}"]: ${describe(level)} is not one of ${SEVERITIES.join(', ')}; ignored.`,
      );
      continue;
    }
    out[code] = normalized as Severity;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Maps the user's `dunderls.*` settings to the server settings object, and
 * reports values that had to be dropped. Unset, empty and default values
 * (`[]`, `{}`) are omitted so that pyproject.toml decides those keys.
 */
export function mapSettings(user: UserSettings | undefined | null): MappedSettings {
  const warnings: string[] = [];
  const settings: ServerSettings = {};
  if (!user) {
    return { settings, warnings };
  }
  const select = codeList(user.select, 'dunderls.select', warnings);
  if (select) {
    settings.select = select;
  }
  const ignore = codeList(user.ignore, 'dunderls.ignore', warnings);
  if (ignore) {
    settings.ignore = ignore;
  }
  const extendSelect = codeList(user.extendSelect, 'dunderls.extendSelect', warnings);
  if (extendSelect) {
    settings['extend-select'] = extendSelect;
  }
  const pfi = perFileIgnores(user.perFileIgnores, warnings);
  if (pfi) {
    settings['per-file-ignores'] = pfi;
  }
  const severity = severityMap(user.severity, warnings);
  if (severity) {
    settings.severity = severity;
  }
  return { settings, warnings };
}

/** {@link mapSettings} without the warnings. */
export function toServerSettings(user: UserSettings | undefined | null): ServerSettings {
  return mapSettings(user).settings;
}

/**
 * Reads the user settings through a getter such as
 * `workspace.getConfiguration('dunderls', scope).get`.
 */
export function readUserSettings(get: (key: UserSettingKey) => unknown): UserSettings {
  const user: UserSettings = {};
  for (const key of Object.keys(SERVER_SETTING_KEYS) as UserSettingKey[]) {
    user[key] = get(key);
  }
  return user;
}

/**
 * Answers one item of a `workspace/configuration` request given the mapped
 * settings: the whole object for section `dunderls` (or a sub-key for
 * `dunderls.<server key>`); `undefined` for sections this extension does not
 * own, which the caller forwards to the default handler.
 */
export function configurationItem(section: string | null | undefined, settings: ServerSettings): unknown {
  if (section === SECTION) {
    return settings;
  }
  if (typeof section === 'string' && section.startsWith(`${SECTION}.`)) {
    const key = section.slice(SECTION.length + 1);
    const serverKeys = Object.values(SERVER_SETTING_KEYS) as string[];
    if (serverKeys.includes(key)) {
      return (settings as Record<string, unknown>)[key] ?? null;
    }
  }
  return undefined;
}
