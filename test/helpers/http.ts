import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a route answers. */
export interface Reply {
  /** @default 200 */
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** A fixed reply, or one computed from the request. */
export type Handler = Reply | ((request: IncomingMessage) => Reply);

/** One request the server received. */
export interface LoggedRequest {
  method: string;
  /** The raw request target, query included, exactly as sent (`/@acme%2fagent`). */
  url: string;
  headers: IncomingHttpHeaders;
}

/** A real `node:http` server on 127.0.0.1, with a log of every request it received. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  origin: string;
  /** Routes by raw request target; anything else answers 404. Mutable between tests. */
  routes: Map<string, Handler>;
  /** Every request, in arrival order (404s included). */
  log: LoggedRequest[];
  /** The request targets of {@link log}. */
  paths(): string[];
  /** Empties the log. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a server on an ephemeral port of 127.0.0.1 serving `routes`. */
export async function startServer(routes: Record<string, Handler> = {}): Promise<TestServer> {
  const table = new Map<string, Handler>(Object.entries(routes));
  const log: LoggedRequest[] = [];
  const server = createServer((request, response) => {
    const url = request.url ?? '';
    log.push({ method: request.method ?? '', url, headers: request.headers });
    const handler = table.get(url);
    const reply: Reply =
      handler === undefined ? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' } : typeof handler === 'function' ? handler(request) : handler;
    const body = reply.body ?? '';
    response.writeHead(reply.status ?? 200, { 'content-length': String(Buffer.byteLength(body)), ...reply.headers });
    response.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    routes: table,
    log,
    paths: () => log.map((r) => r.url),
    reset: () => {
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The repository root. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Result of one CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`dist/cli.cjs`) asynchronously, so a server in this process keeps answering while it runs.
 * Progress output is off anyway (stderr is a pipe, not a TTY).
 */
export function runCli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.SOURCEMAP_FORENSICS_DEBUG;
    const child = spawn(process.execPath, [join(root, 'dist/cli.cjs'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
