// Locating the `dunderls` executable. Pure apart from the injected file-system
// probe, so it is unit-tested with `node --test` (no `vscode` import).

import * as path from 'node:path';

export const BINARY_NAME = 'dunderls';

/** The fix shown to the user whenever the executable cannot be found. */
export const INSTALL_HINT =
  'Install dunderls with `cargo install --path crates/dunderls` (from the dunderls repository) or set `dunderls.path` to the executable.';

export interface ResolveOptions {
  /** Value of `dunderls.path` ("" = look up `dunderls` on PATH). */
  configured: string | undefined;
  /** Process environment (PATH, PATHEXT, ...). */
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  homedir: string;
  /** File-system paths of the workspace folders, first one first. */
  workspaceFolders: readonly string[];
  /** True when `p` is an existing executable file. */
  isExecutable: (p: string) => boolean;
}

export type Resolution =
  | { ok: true; command: string; source: 'setting' | 'path' }
  | { ok: false; reason: 'not-on-path' | 'configured-missing'; searched: string; message: string };

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function envValue(env: Record<string, string | undefined>, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') {
    return env[name];
  }
  // Windows environment variable names are case-insensitive.
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

/** Expands `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}`. */
export function expandVariables(value: string, opts: Pick<ResolveOptions, 'env' | 'platform' | 'homedir' | 'workspaceFolders'>): string {
  let out = value.trim();
  if (out === '~' || out.startsWith('~/') || (opts.platform === 'win32' && out.startsWith('~\\'))) {
    out = opts.homedir + out.slice(1);
  }
  out = out.replace(/\$\{(userHome|workspaceFolder|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (whole, name: string, envName?: string) => {
    if (name === 'userHome') {
      return opts.homedir;
    }
    if (name === 'workspaceFolder') {
      return opts.workspaceFolders[0] ?? whole;
    }
    return envValue(opts.env, envName ?? '', opts.platform) ?? '';
  });
  return out;
}

/** Candidate file names for `name` in one directory (PATHEXT on Windows). */
function candidates(dir: string, name: string, opts: Pick<ResolveOptions, 'env' | 'platform'>): string[] {
  const p = pathApi(opts.platform);
  const base = p.join(dir, name);
  if (opts.platform !== 'win32' || p.extname(name) !== '') {
    return [base];
  }
  const exts = (envValue(opts.env, 'PATHEXT', opts.platform) ?? '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .filter((e) => e !== '');
  return [base, ...exts.map((e) => base + e.toLowerCase())];
}

/** Looks `name` up on PATH; returns the first executable match. */
export function findOnPath(name: string, opts: Pick<ResolveOptions, 'env' | 'platform' | 'isExecutable'>): string | undefined {
  const p = pathApi(opts.platform);
  const dirs = (envValue(opts.env, 'PATH', opts.platform) ?? '').split(p.delimiter).filter((d) => d !== '');
  for (const dir of dirs) {
    for (const candidate of candidates(dir, name, opts)) {
      if (opts.isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * Resolves the server executable from `dunderls.path`:
 * - empty: `dunderls` on PATH;
 * - a bare name without a directory part (`dunderls-dev`): looked up on PATH;
 * - otherwise a file path (variables expanded, relative paths resolved against
 *   the first workspace folder) that must exist.
 */
export function resolveServerCommand(opts: ResolveOptions): Resolution {
  const p = pathApi(opts.platform);
  const configured = expandVariables(opts.configured ?? '', opts);
  if (configured === '') {
    const found = findOnPath(BINARY_NAME, opts);
    return found !== undefined
      ? { ok: true, command: found, source: 'path' }
      : {
          ok: false,
          reason: 'not-on-path',
          searched: BINARY_NAME,
          message: `The \`${BINARY_NAME}\` executable was not found on PATH.`,
        };
  }
  const hasDir = configured.includes('/') || (opts.platform === 'win32' && configured.includes('\\'));
  if (!hasDir && !p.isAbsolute(configured)) {
    const found = findOnPath(configured, opts);
    return found !== undefined
      ? { ok: true, command: found, source: 'setting' }
      : {
          ok: false,
          reason: 'configured-missing',
          searched: configured,
          message: `\`dunderls.path\` is "${opts.configured}", which was not found on PATH.`,
        };
  }
  const base = opts.workspaceFolders[0];
  const absolute = p.isAbsolute(configured) ? configured : base !== undefined ? p.resolve(base, configured) : undefined;
  if (absolute !== undefined) {
    const exts = opts.platform === 'win32' && p.extname(absolute) === '' ? ['', '.exe', '.cmd', '.bat'] : [''];
    for (const ext of exts) {
      if (opts.isExecutable(absolute + ext)) {
        return { ok: true, command: absolute + ext, source: 'setting' };
      }
    }
  }
  return {
    ok: false,
    reason: 'configured-missing',
    searched: absolute ?? configured,
    message:
      absolute === undefined
        ? `\`dunderls.path\` is the relative path "${opts.configured}", but no workspace folder is open to resolve it against.`
        : `\`dunderls.path\` points to "${absolute}", which does not exist or is not an executable file.`,
  };
}

/** True when a spawn/start error means the executable does not exist. */
export function isNotFoundError(error: unknown): boolean {
  if (error === null || error === undefined) {
    return false;
  }
  if (typeof error === 'object' && (error as { code?: unknown }).code === 'ENOENT') {
    return true;
  }
  const text = error instanceof Error ? `${error.message}` : String(error);
  return /\bENOENT\b/.test(text);
}
