// Checks package.json (the extension manifest) against the settings module,
// so a setting cannot be added to one and forgotten in the other.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { CLIENT_SETTING_KEYS, SERVER_SETTING_KEYS, SEVERITIES, toServerSettings, TRACE_LEVELS, type UserSettings } from '../src/settings';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const properties: Record<string, { type: string; default: unknown; enum?: string[]; items?: unknown; additionalProperties?: any }> =
  manifest.contributes.configuration.properties;

describe('package.json', () => {
  it('identifies the extension', () => {
    assert.equal(manifest.name, 'dunderls');
    assert.equal(manifest.publisher, 'dunderls');
    assert.equal(typeof manifest.displayName, 'string');
    assert.equal(manifest.engines.vscode, '^1.85.0');
    assert.equal(manifest.main, './dist/extension.js');
    assert.deepEqual(manifest.activationEvents, ['onLanguage:python']);
  });

  it('declares exactly the settings the extension reads', () => {
    const expected = [
      ...CLIENT_SETTING_KEYS.map((k) => `dunderls.${k}`),
      ...Object.keys(SERVER_SETTING_KEYS).map((k) => `dunderls.${k}`),
    ].sort();
    assert.deepEqual(Object.keys(properties).sort(), expected);
  });

  it('gives each setting the documented type and default', () => {
    assert.equal(properties['dunderls.path'].type, 'string');
    assert.equal(properties['dunderls.path'].default, '');
    for (const key of ['select', 'ignore', 'extendSelect']) {
      assert.equal(properties[`dunderls.${key}`].type, 'array', key);
      assert.deepEqual(properties[`dunderls.${key}`].default, [], key);
      assert.deepEqual(properties[`dunderls.${key}`].items, { type: 'string', minLength: 1 }, key);
    }
    assert.equal(properties['dunderls.perFileIgnores'].type, 'object');
    assert.equal(properties['dunderls.perFileIgnores'].additionalProperties.type, 'array');
    assert.deepEqual(properties['dunderls.perFileIgnores'].default, {});
    assert.equal(properties['dunderls.severity'].type, 'object');
    assert.deepEqual(properties['dunderls.severity'].additionalProperties.enum, [...SEVERITIES]);
    assert.deepEqual(properties['dunderls.severity'].default, {});
    assert.deepEqual(properties['dunderls.trace.server'].enum, [...TRACE_LEVELS]);
    assert.equal(properties['dunderls.trace.server'].default, 'off');
  });

  it('schema defaults map to no server settings (pyproject.toml wins)', () => {
    const user: UserSettings = {};
    for (const key of Object.keys(SERVER_SETTING_KEYS) as (keyof typeof SERVER_SETTING_KEYS)[]) {
      user[key] = properties[`dunderls.${key}`].default;
    }
    assert.deepEqual(toServerSettings(user), {});
  });

  it('declares the three commands', () => {
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(commands, ['dunderls.fixAll', 'dunderls.restart', 'dunderls.showRuleDocs']);
    for (const c of manifest.contributes.commands) {
      assert.equal(typeof c.title, 'string');
    }
  });

  it('keeps dependency versions within what this toolchain supports', () => {
    assert.match(manifest.dependencies['vscode-languageclient'], /^\^9\./);
    assert.match(manifest.devDependencies['@vscode/vsce'], /^\^3\./, '@vscode/vsce 4 needs Node 22');
    // vsce refuses @types/vscode newer than engines.vscode.
    assert.match(manifest.devDependencies['@types/vscode'], /^~1\.85\./);
  });

  it('ships only dist/extension.js, package.json, README.md and LICENSE', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    const rules = ignore.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    assert.deepEqual(rules, ['**', '!dist/extension.js', '!package.json', '!README.md', '!LICENSE']);
    assert.ok(fs.existsSync(path.join(root, 'LICENSE')));
    assert.ok(fs.existsSync(path.join(root, 'README.md')));
  });
});
