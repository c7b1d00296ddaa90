import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { expandVariables, findOnPath, INSTALL_HINT, isNotFoundError, resolveServerCommand, type ResolveOptions } from '../src/serverPath';

function posix(files: string[], overrides: Partial<ResolveOptions> = {}): ResolveOptions {
  const set = new Set(files);
  return {
    configured: '',
    env: { PATH: '/usr/local/bin:/usr/bin:/home/me/.cargo/bin' },
    platform: 'linux',
    homedir: '/home/me',
    workspaceFolders: ['/work/proj'],
    isExecutable: (p) => set.has(p),
    ...overrides,
  };
}

describe('resolveServerCommand', () => {
  it('finds dunderls on PATH when dunderls.path is empty', () => {
    const r = resolveServerCommand(posix(['/usr/bin/dunderls', '/home/me/.cargo/bin/dunderls']));
    assert.deepEqual(r, { ok: true, command: '/usr/bin/dunderls', source: 'path' });
  });

  it('treats a whitespace-only setting as empty', () => {
    const r = resolveServerCommand(posix(['/home/me/.cargo/bin/dunderls'], { configured: '   ' }));
    assert.deepEqual(r, { ok: true, command: '/home/me/.cargo/bin/dunderls', source: 'path' });
  });

  it('reports not-on-path when PATH has no dunderls', () => {
    const r = resolveServerCommand(posix([]));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'not-on-path');
    assert.match(!r.ok ? r.message : '', /not found on PATH/);
  });

  it('reports not-on-path when PATH is unset', () => {
    const r = resolveServerCommand(posix(['/usr/bin/dunderls'], { env: {} }));
    assert.equal(r.ok, false);
  });

  it('uses an absolute dunderls.path that exists', () => {
    const r = resolveServerCommand(posix(['/opt/dl/dunderls'], { configured: '/opt/dl/dunderls' }));
    assert.deepEqual(r, { ok: true, command: '/opt/dl/dunderls', source: 'setting' });
  });

  it('reports configured-missing for an absolute path that does not exist, even if PATH has one', () => {
    const r = resolveServerCommand(posix(['/usr/bin/dunderls'], { configured: '/opt/missing/dunderls' }));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'configured-missing');
    assert.match(!r.ok ? r.message : '', /\/opt\/missing\/dunderls/);
  });

  it('expands ~ and ${userHome}', () => {
    const files = ['/home/me/.cargo/bin/dunderls'];
    assert.deepEqual(resolveServerCommand(posix(files, { configured: '~/.cargo/bin/dunderls', env: {} })), {
      ok: true,
      command: '/home/me/.cargo/bin/dunderls',
      source: 'setting',
    });
    assert.deepEqual(resolveServerCommand(posix(files, { configured: '${userHome}/.cargo/bin/dunderls', env: {} })), {
      ok: true,
      command: '/home/me/.cargo/bin/dunderls',
      source: 'setting',
    });
  });

  it('resolves ${workspaceFolder} and relative paths against the first workspace folder', () => {
    const files = ['/work/proj/target/debug/dunderls'];
    for (const configured of ['${workspaceFolder}/target/debug/dunderls', './target/debug/dunderls', 'target/debug/dunderls']) {
      assert.deepEqual(resolveServerCommand(posix(files, { configured })), {
        ok: true,
        command: '/work/proj/target/debug/dunderls',
        source: 'setting',
      });
    }
  });

  it('cannot resolve a relative path without a workspace folder', () => {
    const r = resolveServerCommand(posix(['/work/proj/target/debug/dunderls'], { configured: 'target/debug/dunderls', workspaceFolders: [] }));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.message : '', /no workspace folder/);
  });

  it('looks a bare command name up on PATH', () => {
    const r = resolveServerCommand(posix(['/usr/local/bin/dunderls-dev'], { configured: 'dunderls-dev' }));
    assert.deepEqual(r, { ok: true, command: '/usr/local/bin/dunderls-dev', source: 'setting' });
    const missing = resolveServerCommand(posix([], { configured: 'dunderls-dev' }));
    assert.equal(!missing.ok && missing.reason, 'configured-missing');
  });

  it('expands ${env:NAME}', () => {
    const r = resolveServerCommand(posix(['/opt/x/dunderls'], { configured: '${env:DL_HOME}/dunderls', env: { DL_HOME: '/opt/x' } }));
    assert.deepEqual(r, { ok: true, command: '/opt/x/dunderls', source: 'setting' });
  });

  it('uses PATHEXT and case-insensitive Path on Windows', () => {
    const opts: ResolveOptions = {
      configured: '',
      env: { Path: 'C:\\tools;C:\\Users\\me\\.cargo\\bin', PATHEXT: '.COM;.EXE' },
      platform: 'win32',
      homedir: 'C:\\Users\\me',
      workspaceFolders: ['C:\\proj'],
      isExecutable: (p) => p === 'C:\\Users\\me\\.cargo\\bin\\dunderls.exe',
    };
    assert.deepEqual(resolveServerCommand(opts), { ok: true, command: 'C:\\Users\\me\\.cargo\\bin\\dunderls.exe', source: 'path' });
    const configured = resolveServerCommand({
      ...opts,
      configured: '~\\.cargo\\bin\\dunderls',
      isExecutable: (p) => p === 'C:\\Users\\me\\.cargo\\bin\\dunderls.exe',
    });
    assert.deepEqual(configured, { ok: true, command: 'C:\\Users\\me\\.cargo\\bin\\dunderls.exe', source: 'setting' });
  });
});

describe('helpers', () => {
  it('findOnPath skips empty PATH entries', () => {
    assert.equal(findOnPath('dunderls', { env: { PATH: '::/bin:' }, platform: 'linux', isExecutable: (p) => p === '/bin/dunderls' }), '/bin/dunderls');
  });

  it('expandVariables leaves ${workspaceFolder} alone without a folder', () => {
    assert.equal(
      expandVariables('${workspaceFolder}/x', { env: {}, platform: 'linux', homedir: '/h', workspaceFolders: [] }),
      '${workspaceFolder}/x',
    );
  });

  it('isNotFoundError recognises spawn ENOENT in its usual shapes', () => {
    assert.equal(isNotFoundError(Object.assign(new Error('spawn dunderls ENOENT'), { code: 'ENOENT' })), true);
    // vscode-languageclient rejects start() with a string.
    assert.equal(isNotFoundError('Launching server using command dunderls failed. Error: spawn dunderls ENOENT'), true);
    assert.equal(isNotFoundError(new Error('Server initialization failed')), false);
    assert.equal(isNotFoundError(undefined), false);
  });

  it('the install hint names the cargo command and the setting', () => {
    assert.match(INSTALL_HINT, /cargo install --path crates\/dunderls/);
    assert.match(INSTALL_HINT, /dunderls\.path/);
  });
});
