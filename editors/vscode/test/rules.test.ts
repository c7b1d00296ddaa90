import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { distinctRules, explainFailureMarkdown, isPlausibleRuleCode, ruleOf } from '../src/rules';

const target = (href: string) => ({ toString: () => href });

describe('ruleOf', () => {
  it('reads code and codeDescription.href (vscode puts it in code.target)', () => {
    assert.deepEqual(ruleOf({ source: 'dunderls', code: { value: 'DUN101', target: target('https://docs/DUN101') } }), {
      code: 'DUN101',
      href: 'https://docs/DUN101',
    });
  });

  it('accepts plain string and number codes, and a missing source', () => {
    assert.deepEqual(ruleOf({ source: 'dunderls', code: 'DUN1' }), { code: 'DUN1' });
    assert.deepEqual(ruleOf({ code: 7 }), { code: '7' });
  });

  it('rejects other sources and code-less diagnostics', () => {
    assert.equal(ruleOf({ source: 'Pylance', code: 'reportGeneralTypeIssues' }), undefined);
    assert.equal(ruleOf({ source: 'dunderls' }), undefined);
    assert.equal(ruleOf({ source: 'dunderls', code: '  ' }), undefined);
  });
});

describe('distinctRules', () => {
  it('dedupes by code, keeps order, prefers an entry with a link', () => {
    const rules = distinctRules([
      { source: 'dunderls', code: 'DUN2' },
      { source: 'ruff', code: 'E501' },
      { source: 'dunderls', code: 'DUN1' },
      { source: 'dunderls', code: { value: 'DUN2', target: target('https://docs/DUN2') } },
    ]);
    assert.deepEqual(rules, [{ code: 'DUN2', href: 'https://docs/DUN2' }, { code: 'DUN1' }]);
  });
});

describe('misc', () => {
  it('isPlausibleRuleCode', () => {
    assert.equal(isPlausibleRuleCode('DUN101'), true);
    assert.equal(isPlausibleRuleCode(' hash-without-eq '), true);
    assert.equal(isPlausibleRuleCode('rm -rf /'), false);
    assert.equal(isPlausibleRuleCode('--help'), false);
  });

  it('explainFailureMarkdown quotes the error', () => {
    assert.match(explainFailureMarkdown('DUN9', 'unknown rule\n'), /^# DUN9\n[\s\S]*```\nunknown rule\n```/);
  });
});
