// A minimal in-process stand-in for the `vscode` module, enough to load the
// bundled extension (dist/extension.js) with vscode-languageclient and drive
// it against a fake server. Real VS Code cannot be downloaded in CI.
//
// Explicitly modelled: configuration, commands, output channels, messages,
// diagnostics collections, content providers, Uri, EventEmitter, Disposable,
// CodeActionKind. Everything else is a universal stub: any property access or
// call returns another stub (iterable as empty, not thenable).

/* eslint-disable @typescript-eslint/no-explicit-any */

export type Listener<T> = (e: T) => unknown;

function makeStub(name: string): any {
  const target = function stub() {
    /* stub */
  };
  const children = new Map<PropertyKey, any>();
  return new Proxy(target, {
    get(t, prop) {
      if (prop === 'then') {
        return undefined;
      }
      if (prop === Symbol.iterator) {
        return function* empty() {
          /* nothing */
        };
      }
      if (prop === Symbol.toPrimitive) {
        return () => `[stub ${name}]`;
      }
      if (prop === 'prototype') {
        return t.prototype;
      }
      if (prop === 'length') {
        return 0;
      }
      if (Reflect.has(t, prop) && prop !== 'name') {
        return Reflect.get(t, prop);
      }
      if (!children.has(prop)) {
        children.set(prop, makeStub(`${name}.${String(prop)}`));
      }
      return children.get(prop);
    },
    apply() {
      return makeStub(`${name}()`);
    },
    construct() {
      return makeStub(`new ${name}`);
    },
  });
}

export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  constructor(private readonly fn: () => unknown = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      l(e);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static parse(value: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) {
      return new Uri('file', '', value, '', '');
    }
    return new Uri(m[1], m[2] ?? '', decodeURIComponent(m[3] ?? ''), m[4] ?? '', m[5] ?? '');
  }
  static file(fsPath: string): Uri {
    return new Uri('file', '', fsPath, '', '');
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  get fsPath(): string {
    return this.path;
  }
  with(c: Partial<{ scheme: string; authority: string; path: string; query: string; fragment: string }>): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }
  toString(): string {
    const auth = this.scheme === 'file' || this.authority !== '' ? `//${this.authority}` : '';
    return `${this.scheme}:${auth}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, path: this.path };
  }
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceOrganizeImports = new CodeActionKind('source.organizeImports');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export interface Message {
  level: 'error' | 'warning' | 'information';
  text: string;
  items: string[];
}

export interface FakeState {
  /** `dunderls.*` values by key below `dunderls.` (e.g. `select`, `trace.server`). */
  config: Record<string, unknown>;
  commands: Map<string, (...args: any[]) => unknown>;
  executed: { command: string; args: unknown[] }[];
  messages: Message[];
  /** What the next showErrorMessage resolves to. */
  errorChoice?: string;
  output: string[];
  contentProviders: Map<string, { provideTextDocumentContent(uri: Uri): string }>;
  fireConfigurationChange(changed: string[]): void;
}

export function createFakeVscode(config: Record<string, unknown>): { vscode: any; state: FakeState } {
  const configChange = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
  const state: FakeState = {
    config,
    commands: new Map(),
    executed: [],
    messages: [],
    output: [],
    contentProviders: new Map(),
    fireConfigurationChange(changed: string[]) {
      configChange.fire({
        affectsConfiguration: (section: string) =>
          changed.some((c) => c === section || c.startsWith(`${section}.`) || section.startsWith(`${c}.`)),
      });
    },
  };

  const getConfiguration = (section?: string) => {
    const lookup = (key: string): unknown => {
      const full = section ? `${section}.${key}` : key;
      if (full === 'dunderls') {
        return { ...state.config };
      }
      if (full.startsWith('dunderls.')) {
        return state.config[full.slice('dunderls.'.length)];
      }
      return undefined;
    };
    return {
      get: (key: string, defaultValue?: unknown) => lookup(key) ?? defaultValue,
      has: (key: string) => lookup(key) !== undefined,
      inspect: () => undefined,
      update: async () => undefined,
    };
  };

  const channel = (name: string) => {
    const log = (level: string) => (text: string) => state.output.push(`[${name}] ${level} ${text}`);
    return {
      name,
      append: log(''),
      appendLine: log(''),
      replace: log(''),
      trace: log('trace'),
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      clear: () => undefined,
      show: () => undefined,
      hide: () => undefined,
      dispose: () => undefined,
      logLevel: 2,
      onDidChangeLogLevel: new EventEmitter<number>().event,
    };
  };

  const message = (level: Message['level']) => async (text: string, ...rest: unknown[]) => {
    const items = rest.filter((r): r is string => typeof r === 'string');
    state.messages.push({ level, text, items });
    return level === 'error' && state.errorChoice !== undefined && items.includes(state.errorChoice) ? state.errorChoice : undefined;
  };

  const diagnosticCollection = (name?: string) => {
    const map = new Map<string, unknown[]>();
    return {
      name,
      set: (uri: Uri, diags: unknown[]) => map.set(uri.toString(), diags),
      get: (uri: Uri) => map.get(uri.toString()),
      has: (uri: Uri) => map.has(uri.toString()),
      delete: (uri: Uri) => map.delete(uri.toString()),
      clear: () => map.clear(),
      forEach: () => undefined,
      dispose: () => map.clear(),
    };
  };

  const explicit: Record<string, any> = {
    version: '1.85.0',
    Uri,
    Disposable,
    EventEmitter,
    CodeActionKind,
    env: {
      language: 'en',
      appName: 'fake',
      machineId: 'test',
      openExternal: async (uri: Uri) => {
        state.executed.push({ command: 'env.openExternal', args: [uri.toString()] });
        return true;
      },
    },
    workspace: new Proxy(
      {
        getConfiguration,
        workspaceFolders: undefined,
        textDocuments: [],
        notebookDocuments: [],
        onDidChangeConfiguration: configChange.event,
        registerTextDocumentContentProvider: (scheme: string, provider: any) => {
          state.contentProviders.set(scheme, provider);
          return new Disposable(() => state.contentProviders.delete(scheme));
        },
        openTextDocument: async (uri: Uri) => ({ uri }),
      } as Record<string, any>,
      { get: (t, p: string) => (p in t ? t[p] : stubFor(`workspace.${p}`)) },
    ),
    window: new Proxy(
      {
        createOutputChannel: (name: string) => channel(name),
        showErrorMessage: message('error'),
        showWarningMessage: message('warning'),
        showInformationMessage: message('information'),
        activeTextEditor: undefined,
        visibleTextEditors: [],
        setStatusBarMessage: () => new Disposable(),
      } as Record<string, any>,
      { get: (t, p: string) => (p in t ? t[p] : stubFor(`window.${p}`)) },
    ),
    commands: {
      registerCommand: (id: string, fn: (...args: any[]) => unknown) => {
        if (state.commands.has(id)) {
          throw new Error(`command ${id} already registered`);
        }
        state.commands.set(id, fn);
        return new Disposable(() => state.commands.delete(id));
      },
      executeCommand: async (id: string, ...args: unknown[]) => {
        state.executed.push({ command: id, args });
        const fn = state.commands.get(id);
        return fn ? fn(...args) : undefined;
      },
      getCommands: async () => [...state.commands.keys()],
    },
    languages: new Proxy(
      {
        createDiagnosticCollection: diagnosticCollection,
        getDiagnostics: () => [],
        match: () => 0,
      } as Record<string, any>,
      { get: (t, p: string) => (p in t ? t[p] : stubFor(`languages.${p}`)) },
    ),
  };

  const stubs = new Map<string, any>();
  function stubFor(name: string): any {
    if (!stubs.has(name)) {
      stubs.set(name, makeStub(name));
    }
    return stubs.get(name);
  }

  const vscode = new Proxy(explicit, {
    get: (t, p) => {
      if (typeof p !== 'string') {
        return undefined;
      }
      if (p === '__esModule') {
        return false;
      }
      return p in t ? t[p] : stubFor(p);
    },
  });
  return { vscode, state };
}
