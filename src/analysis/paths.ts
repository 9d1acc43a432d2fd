/** Path classification of `sources` entries: absolute paths and home directories leak user names and build hosts. */

/** `scheme://` at the start of a source (webpack://, file://, vite://); the drive letter of `C:\` is not a scheme. */
function stripScheme(path: string): { scheme: string | null; rest: string } {
  const colon = path.indexOf('://');
  if (colon > 1 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(path.slice(0, colon))) {
    return { scheme: path.slice(0, colon).toLowerCase(), rest: path.slice(colon + 3) };
  }
  return { scheme: null, rest: path };
}

const DRIVE = /^[A-Za-z]:[\\/]/;
// Roots that only a real machine path starts with; bundler schemes also use "/src/x" for project-relative paths.
const MACHINE_ROOTS = /^\/(?:Users|home|root|opt|var|tmp|usr|srv|mnt|private|Volumes|builds|workspace|github|runner|__w)\//;
const HOME = /^(?:\/(?:Users|home)\/[^/]+|[A-Za-z]:[\\/]Users[\\/][^\\/]+)/i;

/** The file-system path a source names, or null when it names none (relative, or a bundler path that is not a machine path). */
function machinePath(path: string): string | null {
  // Most sources are relative (`../node_modules/x.js`): no root, and no colon for a scheme or a drive.
  const first = path.charCodeAt(0);
  if (first !== 0x2f && first !== 0x5c && !path.includes(':')) return null;
  const { scheme, rest } = stripScheme(path);
  if (scheme === null) {
    if (path.startsWith('/') || path.startsWith('\\\\') || DRIVE.test(path)) return path;
    return null;
  }
  if (scheme === 'file') {
    // file:///x and file://localhost/x have an empty host (RFC 8089); file://host/x is a UNC path.
    const local = rest.toLowerCase().startsWith('localhost/') ? rest.slice('localhost'.length) : rest;
    return local.startsWith('/') ? (DRIVE.test(local.slice(1)) ? local.slice(1) : local) : `//${local}`;
  }
  // webpack:///home/u/app/x.js or webpack://app//Users/u/x.js: find a machine path after the authority.
  const slash = rest.indexOf('/');
  if (slash === -1) return null;
  let tail = rest.slice(slash);
  while (tail.startsWith('//')) tail = tail.slice(1);
  if (MACHINE_ROOTS.test(tail)) return tail;
  if (DRIVE.test(tail.slice(1))) return tail.slice(1);
  return null;
}

/** The source names an absolute machine path (`/x`, `C:\x`, `\\server\x`, `file:///x`, `webpack:///home/u/x`). */
export function isAbsoluteSourcePath(path: string): boolean {
  return machinePath(path) !== null;
}

/** The source names a home directory (`/Users/…`, `/home/…`, `C:\Users\…`), which carries a user name. */
export function isHomeDirectoryPath(path: string): boolean {
  const machine = machinePath(path);
  return machine !== null && HOME.test(machine);
}
