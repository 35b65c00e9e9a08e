// A fake LLM provider: a node:http server on 127.0.0.1 that replays recorded transcripts
// (test/fixtures/providers) byte for byte, or runs a custom handler. It can cut the body into pieces
// with pauses between them, drip it slowly, stall (before or after the headers) or drop the socket
// mid-stream, and it records every request so tests can check paths, headers and where a key went.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

/** One recorded HTTP exchange, as stored in test/fixtures/providers/<provider>/<case>.json. */
export interface ProviderFixture {
  provider: string;
  endpoint: string;
  method: string;
  request: { url: string; headers: Record<string, string>; body: unknown } | null;
  status: number;
  headers: Record<string, string>;
  /** SSE/NDJSON/HTML text exactly as on the wire, or parsed JSON. */
  body: unknown;
  source: string;
  notes: string;
  case: string;
  fidelity: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ReplayOptions {
  /** Cut the body at these byte offsets and write the pieces separately. */
  splitAt?: number[];
  /** Pause between pieces (split pieces or drip chunks). */
  delayMs?: number;
  /** Write the body this many bytes at a time, pausing `delayMs` between writes. */
  dripBytes?: number;
  /** Never answer: no status line, no headers. */
  stallBeforeHeaders?: boolean;
  /** Send the headers and this many body bytes, then nothing, keeping the socket open. */
  stallAfterBytes?: number;
  /** Send the headers and this many body bytes, then destroy the socket. */
  closeAfterBytes?: number;
  /** Replace the status or body of the fixture (for variants of a recorded case). */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: RecordedRequest, response: http.ServerResponse) => void | Promise<void>;

interface Route {
  method: string;
  path: string | RegExp;
  reply: { fixture: ProviderFixture; options: ReplayOptions } | RouteHandler;
}

/** Hop-by-hop headers and encodings that describe the original connection, not the replayed body. */
const droppedHeaders = new Set(['transfer-encoding', 'connection', 'keep-alive', 'content-encoding', 'content-length']);

export class FakeProviderServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server = http.createServer((request, response) => void this.handle(request, response));
  private port = 0;
  private disconnectListeners: (() => void)[] = [];
  /** How many responses lost their client before the body was complete. */
  disconnects = 0;

  constructor() {
    this.server.on('connection', socket => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    if (!this.port) throw new Error('FakeProviderServer is not started');
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and destroys every open socket, so a stalled response never keeps it alive. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Replays `fixture` for requests matching method and path (string: exact path without query; RegExp: path and query). */
  replay(method: string, path: string | RegExp, fixture: ProviderFixture, options: ReplayOptions = {}): this {
    this.routes.push({ method: method.toUpperCase(), path, reply: { fixture, options } });
    return this;
  }

  route(method: string, path: string | RegExp, handler: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), path, reply: handler });
    return this;
  }

  /** Resolves the next time a client goes away before its response was complete (abort, timeout). */
  whenClientDisconnects(): Promise<void> {
    return new Promise(resolve => this.disconnectListeners.push(resolve));
  }

  reset(): void {
    this.routes.length = 0;
    this.requests.length = 0;
    this.disconnects = 0;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(recorded);
    response.on('close', () => {
      if (response.writableFinished) return;
      this.disconnects++;
      const listeners = this.disconnectListeners;
      this.disconnectListeners = [];
      for (const listener of listeners) listener();
    });

    const pathOnly = recorded.url.split('?')[0] ?? '';
    const route = this.routes.find(candidate => candidate.method === recorded.method && (typeof candidate.path === 'string' ? candidate.path === pathOnly : candidate.path.test(recorded.url)));
    if (!route) {
      response.writeHead(599, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `FakeProviderServer has no route for ${recorded.method} ${recorded.url}` } }));
      return;
    }
    try {
      if (typeof route.reply === 'function') await route.reply(recorded, response);
      else await this.writeFixture(response, route.reply.fixture, route.reply.options);
    } catch {
      response.destroy();
    }
  }

  private async writeFixture(response: http.ServerResponse, fixture: ProviderFixture, options: ReplayOptions): Promise<void> {
    if (options.stallBeforeHeaders) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...fixture.headers, ...options.headers })) {
      if (!droppedHeaders.has(name.toLowerCase())) headers[name] = value;
    }
    response.writeHead(options.status ?? fixture.status, headers);
    response.flushHeaders();
    const bytes = bodyBytes(options.body ?? fixture.body);

    const limit = options.stallAfterBytes ?? options.closeAfterBytes;
    const sent = limit !== undefined ? bytes.subarray(0, Math.min(limit, bytes.length)) : bytes;
    for (const [index, piece] of cut(sent, options).entries()) {
      if (index > 0 && options.delayMs !== undefined) await pause(options.delayMs);
      if (response.destroyed) return;
      response.write(piece);
    }
    if (options.closeAfterBytes !== undefined) {
      await pause(5);
      response.socket?.destroy();
      return;
    }
    if (options.stallAfterBytes !== undefined) return;
    response.end();
  }
}

/** String bodies are sent as-is (they are the wire text); parsed JSON is serialised. */
export function bodyBytes(body: unknown): Buffer {
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}

function cut(bytes: Buffer, options: ReplayOptions): Buffer[] {
  if (options.dripBytes) {
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; offset += options.dripBytes) pieces.push(bytes.subarray(offset, offset + options.dripBytes));
    return pieces;
  }
  const offsets = [...new Set((options.splitAt ?? []).filter(offset => offset > 0 && offset < bytes.length))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const offset of offsets) {
    pieces.push(bytes.subarray(start, offset));
    start = offset;
  }
  pieces.push(bytes.subarray(start));
  return pieces.filter(piece => piece.length > 0);
}

function pause(milliseconds: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, milliseconds));
}

/** The repository root: tests run transpiled from out/test/…, so walk up to the folder with package.json. */
export function findRepositoryRoot(start: string = __dirname): string {
  let directory = start;
  while (!fs.existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`No package.json above ${start}`);
    directory = parent;
  }
  return directory;
}

export const fixturesDirectory = path.join(findRepositoryRoot(), 'test', 'fixtures', 'providers');

/**
 * Reads test/fixtures/providers/<provider>/<case>.json. Tests name fixtures with literal paths, which
 * is what test/unit/providers/fixtureCoverage.test.ts checks every fixture against.
 */
export function loadFixture(relativePath: string): ProviderFixture {
  return JSON.parse(fs.readFileSync(path.join(fixturesDirectory, relativePath), 'utf8')) as ProviderFixture;
}

/** Every fixture file under test/fixtures/providers, relative, forward slashes. */
export function allFixtureFiles(): string[] {
  const files: string[] = [];
  for (const provider of fs.readdirSync(fixturesDirectory, { withFileTypes: true })) {
    if (!provider.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(fixturesDirectory, provider.name))) {
      if (file.endsWith('.json')) files.push(`${provider.name}/${file}`);
    }
  }
  return files.sort();
}
