/**
 * A real, throwaway PostgreSQL 15 server for tests.
 *
 * Debian's binaries refuse to run as root, so when the tests run as root every server command runs as the
 * `postgres` user (via `runuser`); the data dir and the unix socket dir live in a fresh temp folder that user owns.
 * The server listens on 127.0.0.1 at a free port, with password (scram) auth for a test user that owns a test
 * database; the `postgres` superuser connects over the unix socket without a password (trust), for setup.
 *
 *   let pg: TestPostgres;
 *   before(async () => { pg = await startPostgres(); });
 *   after(() => pg?.stop());
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const BIN = process.env.DBE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** postgres://user:password@127.0.0.1:port/database — the test user's URL (password auth over TCP). */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** The unix socket directory; the `postgres` superuser connects here without a password. */
  socketDir: string;
  /** A connected superuser client (caller ends it), for setup the test user may not do. */
  superuser(database?: string): Promise<Client>;
  /** Milliseconds from the first initdb call to a server accepting connections. */
  startMs: number;
  /** Shuts the server down and removes its folder. Safe to call twice. */
  stop(): void;
}

export interface StartOptions {
  user?: string;
  database?: string;
  /** Extra postgresql.conf lines. */
  conf?: string[];
  /** Serve SSL with a fresh self-signed certificate and refuse TCP connections without it (hostnossl reject). */
  sslOnly?: boolean;
}

const running = new Set<() => void>();
let exitHookInstalled = false;

/** Starts a server; retries on the rare port race (another process takes the port between pick and bind). */
export async function startPostgres(options: StartOptions = {}): Promise<TestPostgres> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(options: StartOptions): Promise<TestPostgres> {
  const started = Date.now();
  const user = options.user ?? 'dbe_test';
  const database = options.database ?? 'dbe_test';
  const password = randomBytes(12).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'dbe-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  mkdirSync(socketDir);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  const run = (bin: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(BIN, bin), ...args]] : [join(BIN, bin), args];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${bin} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    running.delete(stop);
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Not started, or already gone: removing the folder is all that is left.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  running.add(stop);
  installExitHook();

  try {
    run('initdb', ['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync',
      '--auth-local=trust', '--auth-host=scram-sha-256']);
    const port = await freePort();
    const conf = [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${socketDir}'`,
      // Durability is irrelevant for a throwaway server; these make it start and write faster.
      'fsync = off', 'synchronous_commit = off', 'full_page_writes = off',
      'max_connections = 30', 'shared_buffers = 32MB',
      ...(options.conf ?? []),
    ];
    if (options.sslOnly) {
      // A throwaway self-signed certificate; the server wants its key private to the user it runs as.
      execFileSync('openssl', ['req', '-new', '-x509', '-days', '1', '-nodes', '-subj', '/CN=127.0.0.1',
        '-keyout', join(dataDir, 'server.key'), '-out', join(dataDir, 'server.crt')], { stdio: 'ignore' });
      if (asRoot) {
        const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
        const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
        for (const f of ['server.key', 'server.crt']) chownSync(join(dataDir, f), uid, gid);
      }
      chmodSync(join(dataDir, 'server.key'), 0o600);
      conf.push('ssl = on');
      writeFileSync(join(dataDir, 'pg_hba.conf'), [
        'local all all trust',
        'hostnossl all all 0.0.0.0/0 reject',
        'hostssl all all 127.0.0.1/32 scram-sha-256',
      ].join('\n') + '\n');
    }
    appendFileSync(join(dataDir, 'postgresql.conf'), '\n' + conf.join('\n') + '\n');
    try {
      run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
    } catch (err) {
      let log = '';
      try { log = readFileSync(join(dir, 'server.log'), 'utf8'); } catch { /* no log yet */ }
      throw new Error(`${(err as Error).message}\n${log}`);
    }
    const superuser = async (db = 'postgres') => {
      const c = new Client({ host: socketDir, port, user: 'postgres', database: db });
      await c.connect();
      return c;
    };
    const admin = await superuser();
    try {
      await admin.query(`create role ${user} login password '${password}'`);
      await admin.query(`create database ${database} owner ${user}`);
    } finally {
      await admin.end();
    }
    const host = '127.0.0.1';
    return {
      url: `postgres://${user}:${password}@${host}:${port}/${database}`,
      host, port, user, password, database, socketDir, superuser,
      startMs: Date.now() - started,
      stop,
    };
  } catch (err) {
    stop();
    throw err;
  }
}

/** A port the OS just handed out on loopback, released for the server to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Whatever happens to the test process, no server outlives it (the stop is synchronous, so 'exit' can run it). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const stopAll = () => {
    for (const stop of [...running]) stop();
  };
  process.on('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopAll();
      process.kill(process.pid, signal);
    });
  }
}
