import { linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SafeWriter } from '../../src/reconstruct/writer';

const temp = mkdtempSync(join(tmpdir(), 'smf-writer-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let counter = 0;
/** A fresh folder under the temp root for one test (not created when `create` is false). */
function fresh(create = true): string {
  const dir = join(temp, `case-${++counter}`);
  if (create) mkdirSync(dir);
  return dir;
}

/** Every entry under `dir` with its kind (and link target or file content), sorted: a snapshot to compare. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string, rel: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const s = lstatSync(path);
      if (s.isSymbolicLink()) out.push(`link ${r} -> ${readlinkSync(path)}`);
      else if (s.isDirectory()) {
        out.push(`dir ${r}`);
        walk(path, r);
      } else out.push(`file ${r} ${JSON.stringify(readFileSync(path, 'utf8'))}`);
    }
  };
  walk(dir, '');
  return out;
}

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('SafeWriter: the output folder', () => {
  it('creates a missing output folder and its parents', () => {
    const base = fresh();
    const out = join(base, 'a', 'b', 'c');
    const writer = new SafeWriter(out, false);
    expect(writer.root).toBe(resolve(out));
    expect(lstatSync(out).isDirectory()).toBe(true);
    expect(readdirSync(out)).toEqual([]);
  });

  it('accepts an existing empty folder', () => {
    const out = fresh();
    expect(new SafeWriter(out, false).write(['x.ts'], 'x')).toBeNull();
    expect(readFileSync(join(out, 'x.ts'), 'utf8')).toBe('x');
  });

  it('refuses a folder that is not empty without force, and writes into it with force', () => {
    const out = fresh();
    writeFileSync(join(out, 'keep.txt'), 'mine');
    expect(code(() => new SafeWriter(out, false))).toBe('OUTPUT_NOT_EMPTY');
    expect(tree(out)).toEqual(['file keep.txt "mine"']);
    const writer = new SafeWriter(out, true);
    expect(writer.write(['src', 'a.ts'], 'A')).toBeNull();
    expect(tree(out)).toEqual(['file keep.txt "mine"', 'dir src', 'file src/a.ts "A"']);
  });

  it('refuses a folder holding only an empty sub-folder without force', () => {
    const out = fresh();
    mkdirSync(join(out, 'empty'));
    expect(code(() => new SafeWriter(out, false))).toBe('OUTPUT_NOT_EMPTY');
  });

  it('refuses an output that is a symbolic link to a folder, even with force', () => {
    const base = fresh();
    const real = join(base, 'real');
    mkdirSync(real);
    const link = join(base, 'link');
    symlinkSync(real, link, 'dir');
    expect(code(() => new SafeWriter(link, false))).toBe('OUTPUT_UNWRITABLE');
    expect(code(() => new SafeWriter(link, true))).toBe('OUTPUT_UNWRITABLE');
    expect(readdirSync(real)).toEqual([]);
  });

  it('refuses a dangling symbolic link as the output and does not create its target', () => {
    const base = fresh();
    const link = join(base, 'link');
    symlinkSync(join(base, 'nowhere'), link);
    expect(code(() => new SafeWriter(link, true))).toBe('OUTPUT_UNWRITABLE');
    expect(tree(base)).toEqual([`link link -> ${join(base, 'nowhere')}`]);
  });

  it('refuses an output that is a regular file, even with force', () => {
    const base = fresh();
    const file = join(base, 'file');
    writeFileSync(file, 'data');
    expect(code(() => new SafeWriter(file, false))).toBe('OUTPUT_UNWRITABLE');
    expect(code(() => new SafeWriter(file, true))).toBe('OUTPUT_UNWRITABLE');
    expect(readFileSync(file, 'utf8')).toBe('data');
  });

  it('reports OUTPUT_UNWRITABLE when the folder cannot be created (a file on the way)', () => {
    const base = fresh();
    writeFileSync(join(base, 'file'), 'data');
    expect(code(() => new SafeWriter(join(base, 'file', 'out'), false))).toBe('OUTPUT_UNWRITABLE');
  });
});

describe('SafeWriter: writing', () => {
  it('writes strings as UTF-8 and bytes as they are, creating folders on the way', () => {
    const out = fresh();
    const writer = new SafeWriter(out, false);
    expect(writer.write(['a', 'b', 'c.ts'], 'h\u00e9\u{1f600}\n')).toBeNull();
    expect(writer.write(['a', 'bin'], new Uint8Array([0, 255, 10]))).toBeNull();
    expect(writer.write(['empty.ts'], '')).toBeNull();
    expect([...readFileSync(join(out, 'a', 'b', 'c.ts'))]).toEqual([...Buffer.from('h\u00e9\u{1f600}\n', 'utf8')]);
    expect([...readFileSync(join(out, 'a', 'bin'))]).toEqual([0, 255, 10]);
    expect(lstatSync(join(out, 'empty.ts')).size).toBe(0);
    expect(tree(out)).toEqual(['dir a', 'dir a/b', 'file a/b/c.ts "hé😀\\n"', 'file a/bin "\\u0000�\\n"', 'file empty.ts ""']);
  });

  it('replaces a regular file at the same path', () => {
    const out = fresh();
    writeFileSync(join(out, 'x.ts'), 'old and longer');
    const writer = new SafeWriter(out, true);
    expect(writer.write(['x.ts'], 'new')).toBeNull();
    expect(readFileSync(join(out, 'x.ts'), 'utf8')).toBe('new');
    expect(writer.write(['x.ts'], 'newer')).toBeNull();
    expect(readFileSync(join(out, 'x.ts'), 'utf8')).toBe('newer');
  });

  it('replacing a hard-linked file breaks the link instead of writing through it', () => {
    const base = fresh();
    const outside = join(base, 'outside.txt');
    writeFileSync(outside, 'precious');
    const out = join(base, 'out');
    mkdirSync(out);
    linkSync(outside, join(out, 'x.ts'));
    expect(new SafeWriter(out, true).write(['x.ts'], 'overwritten')).toBeNull();
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(readFileSync(join(out, 'x.ts'), 'utf8')).toBe('overwritten');
    expect(lstatSync(join(out, 'x.ts')).nlink).toBe(1);
  });

  it('refuses a folder where the file goes, and a file where a folder goes', () => {
    const out = fresh();
    const writer = new SafeWriter(out, false);
    expect(writer.write(['d', 'x.ts'], 'x')).toBeNull();
    expect(writer.write(['d'], 'y')).toBe('unsafe-existing-path');
    expect(writer.write(['d', 'x.ts', 'z.ts'], 'z')).toBe('unsafe-existing-path');
    expect(tree(out)).toEqual(['dir d', 'file d/x.ts "x"']);
  });

  it('never follows a link planted at a folder position', () => {
    const base = fresh();
    const victim = join(base, 'victim');
    mkdirSync(victim);
    const out = join(base, 'out');
    mkdirSync(out);
    symlinkSync(victim, join(out, 'src'), 'dir');
    mkdirSync(join(out, 'deep'));
    symlinkSync(victim, join(out, 'deep', 'er'), 'dir');
    const writer = new SafeWriter(out, true);
    expect(writer.write(['src', 'a.ts'], 'pwned')).toBe('unsafe-existing-path');
    expect(writer.write(['src', 'sub', 'b.ts'], 'pwned')).toBe('unsafe-existing-path');
    expect(writer.write(['deep', 'er', 'c.ts'], 'pwned')).toBe('unsafe-existing-path');
    expect(readdirSync(victim)).toEqual([]);
    expect(lstatSync(join(out, 'src')).isSymbolicLink()).toBe(true);
  });

  it('never follows a link planted at the file position (to a file, to a folder, dangling)', () => {
    const base = fresh();
    const secret = join(base, 'secret.txt');
    writeFileSync(secret, 'secret');
    const victim = join(base, 'victim');
    mkdirSync(victim);
    const out = join(base, 'out');
    mkdirSync(out);
    symlinkSync(secret, join(out, 'a.ts'));
    symlinkSync(victim, join(out, 'b.ts'), 'dir');
    symlinkSync(join(victim, 'created.ts'), join(out, 'c.ts'));
    const before = tree(base);
    const writer = new SafeWriter(out, true);
    expect(writer.write(['a.ts'], 'pwned')).toBe('unsafe-existing-path');
    expect(writer.write(['b.ts'], 'pwned')).toBe('unsafe-existing-path');
    expect(writer.write(['c.ts'], 'pwned')).toBe('unsafe-existing-path');
    expect(readFileSync(secret, 'utf8')).toBe('secret');
    expect(readdirSync(victim)).toEqual([]);
    expect(tree(base)).toEqual(before);
  });

  it('refuses paths that name the root itself', () => {
    const out = fresh();
    const writer = new SafeWriter(out, false);
    expect(writer.write(['.'], 'x')).toBe('invalid-path');
    expect(writer.write([''], 'x')).toBe('invalid-path');
    expect(writer.write([], 'x')).toBe('invalid-path');
    expect(writer.write(['a/b'], 'x')).toBe('invalid-path');
    expect(readdirSync(out)).toEqual([]);
  });

  it('creates nothing outside the root for sanitised segments, links or not', () => {
    const base = fresh();
    const victim = join(base, 'victim');
    mkdirSync(victim);
    writeFileSync(join(base, 'sibling.txt'), 'sibling');
    const out = join(base, 'out');
    mkdirSync(out);
    symlinkSync(victim, join(out, 'link'), 'dir');
    symlinkSync(join(base, 'sibling.txt'), join(out, 'file-link'));
    const outsideBefore = tree(base).filter((e) => !/^(dir|file|link) out\//.test(e));
    const writer = new SafeWriter(out, true);
    const results = [
      writer.write(['__outside__', 'etc', 'passwd'], 'p'),
      writer.write(['link', 'x.ts'], 'x'),
      writer.write(['file-link'], 'y'),
      writer.write(['a', 'b', 'c', 'd.ts'], 'd'),
      writer.write(['..x', 'y..', '...ts'], 'dots'),
    ];
    expect(results).toEqual([null, 'unsafe-existing-path', 'unsafe-existing-path', null, null]);
    expect(tree(base).filter((e) => !/^(dir|file|link) out\//.test(e))).toEqual(outsideBefore);
    expect(tree(out)).toEqual([
      'dir ..x',
      'dir ..x/y..',
      'file ..x/y../...ts "dots"',
      'dir __outside__',
      'dir __outside__/etc',
      'file __outside__/etc/passwd "p"',
      'dir a',
      'dir a/b',
      'dir a/b/c',
      'file a/b/c/d.ts "d"',
      `link file-link -> ${join(base, 'sibling.txt')}`,
      `link link -> ${victim}`,
    ]);
  });

  it('refuses unsanitised `..` segments without creating anything outside the root', () => {
    // The writer checks containment itself ("belt and braces"), so it must hold even for raw segments: the final
    // path check alone is not enough when the folders on the way are created before it.
    const base = fresh();
    const out = join(base, 'out');
    mkdirSync(out);
    const before = tree(base);
    const writer = new SafeWriter(out, false);
    expect(writer.write(['..', 'x.ts'], 'x')).toBe('invalid-path');
    expect(writer.write(['..', 'escape', 'x.ts'], 'x')).toBe('invalid-path');
    expect(writer.write(['a', '..', '..', 'escape2', 'y.ts'], 'y')).toBe('invalid-path');
    expect(tree(base).filter((e) => !/^(dir|file|link) out\//.test(e))).toEqual(before);
  });
});
