import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countCommentLines } from '../../src/analysis/comments';
import { findInternalUrls, findPrivateKeys, isInternalHost } from '../../src/analysis/signals';
import { analyzeSourceMap, scan, scanSync } from '../../src/node';
import type { Detector } from '../../src/node';

const at = (path: string): string => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

describe('leak signals on planted test secrets (fixtures/leaks)', () => {
  it('finds secrets with secretlint, private keys, internal URLs and comments at their original lines', async () => {
    const report = await scan(at('leaks'));
    const signals = report.findings
      .filter((f) => f.code !== 'FIRST_PARTY_SOURCE_EXPOSED' && f.code !== 'THIRD_PARTY_SOURCE_EXPOSED')
      .map((f) => [f.severity, f.code, f.location.source ?? null, f.location.line ?? null, f.location.column ?? null]);
    expect(signals).toEqual([
      ['critical', 'PRIVATE_KEY_IN_SOURCE', 'src/config.ts', 10, 0],
      // Columns are 0-based: `  githubToken: '` is 16 characters, `  slackToken: '` 15, `export const admin = '` 22.
      ['critical', 'SECRET_IN_SOURCE', 'src/config.ts', 4, 16],
      ['critical', 'SECRET_IN_SOURCE', 'src/config.ts', 7, 15],
      ['medium', 'INTERNAL_URL_IN_SOURCE', 'src/config.ts', 15, 22],
      ['low', 'COMMENTS_EXPOSED', null, null, null],
    ]);
    const secrets = report.findings.filter((f) => f.code === 'SECRET_IN_SOURCE');
    expect(secrets.map((f) => f.args)).toEqual([
      { rule: 'github', title: 'GITHUB_TOKEN', line: 4 },
      { rule: 'slack', title: 'SLACK_TOKEN', line: 7 },
    ]);
    // The secret itself is in no finding, message or arg.
    const config = (JSON.parse(readFileSync(at('leaks/app.js.map'), 'utf8')) as { sourcesContent: string[] }).sourcesContent[0]!;
    const token = /ghp_\w+/.exec(config)![0];
    expect(JSON.stringify(report)).not.toContain(token);
    expect(report.findings.find((f) => f.code === 'COMMENTS_EXPOSED')!.args).toEqual({ commentLines: 4, lines: 15, percent: 26.7 });
  });

  it('does not look for secrets in third-party code', async () => {
    const report = await scan(at('leaks'));
    expect(report.findings.filter((f) => f.location.source?.includes('node_modules'))).toEqual([]);
  });

  it('leaves secrets to the async functions, and all signals out with signals: false', async () => {
    expect(scanSync(at('leaks')).findings.map((f) => f.code)).not.toContain('SECRET_IN_SOURCE');
    expect((await scan(at('leaks'), { signals: false })).findings.map((f) => f.code)).toEqual(['FIRST_PARTY_SOURCE_EXPOSED']);
  });

  it('runs a caller detector over every recovered file, at its original position', () => {
    const detector: Detector = {
      name: 'todo-finder',
      detect: (file) => {
        const at = file.content.indexOf('NOTE:');
        return at === -1 ? [] : [{ line: file.content.slice(0, at).split('\n').length, column: at - file.content.lastIndexOf('\n', at) - 1, severity: 'high', message: 'an internal note', rule: 'note' }];
      },
    };
    const report = scanSync(at('leaks'), { detectors: [detector], signals: false });
    const match = report.findings.find((f) => f.code === 'DETECTOR_MATCH')!;
    expect([match.severity, match.location, match.args, match.message]).toEqual([
      'high',
      { path: 'app.js.map', source: 'src/config.ts', line: 2, column: 3 },
      { detector: 'todo-finder', rule: 'note', message: 'an internal note', line: 2 },
      'todo-finder: an internal note',
    ]);
    expect(report.summary.severity).toBe('critical');
  });

  it('reports a detector that throws, and goes on', () => {
    const report = scanSync(at('leaks'), { signals: false, detectors: [{ name: 'broken', detect: () => { throw new Error('boom'); } }] });
    expect(report.findings.filter((f) => f.code === 'DETECTOR_MATCH').map((f) => [f.severity, f.message])).toEqual([
      ['low', 'broken: the detector failed: boom'],
      ['low', 'broken: the detector failed: boom'],
    ]);
  });

  it('rejects detectors that are not { name, detect }', () => {
    expect(() => scanSync(at('leaks'), { detectors: [{ name: 'x' }] as never })).toThrowError(/option "detectors"/);
  });

  it('runs the synchronous signals in analyzeSourceMap too', () => {
    const report = analyzeSourceMap(readFileSync(at('leaks/app.js.map')), { path: 'app.js.map' });
    expect(report.findings.map((f) => f.code)).toEqual(['FIRST_PARTY_SOURCE_EXPOSED', 'PRIVATE_KEY_IN_SOURCE', 'INTERNAL_URL_IN_SOURCE', 'COMMENTS_EXPOSED']);
  });
});

describe('signal detectors', () => {
  it.each([
    ['localhost', true],
    ['api.internal.acme.com', true],
    ['git.corp.example', true],
    ['db.local', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['fd12:3456::1', true],
    ['example.com', false],
    ['internalize.com', false],
    ['8.8.8.8', false],
  ])('isInternalHost(%s) is %s', (host, internal) => {
    expect(isInternalHost(host)).toBe(internal);
  });

  it('finds internal URLs once per host with the first position and a count', () => {
    const text = 'a\nfetch("http://localhost:3000/x");\n// https://example.com\nx = "https://user@api.internal.acme.com/v1?q" + "http://localhost/y"\n';
    expect(findInternalUrls(text)).toEqual([
      { line: 2, column: 7, host: 'localhost', url: 'http://localhost:3000/x', occurrences: 2 },
      { line: 4, column: 5, host: 'api.internal.acme.com', url: 'https://user@api.internal.acme.com/v1?q', occurrences: 1 },
    ]);
  });

  it('finds PEM, OpenSSH and PGP private key blocks, not public ones', () => {
    const text = ['-----BEGIN PUBLIC KEY-----', '-----BEGIN PRIVATE KEY-----', 'x', '-----BEGIN OPENSSH PRIVATE KEY-----', '-----BEGIN PGP PRIVATE KEY BLOCK-----'].join('\n');
    expect(findPrivateKeys(text).map((k) => [k.line, k.kind])).toEqual([
      [2, 'PRIVATE KEY'],
      [4, 'OPENSSH PRIVATE KEY'],
      [5, 'PGP PRIVATE KEY BLOCK'],
    ]);
  });

  it.each([
    ['', 0],
    ['code();\n', 0],
    ['// a\ncode();\n', 1],
    ['/* a\n * b\n */\ncode();', 3],
    ['code(); // trailing\n', 0],
    ['const s = "// not a comment";\n', 0],
    ["const s = '/* not */';\n", 0],
    ['  // indented\n\n// two\n', 2],
    ['/** doc */ code();\n', 0],
    ['// no final newline', 1],
    ['/*\n\n*/', 3],
  ])('countCommentLines(%j) is %i', (text, n) => {
    expect(countCommentLines(text)).toBe(n);
  });
});
