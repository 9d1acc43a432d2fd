/**
 * A Node built-in module, loaded on first use rather than when the library is: `child_process` alone pulls in
 * `net`, `dgram` and the streams, and a scan of a small map should not pay for what it never calls.
 * `process.getBuiltinModule` (Node 20.16+, see `engines`) needs no `require`, so this works from both builds.
 */
export function builtin<T>(id: 'node:worker_threads' | 'node:child_process' | 'node:crypto' | 'node:v8' | 'node:vm'): T {
  return process.getBuiltinModule(id) as T;
}
