/**
 * The Dockerfile, checked as written and then replayed on this machine (there is no Docker engine here):
 * the build context that .dockerignore lets through, the build stage's `npm run build`, the runtime
 * stage's production install, and the image's CMD, HEALTHCHECK and STOPSIGNAL run against the result.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import {
  copyContext,
  execForm,
  flag,
  isIgnored,
  keyValues,
  parseDockerfile,
  parseDockerignore,
  replayDockerfile,
  words,
  type Instruction,
  type Replay,
  type Stage,
  type StageState,
} from './dockerfile.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const df = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const ignoreRules = parseDockerignore(readFileSync(path.join(ROOT, '.dockerignore'), 'utf8'));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
type LockEntry = { dev?: boolean; optional?: boolean; hasInstallScript?: boolean; link?: boolean };
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

const runtime = df.stages[df.stages.length - 1]!;
const of = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword);
const runs = (s: Stage) => of(s, 'RUN').flatMap((i) => i.rest.split('&&').map((c) => ({ ins: i, argv: words(c.trim()) })));
const npmCi = (s: Stage) => runs(s).filter((r) => r.argv[0] === 'npm' && r.argv[1] === 'ci');
const envOf = (s: Stage, upTo = Infinity) =>
  new Map(
    of(s, 'ENV')
      .filter((i) => i.line < upTo)
      .flatMap((i) => keyValues(i.rest) as Array<[string, string]>),
  );
const buildRef = flag(of(runtime, 'COPY').find((c) => flag(c, 'from').length > 0) ?? ({ flags: [] } as unknown as Instruction), 'from')[0];
const build = df.stages.find((s) => s.name === buildRef);

describe('Dockerfile, as written', () => {
  it('is multi-stage: the runtime stage copies the build output from a build stage on the same official Node image', () => {
    expect(df.stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    expect(build!.index).toBeLessThan(runtime.index);
    expect(runtime.base).toBe(build!.base);
    const m = /^node:(\d+)-[a-z]+-slim(@sha256:[a-f0-9]{64})?$/.exec(runtime.base);
    expect(m).not.toBeNull(); // the official image, no other registry host
    // the image's Node is one the package supports
    expect(semver.intersects(`${m![1]}.x`, pkg.engines.node)).toBe(true);
  });

  it('build stage: installs with dev dependencies (tsc) but runs no install script, then npm run build', () => {
    const installs = npmCi(build!);
    expect(installs).toHaveLength(1);
    expect(installs[0]!.argv).toContain('--ignore-scripts');
    expect(installs[0]!.argv.join(' ')).not.toMatch(/--omit[= ]dev|--production/);
    const buildRun = runs(build!).find((r) => r.argv.join(' ') === 'npm run build');
    expect(buildRun).toBeDefined();
    expect(pkg.scripts['build']).toMatch(/^tsc /);
    expect(buildRun!.ins.line).toBeGreaterThan(installs[0]!.ins.line);
  });

  it('runtime stage: production dependencies only, no install scripts, NODE_ENV=production before the install', () => {
    const installs = npmCi(runtime);
    expect(installs).toHaveLength(1);
    const argv = installs[0]!.argv;
    expect(argv).toContain('--omit=dev');
    expect(argv).toContain('--ignore-scripts');
    expect(envOf(runtime, installs[0]!.ins.line).get('NODE_ENV')).toBe('production');
    // nothing else is installed or built in the image
    for (const r of runs(runtime)) expect(r.argv.join(' ')).not.toMatch(/^(npm (install|i|run|exec)|npx|yarn|pnpm)\b/);
    // from the context: the manifests only; from the build stage: dist only
    const copies = of(runtime, 'COPY').map((c) => ({ from: flag(c, 'from')[0], parts: execForm(c.rest) ?? words(c.rest) }));
    expect(
      copies
        .filter((c) => !c.from)
        .flatMap((c) => c.parts.slice(0, -1))
        .sort(),
    ).toEqual(['package-lock.json', 'package.json']);
    expect(copies.filter((c) => c.from).map((c) => c.parts.slice(0, -1))).toEqual([['/app/dist']]);
  });

  it('runtime stage: runs as a non-root user, HOST=0.0.0.0, EXPOSE matches PORT, the state directory belongs to that user', () => {
    const cmd = of(runtime, 'CMD')[0]!;
    const users = of(runtime, 'USER').filter((u) => u.line < cmd.line);
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1]!.rest;
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const env = envOf(runtime);
    expect(env.get('HOST')).toBe('0.0.0.0');
    expect(env.get('LOG_FORMAT')).toBe('json'); // Probot's default is pretty-printed
    expect(env.get('PORT')).toMatch(/^\d+$/);
    expect(of(runtime, 'EXPOSE').flatMap((e) => words(e.rest))).toContain(env.get('PORT'));
    const stateDir = env.get('LOCKWARDEN_STATE_DIR');
    expect(stateDir).toMatch(/^\//);
    const mk = runs(runtime).find((r) => r.argv[0] === 'install' && r.argv[1] === '-d' && r.argv.includes(stateDir!));
    expect(mk).toBeDefined();
    expect(mk!.argv[mk!.argv.indexOf('-o') + 1]).toBe(user);
    expect(mk!.argv[mk!.argv.indexOf('-m') + 1]).toBe('0700');
    // the code is not handed to that user
    for (const c of of(runtime, 'COPY')) expect(flag(c, 'chown')).toEqual([]);
  });

  it('HEALTHCHECK asks node (slim images have no curl) for /healthz on 127.0.0.1:$PORT, inside its own timeout', () => {
    const [hc] = of(runtime, 'HEALTHCHECK');
    expect(hc).toBeDefined();
    const cmd = execForm(hc!.rest.replace(/^CMD\s+/i, ''));
    expect(cmd?.[0]).toBe('node');
    const script = cmd!.join(' ');
    expect(script).toContain("'http://127.0.0.1:' + (process.env.PORT");
    expect(script).toContain('/healthz');
    expect(script).not.toMatch(/curl|wget/);
    const timeoutS = parseInt(flag(hc!, 'timeout')[0] ?? '30', 10);
    const abortMs = Number(/AbortSignal\.timeout\((\d+)\)/.exec(script)?.[1]);
    expect(abortMs).toBeLessThan(timeoutS * 1000);
    expect(flag(hc!, 'interval')).toHaveLength(1);
  });

  it('CMD is exactly `npm start`, and a STOPSIGNAL is set (the replay checks the app stops on it)', () => {
    const cmd = execForm(of(runtime, 'CMD')[0]!.rest);
    expect(cmd).toEqual(['node', 'dist/github/main.js']);
    expect(cmd!.join(' ')).toBe(pkg.scripts['start']);
    // node as PID 1 ignores a signal it has no handler for: docker stop must send one the app handles
    const sigs = of(runtime, 'STOPSIGNAL');
    expect(sigs).toHaveLength(1);
    expect(sigs[0]!.rest).toMatch(/^SIG(INT|TERM)$/);
  });

  it('bakes in no secret: no credentials in ENV or ARG, the registry credentials only as a build secret mount', () => {
    const secretish = /^(APP_ID|PRIVATE_KEY|PRIVATE_KEY_PATH|WEBHOOK_SECRET|GITHUB_CLIENT_SECRET|NPM_TOKEN|NODE_AUTH_TOKEN)$|_authToken|TOKEN|PASSWORD/i;
    const declared = [
      ...df.args.keys(),
      ...df.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG').flatMap((i) => keyValues(i.rest).map(([k]) => k))),
    ];
    expect(declared.filter((k) => secretish.test(k))).toEqual([]);
    for (const s of df.stages) {
      for (const c of of(s, 'COPY')) expect((execForm(c.rest) ?? words(c.rest)).join(' ')).not.toMatch(/\.npmrc|\.env|\.pem/);
      for (const r of of(s, 'RUN')) {
        for (const m of flag(r, 'mount').filter((v) => v.includes('npmrc'))) expect(m).toMatch(/^type=secret,/);
      }
    }
  });
});

describe('.dockerignore', () => {
  it('keeps secrets, host installs, build output, tests and fixtures out of the build context', () => {
    for (const p of [
      'node_modules/probot/package.json',
      'dist/github/main.js',
      '.git/HEAD',
      '.env',
      '.env.production',
      'lockwarden.private-key.pem',
      'src/github/leftover.pem',
      '.npmrc',
      'src/.npmrc',
      '.tmp/jest.json',
      'test/packaging/dockerfile.test.ts',
      'test/fixtures/lockfiles/x.json',
      'examples/axios/head/package-lock.json',
      'bench/run.js',
      'coverage/lcov.info',
      'app.yml',
      'Dockerfile',
    ]) {
      expect([p, isIgnored(ignoreRules, p)]).toEqual([p, true]);
    }
  });

  it('lets through every file the Dockerfile copies from the context', () => {
    const sources = df.stages.flatMap((s) =>
      of(s, 'COPY')
        .filter((c) => flag(c, 'from').length === 0)
        .flatMap((c) => (execForm(c.rest) ?? words(c.rest)).slice(0, -1)),
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect([s, existsSync(path.join(ROOT, s)), isIgnored(ignoreRules, s)]).toEqual([s, true, false]);
    }
    expect(isIgnored(ignoreRules, 'src/github/main.ts')).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------------ replay

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
let tmp: string;
let replay: Replay;
let image: StageState;
let appDir: string;
let contextFiles: string[];
let markerDir: string;
let privateKeyPem: string;
let registry: http.Server;
let registryUrl: string;
const registryRequests: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function spawnTracked(argv: string[], env: NodeJS.ProcessEnv): Started {
  const [bin, ...args] = argv;
  const child = spawn(bin === 'node' ? process.execPath : bin!, args, { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, output: () => out, exited };
}

/** The container's environment as the image defines it, with the test's settings on top; nothing from this process. */
function containerEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: path.join(tmp, 'home'),
    ...Object.fromEntries(image.env),
    LOCKWARDEN_STATE_DIR: replay.hostPath(image, image.env.get('LOCKWARDEN_STATE_DIR')!),
    APP_ID: '1',
    WEBHOOK_SECRET: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    npm_config_registry: registryUrl,
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

async function startServer(overrides: Record<string, string | undefined>): Promise<Started & { port: number; env: NodeJS.ProcessEnv }> {
  const port = await freePort();
  const env = containerEnv({ PORT: String(port), ...overrides });
  const s = spawnTracked(image.cmd!, env);
  let done: { code: number | null } | undefined;
  void s.exited.then((e) => (done = e));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (done) throw new Error(`the app exited (${JSON.stringify(done)}) before answering /healthz:\n${s.output()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return { ...s, port, env };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer on /healthz within 30 s:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runHealthcheck(env: NodeJS.ProcessEnv): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  const s = spawnTracked(image.healthcheck!.cmd, env);
  const { code } = await s.exited;
  return { code, ms: Date.now() - t0 };
}

function webhook(port: number, body: string, signature: string) {
  return fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': `d-${Math.random()}`, 'x-hub-signature-256': signature },
    body,
  });
}

/** `p`, or 'timeout' after `ms` (the timer does not outlive the race). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function stopAndExpectGraceful(s: Started): Promise<void> {
  s.child.kill(image.stopSignal as NodeJS.Signals);
  const result = await within(s.exited, 10_000); // idle: well inside docker stop's default grace period
  expect(result).toEqual({ code: 0, signal: null });
}

const INSTALL_LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare'];

describe('Dockerfile replayed on this machine (no Docker engine: each stage in its own directory)', () => {
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'lockwarden-docker-replay-'));
    const context = path.join(tmp, 'context');
    contextFiles = await copyContext(ROOT, context, ignoreRules);
    // A root package whose install lifecycle scripts leave a mark: an install that runs scripts would run these.
    markerDir = path.join(tmp, 'markers');
    await mkdir(markerDir);
    const ctxPkgFile = path.join(context, 'package.json');
    const ctxPkg = JSON.parse(readFileSync(ctxPkgFile, 'utf8')) as { scripts: Record<string, string> };
    for (const s of INSTALL_LIFECYCLE) {
      ctxPkg.scripts[s] = `node -e "require('fs').writeFileSync(require('path').join(${JSON.stringify(markerDir).replace(/"/g, "'")}, '${s}'), '')"`;
    }
    await writeFile(ctxPkgFile, JSON.stringify(ctxPkg, null, 2));

    registry = http.createServer((req, res) => {
      registryRequests.push(`${req.method} ${req.url}`);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    });
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    registryUrl = `http://127.0.0.1:${(registry.address() as net.AddressInfo).port}/`;

    replay = await replayDockerfile(df, {
      context,
      workspace: path.join(tmp, 'stages'),
      devNodeModules: path.join(ROOT, 'node_modules'),
      baseEnv: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    });
    image = replay.stages[replay.stages.length - 1]!;
    appDir = replay.hostPath(image, '.');
    privateKeyPem = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
  }, 240_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await new Promise<void>((r) => (registry ? registry.close(() => r()) : r()));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('sent a build context without secrets or host artefacts, and the build stage compiled dist/ from it', async () => {
    expect(contextFiles).toContain('src/github/main.ts');
    expect(contextFiles).toContain('package-lock.json');
    expect(contextFiles.filter((f) => /^(node_modules|dist|test|examples|\.git|\.tmp)\//.test(f) || /\.(pem|env)$|(^|\/)\.npmrc$/.test(f))).toEqual([]);
    const buildStage = replay.stages.find((s) => s.name === buildRef)!;
    expect(existsSync(replay.hostPath(buildStage, '/app/dist/github/main.js'))).toBe(true);
    expect(replay.runs.filter((r) => r.stage === buildRef).map((r) => [r.argv.slice(0, 3).join(' '), r.how])).toEqual([
      ['npm ci --ignore-scripts', 'linked node_modules'],
      ['npm run build', 'executed'],
    ]);
    // the image holds the compiled app and no source
    expect(existsSync(path.join(appDir, 'dist', 'github', 'main.js'))).toBe(true);
    expect(existsSync(path.join(appDir, 'src'))).toBe(false);
  });

  it('installed the production dependencies only, and ran no install script', async () => {
    expect(replay.runs.filter((r) => r.stage === image.name && r.how === 'executed').map((r) => r.argv.join(' '))).toEqual([
      expect.stringMatching(/^npm ci .*--omit=dev/),
    ]);
    const entries = Object.entries(lock.packages).filter(([k, v]) => k.startsWith('node_modules/') && !v.link);
    const dev = entries.filter(([, v]) => v.dev);
    const prod = entries.filter(([, v]) => !v.dev);
    expect(dev.length).toBeGreaterThan(0);
    expect(prod.length).toBeGreaterThan(0);
    expect(dev.filter(([k]) => existsSync(path.join(appDir, k))).map(([k]) => k)).toEqual([]);
    expect(prod.filter(([k, v]) => !v.optional && !existsSync(path.join(appDir, k))).map(([k]) => k)).toEqual([]);
    for (const name of ['typescript', 'jest', 'ts-jest', '@types/node'])
      expect([name, existsSync(path.join(appDir, 'node_modules', name))]).toEqual([name, false]);
    expect(existsSync(path.join(appDir, 'node_modules', '.bin', 'tsc'))).toBe(false);

    // --ignore-scripts: not one of the root's install lifecycle scripts ran …
    expect(await readdir(markerDir)).toEqual([]);
    // … though they work when run (so an install that ran them would have left a mark)
    await new Promise<void>((resolve, reject) =>
      spawn('npm', ['run', 'postinstall', '--silent'], { cwd: appDir, env: process.env, stdio: 'ignore' }).once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`npm run postinstall: ${code}`)),
      ),
    );
    expect(await readdir(markerDir)).toEqual(['postinstall']);
    // and no production dependency needs its install script (--ignore-scripts would silently skip it)
    expect(prod.filter(([, v]) => v.hasInstallScript).map(([k]) => k)).toEqual([]);
  }, 60_000);

  it('created the state directory for the non-root user, private to it', async () => {
    const dir = replay.hostPath(image, image.env.get('LOCKWARDEN_STATE_DIR')!);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(replay.runs.find((r) => r.how === 'mkdir')?.owner).toBe(image.user);
    expect(image.user).toBe('node');
  });

  it('starts from CMD with the image environment: healthy, webhook signatures enforced, HEALTHCHECK passes, stops on STOPSIGNAL', async () => {
    const s = await startServer({ PRIVATE_KEY: privateKeyPem });
    const health = await fetch(`http://127.0.0.1:${s.port}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const bad = await webhook(s.port, body, sign('not-the-secret', body));
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(bad.status).not.toBe(404); // the webhook path exists: the signature is what was refused
    expect((await webhook(s.port, body, 'sha256=00')).status).toBe(bad.status);
    expect((await webhook(s.port, body, sign('test', body))).status).toBe(200);

    // LOG_FORMAT=json from the image: JSON log lines
    const logs = s
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level?: number; msg?: string });
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((l) => typeof l.level === 'number' && typeof l.msg === 'string')).toBe(true);

    // the image's own HEALTHCHECK command, run as Docker would, inside its --timeout
    const hc = await runHealthcheck(s.env);
    expect(hc.code).toBe(0);
    expect(hc.ms).toBeLessThan(5000);
    // it fails on an answer other than 200 (the registry stub answers 404) …
    const registryPort = new URL(registryUrl).port;
    expect((await runHealthcheck({ ...s.env, PORT: registryPort })).code).toBe(1);

    await stopAndExpectGraceful(s);
    // … and once the app is gone
    expect((await runHealthcheck(s.env)).code).toBe(1);
    // start-up and health checks never reached for the registry
    expect(registryRequests.filter((r) => !r.startsWith('GET /healthz'))).toEqual([]);
  }, 90_000);

  it('reads the private key from PRIVATE_KEY_PATH instead of PRIVATE_KEY', async () => {
    const secrets = path.join(tmp, 'run-secrets');
    await mkdir(secrets, { recursive: true });
    const keyFile = path.join(secrets, 'lockwarden.pem');
    await writeFile(keyFile, privateKeyPem);
    await chmod(keyFile, 0o400);
    const s = await startServer({ PRIVATE_KEY_PATH: keyFile, PRIVATE_KEY: undefined });
    expect(s.env['PRIVATE_KEY']).toBeUndefined();
    const body = JSON.stringify({ zen: 'Anything added dilutes everything else.', hook_id: 2 });
    expect((await webhook(s.port, body, sign('test', body))).status).toBe(200);
    expect((await runHealthcheck(s.env)).code).toBe(0);
    await stopAndExpectGraceful(s);
  }, 60_000);

  it('refuses to start without a usable private key (no setup page, no server)', async () => {
    for (const overrides of [{}, { PRIVATE_KEY_PATH: path.join(tmp, 'no-such-key.pem') }]) {
      const port = await freePort();
      const s = spawnTracked(image.cmd!, containerEnv({ PORT: String(port), ...overrides }));
      const result = await within(s.exited, 20_000);
      expect(result).toEqual({ code: 1, signal: null });
      expect(s.output()).toMatch(/private.?key/i);
      expect(s.output()).not.toMatch(/Listening on|Welcome to Probot/);
    }
  }, 60_000);
});
