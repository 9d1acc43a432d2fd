import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ForensicsError } from '../errors';
import type { NodeVfs } from './node-vfs';
import { comparePaths } from './vfs';
import { load } from '../runtime/load';

/**
 * The minimal Arborist-like node npm-packlist walks: it reads `path`, `package`, `isProjectRoot`, and for bundled
 * dependencies `edgesOut` (name -> { to, peer, dev }), `isLink` and `target`. Building it here spares a dependency on
 * all of @npmcli/arborist; the file rules themselves are npm-packlist's.
 */
interface PackNode {
  path: string;
  realpath: string;
  package: Record<string, unknown>;
  isProjectRoot: boolean;
  isLink: boolean;
  target: PackNode;
  edgesOut: Map<string, { to: PackNode; peer: boolean; dev: boolean }>;
}

/** The files `npm pack` would publish from `dir`, as sorted POSIX paths relative to it (no lifecycle scripts are run). */
export async function listPublishable(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const pkg = readPackage(root);
  if (pkg === null) {
    throw new ForensicsError('TARGET_UNREADABLE', `cannot list what npm would publish from ${JSON.stringify(dir)}: no readable package.json there`);
  }
  // Loaded on first use: npm-packlist and its dependencies cost every other scan ~30 ms of start-up.
  const { default: packlist } = await load<typeof import('npm-packlist')>('npm-packlist');
  const files = await packlist(packNode(root, root, pkg, true, new Map()));
  return files.map((f) => f.replace(/\\/g, '/')).sort(comparePaths);
}

function packNode(root: string, path: string, pkg: Record<string, unknown>, isRoot: boolean, seen: Map<string, PackNode>): PackNode {
  const node = { path, realpath: path, package: pkg, isProjectRoot: isRoot, isLink: false, edgesOut: new Map() } as unknown as PackNode;
  node.target = node;
  seen.set(path, node);
  const deps = (pkg.dependencies ?? {}) as Record<string, string>;
  const optional = (pkg.optionalDependencies ?? {}) as Record<string, string>;
  const dev = (pkg.devDependencies ?? {}) as Record<string, string>;
  const peer = (pkg.peerDependencies ?? {}) as Record<string, string>;
  let names: string[];
  if (isRoot) {
    const bundled = pkg.bundleDependencies ?? pkg.bundledDependencies;
    // `true` means every dependency, as npm normalises it.
    names = bundled === true ? Object.keys(deps) : Array.isArray(bundled) ? bundled.filter((n): n is string => typeof n === 'string') : [];
    pkg.bundleDependencies = names;
  } else {
    names = [...Object.keys(deps), ...Object.keys(optional)];
  }
  for (const name of names) {
    const found = findDependency(root, path, name);
    if (found === null) continue;
    let child = seen.get(found.real);
    if (child === undefined) {
      const childPkg = readPackage(found.real);
      if (childPkg === null) continue;
      child = packNode(root, found.real, childPkg, false, seen);
    }
    let to = child;
    if (found.link !== found.real) {
      // A linked bundled dependency: npm packs it at the link's place, walking the target's files.
      to = { ...child, path: found.link, isLink: true, target: child } as PackNode;
    }
    const onlyDev = isRoot && !(name in deps) && !(name in optional) && name in dev;
    const onlyPeer = isRoot && !(name in deps) && !(name in optional) && name in peer;
    node.edgesOut.set(name, { to, peer: onlyPeer, dev: onlyDev });
  }
  return node;
}

/** Node's resolution of `node_modules/<name>` from `from` up to the project root. */
function findDependency(root: string, from: string, name: string): { link: string; real: string } | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    try {
      lstatSync(candidate);
      return { link: candidate, real: realpathSync(candidate) };
    } catch {
      // not here; try the parent
    }
    if (dir === root) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function readPackage(dir: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Narrows a directory Vfs to the publishable files: only they are listed, and only they exist for map lookups. */
export function restrictVfs(vfs: NodeVfs, files: readonly string[]): NodeVfs {
  const allowed = new Set(files);
  return {
    problems: vfs.problems,
    list: () => files,
    has: (path) => allowed.has(path) && vfs.has(path),
    read: (path) => {
      if (!allowed.has(path)) throw new Error(`${path} is not in the published file set`);
      return vfs.read(path);
    },
    head: (path, length) => vfs.head!(path, length),
  };
}
