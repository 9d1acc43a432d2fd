import { describe, expect, it } from 'vitest';
import { isAbsoluteSourcePath, isHomeDirectoryPath } from '../../src/analysis/paths';

interface Row {
  path: string;
  absolute: boolean;
  home: boolean;
}

const rows: Row[] = [
  // Plain POSIX paths.
  { path: '/x/y.ts', absolute: true, home: false },
  { path: '/home/alice/p/x.ts', absolute: true, home: true },
  { path: '/home/alice', absolute: true, home: true },
  { path: '/Users/bob/x.ts', absolute: true, home: true },
  { path: '/home', absolute: true, home: false },
  { path: '/home/', absolute: true, home: false },
  { path: '/homework/x.ts', absolute: true, home: false },
  { path: '/Users', absolute: true, home: false },
  { path: '/opt/build/x.ts', absolute: true, home: false },
  { path: '/src/x.ts', absolute: true, home: false },
  { path: '/', absolute: true, home: false },

  // Windows paths.
  { path: 'C:\\Users\\carol\\x.ts', absolute: true, home: true },
  { path: 'c:/Users/carol/x.ts', absolute: true, home: true },
  { path: 'D:\\Users\\carol', absolute: true, home: true },
  { path: 'C:\\users\\carol\\x.ts', absolute: true, home: true },
  { path: 'C:\\build\\x.ts', absolute: true, home: false },
  { path: 'C:\\Users', absolute: true, home: false },
  { path: 'C:\\Users\\', absolute: true, home: false },
  { path: 'C:x.ts', absolute: false, home: false },
  { path: '\\\\server\\share\\x.ts', absolute: true, home: false },
  { path: '\\\\server\\Users\\bob\\x.ts', absolute: true, home: false },

  // file: URLs.
  { path: 'file:///home/dave/x.ts', absolute: true, home: true },
  { path: 'file:///C:/Users/e/x.ts', absolute: true, home: true },
  { path: 'file:///c:/build/x.ts', absolute: true, home: false },
  { path: 'file:///srv/app/x.ts', absolute: true, home: false },
  { path: 'FILE:///home/dave/x.ts', absolute: true, home: true },
  { path: 'file://server/share/x.ts', absolute: true, home: false },
  // WHATWG URL (file host state): host "localhost" becomes the empty host, so this is file:///home/dave/x.ts.
  { path: 'file://localhost/home/dave/x.ts', absolute: true, home: true },

  // Bundler schemes.
  { path: 'webpack:///./src/x.ts', absolute: false, home: false },
  { path: 'webpack:///src/x.ts', absolute: false, home: false },
  { path: 'webpack:///home/runner/work/app/x.ts', absolute: true, home: true },
  { path: 'webpack:///Users/f/app/x.ts', absolute: true, home: true },
  { path: 'webpack://app//Users/f/x.ts', absolute: true, home: true },
  { path: 'webpack://app/./src/x.ts', absolute: false, home: false },
  { path: 'webpack:///node_modules/x.js', absolute: false, home: false },
  { path: 'webpack:///webpack/bootstrap', absolute: false, home: false },
  { path: 'webpack:///tmp/build/x.js', absolute: true, home: false },
  { path: 'webpack:///C:/Users/g/app/x.ts', absolute: true, home: true },
  { path: 'webpack://app', absolute: false, home: false },
  { path: 'ng:///app/x.ts', absolute: false, home: false },
  { path: 'vite:/x', absolute: false, home: false },
  { path: 'vite:///src/x.ts', absolute: false, home: false },

  // Relative paths.
  { path: '../src/x.ts', absolute: false, home: false },
  { path: './src/x.ts', absolute: false, home: false },
  { path: 'src/x.ts', absolute: false, home: false },
  { path: 'x.ts', absolute: false, home: false },
  { path: 'home/alice/x.ts', absolute: false, home: false },
  { path: '', absolute: false, home: false },

  // Heuristics recorded as they stand (see the report): any bundler URL whose path begins with a machine root
  // counts, whatever the authority; only /Users, /home and X:\Users count as home directories.
  { path: 'webpack://app/home/u/x.ts', absolute: true, home: true },
  { path: 'webpack:///workspace/x.ts', absolute: true, home: false },
  { path: '/root/x.ts', absolute: true, home: false },
  { path: '/Users/Shared/x.ts', absolute: true, home: true },
];

describe('isAbsoluteSourcePath / isHomeDirectoryPath', () => {
  it.each(rows)('$path: absolute=$absolute home=$home', ({ path, absolute, home }) => {
    expect({ absolute: isAbsoluteSourcePath(path), home: isHomeDirectoryPath(path) }).toEqual({ absolute, home });
  });

  it('a home directory path is always absolute', () => {
    for (const row of rows) if (isHomeDirectoryPath(row.path)) expect([row.path, isAbsoluteSourcePath(row.path)]).toEqual([row.path, true]);
  });
});
