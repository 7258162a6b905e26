#!/usr/bin/env node
// Builds code-server (a full VS Code: server, web workbench, Node extension host) from the npm registry into
// a cache directory outside the clone, so the editor tests and `npm run demo` have a real VS Code on machines
// that cannot download one. Idempotent: a finished build carries a marker file and is reused; anything else
// (missing, half-built, older patch level) is rebuilt from nothing in a staging dir and swapped in at the end.
//
// Why the odd install order: a plain `npm install code-server` fails here — kerberos needs Debian headers,
// @vscode/ripgrep's postinstall downloads from GitHub, node-pty's postinstall runs `npx node-gyp` which
// aborts without npm_config_yes. So: install without scripts, then rebuild the native modules ourselves,
// use Debian's ripgrep, and redo what code-server's postinstall.sh does (symlinks + extensions deps).
//
// Usage: node scripts/editor/setup-code-server.mjs [--force]     prints the code-server directory last.
// Library: import { ensureCodeServer, codeServerPaths } from './setup-code-server.mjs'
import { spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, renameSync, copyFileSync, chmodSync, symlinkSync,
  lstatSync, readdirSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** Bump when the build steps or the test patch change, so existing caches are rebuilt. */
const BUILD_LEVEL = 2;
/** The lm-helper's extension id; the patched product names it as the default chat extension. */
export const LM_HELPER_ID = 'database-engineer-tests.lm-helper';

/** Where everything lives. `$DBE_CACHE` is the parent cache dir (default ~/.cache/database-engineer). */
export function codeServerPaths() {
  const cacheRoot = resolve(process.env.DBE_CACHE || join(homedir(), '.cache', 'database-engineer'));
  const dir = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
  const pkg = join(dir, 'node_modules', 'code-server');
  return {
    cacheRoot,
    dir,
    marker: join(dir, '.complete.json'),
    entry: join(pkg, 'out', 'node', 'entry.js'),
    vscode: join(pkg, 'lib', 'vscode'),
    workbenchJs: join(pkg, 'lib', 'vscode', 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js'),
  };
}

const say = (msg) => process.stderr.write(`[setup-code-server] ${msg}\n`);

class SetupError extends Error {}

/** Node's headers: node-gyp would download them from nodejs.org (unreachable); use the installed ones. */
function nodeHeadersPrefix() {
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : null;
}

function npmEnv() {
  const env = { ...process.env, npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  const headers = nodeHeadersPrefix();
  if (headers && !env.npm_config_nodedir) env.npm_config_nodedir = headers;
  return env;
}

/** Runs npm; on failure shows the tail of its output and names the Debian packages a native build needs. */
function npm(args, cwd, what) {
  const started = Date.now();
  say(`${what}: npm ${args.join(' ')}  (in ${cwd})`);
  const r = spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  if (r.status !== 0) {
    const tail = output.trim().split('\n').slice(-40).join('\n');
    throw new SetupError(`${what} failed (npm exit ${r.status ?? r.signal}).\n${tail}\n\n${diagnoseNativeFailure(output)}`);
  }
  say(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return output;
}

/** Turns a node-gyp failure into "install this Debian package". */
function diagnoseNativeFailure(output) {
  const hints = [];
  if (/krb5|gssapi/i.test(output)) hints.push('kerberos needs the MIT Kerberos headers: apt-get install -y libkrb5-dev');
  if (/pkg-config: not found|pkg-config.*No such file/i.test(output)) hints.push('pkg-config is missing: apt-get install -y pkg-config');
  if (/make: not found|g\+\+: not found|cc: not found|gcc: not found|not find any.*(compiler|make)/i.test(output)) {
    hints.push('no C/C++ toolchain: apt-get install -y build-essential');
  }
  if (/python.*not found|Could not find any Python|find Python/i.test(output)) hints.push('node-gyp needs Python 3: apt-get install -y python3');
  if (/nodejs\.org|Could not.*headers|ENOTFOUND|EAI_AGAIN/i.test(output)) {
    hints.push('node-gyp tried to download Node headers; install them (Debian: apt-get install -y libnode-dev, or a Node build that ships include/node) or set npm_config_nodedir');
  }
  if (!hints.length) hints.push('Native builds here need: apt-get install -y build-essential pkg-config libkrb5-dev python3');
  return `What to do:\n  - ${hints.join('\n  - ')}`;
}

function checkPrerequisites() {
  const missing = [];
  if (!existsSync('/usr/bin/rg')) missing.push('ripgrep (apt-get install -y ripgrep): VS Code search uses it; the npm package would download it from GitHub');
  const probe = spawnSync('pkg-config', ['--exists', 'krb5-gssapi'], { encoding: 'utf8' });
  if (probe.error) missing.push('pkg-config (apt-get install -y pkg-config)');
  else if (probe.status !== 0) missing.push('MIT Kerberos headers (apt-get install -y libkrb5-dev): code-server\'s kerberos module builds against them');
  if (spawnSync('make', ['--version']).error || spawnSync('g++', ['--version']).error) missing.push('a C/C++ toolchain (apt-get install -y build-essential)');
  if (spawnSync('python3', ['--version']).error) missing.push('python3 (apt-get install -y python3): node-gyp needs it');
  if (missing.length) throw new SetupError(`cannot build code-server; missing Debian packages:\n  - ${missing.join('\n  - ')}`);
  if (!nodeHeadersPrefix() && !process.env.npm_config_nodedir) {
    say(`warning: no Node headers beside ${process.execPath}; node-gyp may try to download them`);
  }
}

function symlink(target, path) {
  try { lstatSync(path); rmSync(path, { recursive: true, force: true }); } catch { /* absent */ }
  symlinkSync(target, path);
}

/**
 * Test-only: VS Code 1.100 hides the Chat view unless the product configuration has a `defaultChatAgent`.
 * code-server inlines its product configuration into the web workbench bundle; add one there, naming the
 * lm-helper test extension as the chat extension.
 */
export function patchDefaultChatAgent(workbenchJs) {
  const text = readFileSync(workbenchJs, 'utf8');
  if (text.includes(`chatExtensionId:"${LM_HELPER_ID}"`)) return false;
  const anchor = /(\}else ([A-Za-z_$][\w$]*)=\{)(nameShort:"code-server",)/g;
  const hits = [...text.matchAll(anchor)];
  if (hits.length !== 1) {
    throw new SetupError(`cannot patch ${workbenchJs}: expected one inlined code-server product configuration, found ${hits.length}`);
  }
  const agent = {
    extensionId: LM_HELPER_ID,
    chatExtensionId: LM_HELPER_ID,
    providerId: 'dbe-test',
    providerName: 'Database Engineer tests',
    enterpriseProviderId: 'dbe-test-enterprise',
    enterpriseProviderName: 'Database Engineer tests',
    providerScopes: [[]],
    documentationUrl: '', termsStatementUrl: '', privacyStatementUrl: '', skusDocumentationUrl: '',
    publicCodeMatchesUrl: '', manageSettingsUrl: '', managePlanUrl: '', manageOverageUrl: '', upgradePlanUrl: '',
    entitlementUrl: '', entitlementSignupLimitedUrl: '',
  };
  const patched = text.replace(anchor, (_m, head, _v, tail) => `${head}defaultChatAgent:${JSON.stringify(agent)},${tail}`);
  writeFileSync(workbenchJs, patched);
  return true;
}

function build(paths) {
  const staging = `${paths.dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'dbe-code-server-cache', private: true }, null, 2));
    npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], staging, '1/6 fetch code-server');
    npm(['rebuild', 'argon2'], staging, '2/6 build argon2 (native)');

    const vscode = join(staging, 'node_modules', 'code-server', 'lib', 'vscode');
    npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], vscode, '3/6 fetch VS Code server deps');
    // Debian's ripgrep where the npm package would have downloaded one.
    const rgDir = join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(rgDir, { recursive: true });
    copyFileSync('/usr/bin/rg', join(rgDir, 'rg'));
    chmodSync(join(rgDir, 'rg'), 0o755);
    npm(['rebuild'], vscode, '4/6 build native modules (kerberos, node-pty, spdlog, …; ~1 min)');
    if (!existsSync(join(rgDir, 'rg'))) throw new SetupError(`ripgrep vanished from ${rgDir} during rebuild`);

    // What code-server's postinstall.sh does after installing lib/vscode.
    say('5/6 postinstall: symlinks + built-in extensions deps');
    symlink('node_modules', join(vscode, 'node_modules.asar'));
    symlink('code-linux.sh', join(vscode, 'bin', 'remote-cli', 'code-server'));
    symlink('browser-linux.sh', join(vscode, 'bin', 'helpers', 'browser.sh'));
    npm(['install', '--omit=dev', '--no-audit', '--no-fund'], join(vscode, 'extensions'), '5/6 built-in extensions deps');

    say('6/6 test patch: defaultChatAgent in the workbench product configuration');
    patchDefaultChatAgent(join(vscode, 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js'));

    verify(staging);
    writeFileSync(join(staging, '.complete.json'), JSON.stringify({ version: CODE_SERVER_VERSION, level: BUILD_LEVEL, node: process.version, builtAt: new Date().toISOString() }, null, 2));
    rmSync(paths.dir, { recursive: true, force: true });
    renameSync(staging, paths.dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** The pieces whose absence would only show up later as a confusing runtime failure. */
function verify(dir) {
  const vs = join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  const needed = [
    join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    join(dir, 'node_modules', 'argon2', 'lib', 'binding', 'napi-v3', 'argon2.node'),
    join(vs, 'kerberos', 'build', 'Release', 'kerberos.node'),
    join(vs, 'node-pty', 'build', 'Release', 'pty.node'),
    join(vs, '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    join(vs, '@vscode', 'ripgrep', 'bin', 'rg'),
  ];
  const absent = needed.filter((p) => !existsSync(p));
  if (absent.length) throw new SetupError(`build finished but these are missing:\n  ${absent.join('\n  ')}`);
}

function isAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
}

function isComplete(paths) {
  try {
    const m = JSON.parse(readFileSync(paths.marker, 'utf8'));
    return m.version === CODE_SERVER_VERSION && m.level === BUILD_LEVEL && m.node?.split('.')[0] === process.version.split('.')[0]
      && existsSync(paths.entry) && existsSync(paths.workbenchJs);
  } catch {
    return false;
  }
}

/** Makes sure a complete build exists; returns its paths. Throws SetupError with a clear message otherwise. */
export function ensureCodeServer({ force = false } = {}) {
  const paths = codeServerPaths();
  if (!force && isComplete(paths)) return paths;
  const started = Date.now();
  say(existsSync(paths.dir) ? `cache at ${paths.dir} is incomplete or outdated; rebuilding` : `building code-server ${CODE_SERVER_VERSION} into ${paths.dir}`);
  checkPrerequisites();
  mkdirSync(paths.cacheRoot, { recursive: true });
  // Leftovers from an interrupted build.
  for (const name of readdirSync(paths.cacheRoot)) {
    const m = name.match(new RegExp(`^code-server-${CODE_SERVER_VERSION.replace(/\./g, '\\.')}\\.partial-(\\d+)$`));
    if (m && !isAlive(Number(m[1]))) rmSync(join(paths.cacheRoot, name), { recursive: true, force: true });
  }
  build(paths);
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${paths.dir}`);
  return paths;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const paths = ensureCodeServer({ force: process.argv.includes('--force') });
    process.stdout.write(`${paths.dir}\n`);
  } catch (err) {
    say(`error: ${err instanceof SetupError ? err.message : err.stack}`);
    process.exit(1);
  }
}
