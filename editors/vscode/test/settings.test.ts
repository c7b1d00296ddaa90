import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  configurationItem,
  mapSettings,
  readUserSettings,
  SERVER_SETTING_KEYS,
  toServerSettings,
  type UserSettings,
} from '../src/settings';

describe('toServerSettings', () => {
  it('returns an empty object when nothing is set', () => {
    assert.deepEqual(toServerSettings(undefined), {});
    assert.deepEqual(toServerSettings(null), {});
    assert.deepEqual(toServerSettings({}), {});
  });

  it('omits the schema defaults ([] and {}) so pyproject.toml keeps precedence', () => {
    const defaults: UserSettings = { select: [], ignore: [], extendSelect: [], perFileIgnores: {}, severity: {} };
    const { settings, warnings } = mapSettings(defaults);
    assert.deepEqual(settings, {});
    assert.deepEqual(warnings, []);
  });

  it('maps every key to its pyproject.toml name', () => {
    const settings = toServerSettings({
      select: ['DUN1'],
      ignore: ['DUN101'],
      extendSelect: ['DUN9'],
      perFileIgnores: { 'tests/**': ['DUN2'] },
      severity: { DUN101: 'hint' },
    });
    assert.deepEqual(settings, {
      select: ['DUN1'],
      ignore: ['DUN101'],
      'extend-select': ['DUN9'],
      'per-file-ignores': { 'tests/**': ['DUN2'] },
      severity: { DUN101: 'hint' },
    });
    assert.deepEqual(Object.keys(settings).sort(), Object.values(SERVER_SETTING_KEYS).sort());
  });

  it('emits only the keys the user set', () => {
    assert.deepEqual(toServerSettings({ ignore: ['DUN3'], select: [] }), { ignore: ['DUN3'] });
    assert.deepEqual(toServerSettings({ extendSelect: ['DUN4'] }), { 'extend-select': ['DUN4'] });
    assert.equal('select' in toServerSettings({ ignore: ['X'] }), false);
  });

  it('trims codes, drops empty ones and duplicates, keeps order', () => {
    assert.deepEqual(toServerSettings({ select: [' DUN2 ', 'DUN1', '', '  ', 'DUN2', 'DUN1'] }), { select: ['DUN2', 'DUN1'] });
    assert.deepEqual(toServerSettings({ ignore: ['', ' '] }), {});
  });

  it('does not change the case of codes (the server decides what a code is)', () => {
    assert.deepEqual(toServerSettings({ select: ['dl1', 'hash-without-eq'] }), { select: ['dl1', 'hash-without-eq'] });
  });

  it('drops wrongly typed values with a warning instead of sending them', () => {
    const { settings, warnings } = mapSettings({
      select: 'DUN1',
      ignore: [1, 'DUN2', null],
      extendSelect: { a: 1 },
      perFileIgnores: ['x'],
      severity: 'error',
    });
    assert.deepEqual(settings, { ignore: ['DUN2'] });
    assert.equal(warnings.length, 6);
    assert.match(warnings.join('\n'), /dunderls\.select: expected an array/);
    assert.match(warnings.join('\n'), /dunderls\.perFileIgnores: expected an object/);
    assert.match(warnings.join('\n'), /dunderls\.severity: expected an object/);
  });

  it('maps per-file-ignores, dropping empty globs and empty lists', () => {
    const { settings, warnings } = mapSettings({
      perFileIgnores: {
        'tests/**/*.py': ['DUN1', ' DUN2', 'DUN1'],
        'empty.py': [],
        '': ['DUN3'],
        'bad.py': 'DUN4',
        ' spaced/*.py ': ['DUN5'],
      },
    });
    assert.deepEqual(settings, {
      'per-file-ignores': { 'tests/**/*.py': ['DUN1', 'DUN2'], 'spaced/*.py': ['DUN5'] },
    });
    assert.equal(warnings.length, 2);
  });

  it('omits per-file-ignores when every entry is empty', () => {
    assert.deepEqual(toServerSettings({ perFileIgnores: { 'a.py': [], 'b.py': ['  '] } }), {});
  });

  it('accepts the short severity forms the server knows, sending the canonical name', () => {
    assert.deepEqual(toServerSettings({ severity: { A: 'warn', B: 'info', C: 'E', D: 'h' } }), {
      severity: { A: 'warning', B: 'information', C: 'error', D: 'hint' },
    });
  });

  it('normalises severities and rejects unknown ones', () => {
    const { settings, warnings } = mapSettings({
      severity: { DUN1: 'Error', ' DUN2 ': ' WARNING ', DUN3: 'information', DUN4: 'hint', DUN5: 'fatal', DUN6: 2, '': 'hint' },
    });
    assert.deepEqual(settings, {
      severity: { DUN1: 'error', DUN2: 'warning', DUN3: 'information', DUN4: 'hint' },
    });
    assert.equal(warnings.length, 3);
    assert.match(warnings.join('\n'), /DUN5.*not one of error, warning, information, hint/);
  });

  it('ignores client-only settings such as path and trace.server', () => {
    const user = { path: '/usr/bin/dunderls', 'trace.server': 'verbose', select: ['DUN1'] } as UserSettings;
    assert.deepEqual(toServerSettings(user), { select: ['DUN1'] });
  });

  it('returns plain JSON (serialisable, no shared references with the input)', () => {
    const input = { select: ['DUN1'], perFileIgnores: { 'a.py': ['DUN2'] } };
    const settings = toServerSettings(input);
    assert.deepEqual(JSON.parse(JSON.stringify(settings)), settings);
    settings.select!.push('X');
    settings['per-file-ignores']!['a.py'].push('Y');
    assert.deepEqual(input, { select: ['DUN1'], perFileIgnores: { 'a.py': ['DUN2'] } });
  });
});

describe('readUserSettings', () => {
  it('reads exactly the forwarded keys through the getter', () => {
    const asked: string[] = [];
    const user = readUserSettings((key) => {
      asked.push(key);
      return key === 'select' ? ['DUN1'] : undefined;
    });
    assert.deepEqual(asked.sort(), Object.keys(SERVER_SETTING_KEYS).sort());
    assert.deepEqual(toServerSettings(user), { select: ['DUN1'] });
  });
});

describe('configurationItem', () => {
  const settings = toServerSettings({ select: ['DUN1'], severity: { DUN1: 'hint' } });

  it('answers the dunderls section with the mapped object', () => {
    assert.deepEqual(configurationItem('dunderls', settings), settings);
  });

  it('answers dunderls.<pyproject key> with that key, null when unset', () => {
    assert.deepEqual(configurationItem('dunderls.select', settings), ['DUN1']);
    assert.deepEqual(configurationItem('dunderls.severity', settings), { DUN1: 'hint' });
    assert.equal(configurationItem('dunderls.ignore', settings), null);
    assert.equal(configurationItem('dunderls.per-file-ignores', settings), null);
  });

  it('leaves other sections to the default handler', () => {
    assert.equal(configurationItem('python', settings), undefined);
    assert.equal(configurationItem('dunderls.path', settings), undefined);
    assert.equal(configurationItem('dunderlsx', settings), undefined);
    assert.equal(configurationItem(undefined, settings), undefined);
    assert.equal(configurationItem(null, settings), undefined);
  });
});
