// A throwaway PostgreSQL 15 server for tests: temp data dir owned by `postgres`, a free loopback port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('no `postgres` user on this machine');
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export interface TestPostgres {
  client: Client;
  stop(): Promise<void>;
}

export async function startPostgres(settings: string[] = []): Promise<TestPostgres> {
  const { uid, gid } = postgresIds();
  const dir = mkdtempSync(join(tmpdir(), 'dbe-pg-'));
  chmodSync(dir, 0o700);
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const run = (args: string[]) => spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8' });
  const init = run([`${BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', ...settings.flatMap((s) => ['-c', s])];
  const server: ChildProcess = spawn('runuser', ['-u', 'postgres', '--', `${BIN}/postgres`, ...args], { stdio: 'ignore' });
  // A pg Client cannot be reused after a failed connect: a new one per attempt until the server listens.
  let client: Client;
  for (let i = 0; ; i++) {
    client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      break;
    } catch (err) {
      await client.end().catch(() => {});
      if (i > 100 || server.exitCode !== null) {
        server.kill('SIGINT');
        throw new Error(`PostgreSQL did not start on port ${port}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    client,
    async stop() {
      await client.end().catch(() => {});
      const exited = new Promise((r) => server.once('exit', r));
      // runuser forwards SIGTERM; "smart" shutdown is enough with the only client gone.
      server.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
