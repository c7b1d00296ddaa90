// Smoke test of the bundle (dist/extension.js, built by `npm run build`):
// loads it against a fake `vscode` module and a fake `dunderls` executable and
// checks what really goes over the wire.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';

import { createFakeVscode, type FakeState } from './fakeVscode';

/* eslint-disable @typescript-eslint/no-explicit-any */

const BUNDLE = path.resolve(__dirname, '../../dist/extension.js');
const FIXTURE = path.resolve(__dirname, '../../test/fixtures/fake-dunderls.js');

interface Extension {
  activate(context: { subscriptions: { dispose(): unknown }[] }): Promise<void>;
  deactivate(): Promise<void>;
}

interface ServerRecord {
  pid: number;
  argv: string[];
  methods: string[];
  initializationOptions: unknown;
  configurationCapability: unknown;
  configuration: unknown;
  didChangeConfiguration: { settings: unknown }[];
}

let currentFake: any;
const moduleInternals = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleInternals._load;

function loadExtension(config: Record<string, unknown>): { ext: Extension; state: FakeState; context: { subscriptions: { dispose(): unknown }[] } } {
  const { vscode, state } = createFakeVscode(config);
  currentFake = vscode;
  delete require.cache[BUNDLE];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(BUNDLE) as Extension;
  return { ext, state, context: { subscriptions: [] } };
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

function readRecord(log: string): ServerRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(log, 'utf8')) as ServerRecord;
  } catch {
    return undefined;
  }
}

let tmp: string;
let fakeServer: string;
let log: string;

before(() => {
  assert.ok(fs.existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\` first`);
  moduleInternals._load = function load(this: unknown, request: string, ...rest: unknown[]) {
    if (request === 'vscode') {
      return currentFake;
    }
    return originalLoad.call(this, request, ...rest);
  };
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dunderls-vscode-test-'));
  log = path.join(tmp, 'server-log.json');
  fakeServer = path.join(tmp, 'dunderls');
  const source = fs.readFileSync(FIXTURE, 'utf8').replace('__LOG_PATH__', JSON.stringify(log));
  fs.writeFileSync(fakeServer, `#!${process.execPath}\n${source}`, { mode: 0o755 });
});

after(() => {
  moduleInternals._load = originalLoad;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('extension against a fake dunderls server', { skip: process.platform === 'win32' }, () => {
  let ext: Extension | undefined;

  afterEach(async () => {
    await ext?.deactivate();
    ext = undefined;
  });

  it('starts `dunderls server`, sends mapped settings as initializationOptions, answers workspace/configuration and forwards changes', async () => {
    fs.rmSync(log, { force: true });
    const loaded = loadExtension({
      path: fakeServer,
      select: ['DUN1', ' DUN1 '],
      ignore: [],
      extendSelect: [],
      perFileIgnores: { 'tests/**': ['DUN2'] },
      severity: { DUN101: 'Hint' },
      'trace.server': 'off',
    });
    ext = loaded.ext;
    const { state } = loaded;
    await ext.activate(loaded.context);

    for (const command of ['dunderls.restart', 'dunderls.showRuleDocs', 'dunderls.fixAll']) {
      assert.ok(state.commands.has(command), `${command} is registered`);
    }

    const expected = { select: ['DUN1'], 'per-file-ignores': { 'tests/**': ['DUN2'] }, severity: { DUN101: 'hint' } };
    const first = await waitFor('workspace/configuration answer and didChangeConfiguration', () => {
      const r = readRecord(log);
      return r && r.configuration !== undefined && r.didChangeConfiguration.length > 0 ? r : undefined;
    });
    assert.deepEqual(first.argv, ['server']);
    assert.equal(first.configurationCapability, true);
    assert.deepEqual(first.initializationOptions, expected);
    // [dunderls] -> mapped object, [dunderls.select] -> its value, [editor] -> default handler (unset here).
    assert.deepEqual(first.configuration, [expected, ['DUN1'], null]);
    assert.deepEqual(first.didChangeConfiguration[0], { settings: { dunderls: expected } });
    assert.deepEqual(
      state.messages.filter((m) => m.level === 'error'),
      [],
      'no error notification',
    );

    // A settings change is forwarded, mapped.
    state.config.select = [];
    state.config.ignore = ['DUN3'];
    state.fireConfigurationChange(['dunderls.ignore', 'dunderls.select']);
    const changed = await waitFor('second didChangeConfiguration', () => {
      const r = readRecord(log);
      return r && r.didChangeConfiguration.length > 1 ? r : undefined;
    });
    assert.deepEqual(changed.didChangeConfiguration.at(-1), {
      settings: { dunderls: { ignore: ['DUN3'], 'per-file-ignores': { 'tests/**': ['DUN2'] }, severity: { DUN101: 'hint' } } },
    });

    // dunderls.restart stops this server and starts a new process.
    await state.commands.get('dunderls.restart')!();
    const stopped = first.pid;
    const restarted = await waitFor('restarted server', () => {
      const r = readRecord(log);
      return r && r.pid !== stopped && r.configuration !== undefined && r.didChangeConfiguration.length > 0 ? r : undefined;
    });
    assert.deepEqual(restarted.initializationOptions, { ignore: ['DUN3'], 'per-file-ignores': { 'tests/**': ['DUN2'] }, severity: { DUN101: 'hint' } });

    // deactivate shuts the server down cleanly.
    await ext.deactivate();
    ext = undefined;
    const final = await waitFor('shutdown + exit', () => {
      const r = readRecord(log);
      return r && r.methods.includes('exit') ? r : undefined;
    });
    assert.deepEqual(final.methods.slice(-2), ['shutdown', 'exit']);
  });

  it('dunderls.showRuleDocs with a code runs `dunderls explain CODE` and previews the markdown', async () => {
    const loaded = loadExtension({ path: fakeServer });
    ext = loaded.ext;
    const { state } = loaded;
    await ext.activate(loaded.context);

    await state.commands.get('dunderls.showRuleDocs')!('DUN101');
    const preview = state.executed.find((e) => e.command === 'markdown.showPreview');
    assert.ok(preview, 'markdown.showPreview was executed');
    const uri = preview.args[0] as { scheme: string; toString(): string };
    const provider = state.contentProviders.get(uri.scheme);
    assert.ok(provider, `a content provider is registered for ${uri.scheme}`);
    assert.match(provider.provideTextDocumentContent(uri as never), /^# DUN101\n\nFake documentation for DUN101\./);

    // A failing explain shows its stderr instead of nothing.
    await state.commands.get('dunderls.showRuleDocs')!('NOPE');
    const previews = state.executed.filter((e) => e.command === 'markdown.showPreview');
    const failed = previews.at(-1)!.args[0] as { toString(): string };
    assert.match(provider.provideTextDocumentContent(failed as never), /unknown rule NOPE/);
  });

  it('shows an actionable error with an Open Settings button when dunderls.path does not exist', async () => {
    const loaded = loadExtension({ path: path.join(tmp, 'no-such-dir', 'dunderls') });
    ext = loaded.ext;
    const { state } = loaded;
    state.errorChoice = 'Open Settings';
    await ext.activate(loaded.context);

    const error = await waitFor('error notification', () => state.messages.find((m) => m.level === 'error'));
    assert.match(error.text, /no-such-dir/);
    assert.match(error.text, /cargo install --path crates\/dunderls/);
    assert.match(error.text, /dunderls\.path/);
    assert.ok(error.items.includes('Open Settings'));
    const opened = await waitFor('open settings', () =>
      state.executed.find((e) => e.command === 'workbench.action.openSettings'),
    );
    assert.deepEqual(opened.args, ['dunderls.path']);
  });

  it('shows the same error when dunderls is not on PATH', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(tmp, 'empty-path-dir');
    try {
      const loaded = loadExtension({ path: '' });
      ext = loaded.ext;
      await ext.activate(loaded.context);
      const error = await waitFor('error notification', () => loaded.state.messages.find((m) => m.level === 'error'));
      assert.match(error.text, /not found on PATH/);
      assert.match(error.text, /cargo install --path crates\/dunderls/);
      assert.ok(error.items.includes('Open Settings'));
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('reports spawn ENOENT (executable whose interpreter is missing) with the same error', async () => {
    const broken = path.join(tmp, 'broken-dunderls');
    fs.writeFileSync(broken, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const loaded = loadExtension({ path: broken });
    ext = loaded.ext;
    await ext.activate(loaded.context);
    const error = await waitFor('error notification', () =>
      loaded.state.messages.find((m) => m.level === 'error' && /cargo install/.test(m.text)),
    );
    assert.match(error.text, /ENOENT/);
    assert.ok(error.items.includes('Open Settings'));
  });
});
