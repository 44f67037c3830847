/**
 * app.yml against what the App actually does: the events it registers with Probot and the GitHub calls
 * in src/github. The requirements below are GitHub's documentation, written down once:
 *  - events: docs.github.com/webhooks/webhook-events-and-payloads ("To subscribe to this event, a GitHub
 *    App must have at least read-level access for the … permission"; check_run and check_suite: "GitHub
 *    Apps with write-level access for the Checks permission are automatically subscribed");
 *  - endpoints: docs.github.com/rest/authentication/permissions-required-for-github-apps. Comment and
 *    reaction calls on a pull request's conversation are checked against "Pull requests" (lockwarden makes
 *    them on pull requests only).
 * A new event handler or a new GitHub call fails here until app.yml (and this table) says what it needs.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Probot } from 'probot';
import { parse } from 'yaml';
import { lockwardenApp } from '../../src/github/app.js';
import { memoryJournal } from '../../src/github/journal.js';
import type { RegistryClient } from '../../src/registry/index.js';

type Level = 'read' | 'write';
type Needs = Record<string, Level>;

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const MANIFEST_TEXT = readFileSync(path.join(ROOT, 'app.yml'), 'utf8');
const manifest = parse(MANIFEST_TEXT) as {
  name: string;
  url: string;
  description: string;
  public: boolean;
  default_events: string[];
  default_permissions: Record<string, string>;
  [k: string]: unknown;
};

/** What subscribing to each event needs, and the events GitHub delivers without a subscription. */
const EVENTS: Record<string, { needs: Needs; automaticWith?: Needs }> = {
  pull_request: { needs: { pull_requests: 'read' } },
  issue_comment: { needs: { issues: 'read' } },
  merge_group: { needs: { merge_queues: 'read' } },
  // rerequested is only delivered with write
  check_run: { needs: { checks: 'write' }, automaticWith: { checks: 'write' } },
  check_suite: { needs: { checks: 'write' }, automaticWith: { checks: 'write' } },
};

/** The permission lockwarden relies on for each call it makes. */
const ENDPOINTS: Record<string, Needs> = {
  'GET /repos/{owner}/{repo}/contents/{path}': { contents: 'read' },
  'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': { contents: 'read' },
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': { contents: 'read' },
  'GET /repos/{owner}/{repo}/pulls/{pull_number}': { pull_requests: 'read' },
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/files': { pull_requests: 'read' },
  'POST /repos/{owner}/{repo}/check-runs': { checks: 'write' },
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': { checks: 'write' },
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': { checks: 'read' },
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': { pull_requests: 'read' },
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': { pull_requests: 'write' },
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': { pull_requests: 'write' },
  'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': { pull_requests: 'write' },
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission': { metadata: 'read' },
  // the App's own identity, asked with its JWT: no installation permission involved
  'GET /app': {},
};

const rank = (l: string | undefined) => (l === 'write' ? 2 : l === 'read' ? 1 : 0);
const grants = (needs: Needs) => Object.entries(needs).every(([p, l]) => rank(manifest.default_permissions[p]) >= rank(l));

/** Every `VERB /path` route string in src/github. */
function routesInSource(): string[] {
  const dir = path.join(ROOT, 'src', 'github');
  const routes = new Set<string>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/['"`](GET|POST|PATCH|PUT|DELETE) (\/[^'"`\s]+)['"`]/g)) routes.add(`${m[1]} ${m[2]}`);
  }
  return [...routes].sort();
}

/** The webhook events (without actions) the App registers with Probot. */
async function handledEvents(): Promise<string[]> {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const probot = new Probot({ appId: 1, privateKey, secret: 'test', log: pino({ level: 'silent' }) });
  const names: string[] = [];
  const original = probot.on.bind(probot) as (name: unknown, cb: unknown) => void;
  (probot as unknown as { on: (name: string | string[], cb: unknown) => void }).on = (name, cb) => {
    names.push(...(Array.isArray(name) ? name : [name]));
    original(name, cb);
  };
  await probot.load(lockwardenApp({ registry: {} as RegistryClient, journal: memoryJournal(), signingSecret: 'test' }), { cwd: ROOT, addHandler: () => {} });
  return [...new Set(names.map((n) => n.split('.')[0]!))].sort();
}

describe('app.yml (GitHub App manifest)', () => {
  let events: string[];
  beforeAll(async () => {
    events = await handledEvents();
  });

  it('is a manifest GitHub accepts: name, https url, description, private; Probot fills in the hook and redirect URLs', () => {
    expect(typeof manifest.name).toBe('string');
    expect(manifest.name.length).toBeGreaterThan(0);
    expect(manifest.name.length).toBeLessThanOrEqual(34); // GitHub's limit for App names
    expect(new URL(manifest.url).protocol).toBe('https:');
    expect(manifest.description.length).toBeGreaterThan(20);
    expect(manifest.public).toBe(false);
    // Probot's manifest spreads app.yml over its own values: these would replace the server's URLs
    expect(manifest['hook_attributes']).toBeUndefined();
    expect(manifest['redirect_url']).toBeUndefined();
    // no user OAuth: lockwarden acts as the App only
    expect(manifest['callback_urls']).toBeUndefined();
    expect(manifest['request_oauth_on_install']).toBeUndefined();
  });

  it('the App handles the events this test knows the requirements of', () => {
    expect(events).toEqual(['check_run', 'check_suite', 'issue_comment', 'merge_group', 'pull_request']);
    for (const e of events) expect([e, EVENTS[e] !== undefined]).toEqual([e, true]);
  });

  it('subscribes to exactly the handled events, leaving out those GitHub delivers unasked', () => {
    const automatic = events.filter((e) => EVENTS[e]!.automaticWith && grants(EVENTS[e]!.automaticWith!));
    expect(automatic).toEqual(['check_run', 'check_suite']);
    expect([...manifest.default_events].sort()).toEqual(events.filter((e) => !automatic.includes(e)));
  });

  it('grants what each handled event needs', () => {
    for (const e of events) expect([e, grants(EVENTS[e]!.needs)]).toEqual([e, true]);
  });

  it('grants what each GitHub call in src/github needs', () => {
    const routes = routesInSource();
    expect(routes.length).toBeGreaterThan(5);
    for (const r of routes) {
      expect([r, ENDPOINTS[r] !== undefined]).toEqual([r, true]); // a new call: add it to ENDPOINTS and app.yml
      expect([r, grants(ENDPOINTS[r]!)]).toEqual([r, true]);
    }
  });

  it('asks for nothing more: each permission, at its level, is needed by a handled event or a call the App makes', () => {
    const needed: Record<string, Level> = { metadata: 'read' }; // every App has it
    const add = (n: Needs) => {
      for (const [p, l] of Object.entries(n)) if (rank(l) > rank(needed[p])) needed[p] = l;
    };
    for (const e of events) add(EVENTS[e]!.needs);
    for (const r of routesInSource()) if (ENDPOINTS[r]) add(ENDPOINTS[r]!);
    expect(manifest.default_permissions).toEqual(needed);
  });

  it('comments each permission with the calls and events that need it', () => {
    const lines = MANIFEST_TEXT.split('\n');
    const routes = routesInSource();
    for (const [perm] of Object.entries(manifest.default_permissions)) {
      const at = lines.findIndex((l) => new RegExp(`^\\s+${perm}:\\s`).test(l));
      let comment = '';
      for (let i = at - 1; i >= 0 && /^\s*#/.test(lines[i]!); i--) comment = `${lines[i]!}\n${comment}`;
      expect([perm, comment.length > 0]).toEqual([perm, true]);
      for (const r of routes.filter((r) => ENDPOINTS[r]?.[perm])) {
        const suffix = r.split(' ')[1]!.replace('/repos/{owner}/{repo}', '');
        expect([perm, r, comment.includes(suffix)]).toEqual([perm, r, true]);
      }
      for (const e of events.filter((e) => EVENTS[e]!.needs[perm] && !EVENTS[e]!.automaticWith))
        expect([perm, e, comment.includes(e)]).toEqual([perm, e, true]);
    }
  });

  it("is what Probot's setup page offers GitHub, with the registration command the install guide gives", async () => {
    // The guide's command: Probot's run() without APP_ID serves the manifest flow (main.ts would refuse to start).
    const REGISTER = "import { run } from 'probot'; await run(() => {});";
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockwarden-manifest-'));
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    await copyFile(path.join(ROOT, 'app.yml'), path.join(dir, 'app.yml'));
    await copyFile(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: dir, NO_SMEE_SETUP: 'true', GH_ORG: 'acme', PORT: String(port), HOST: '127.0.0.1' };
    const child = spawn(process.execPath, ['--input-type=module', '-e', REGISTER], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      let html = '';
      for (const deadline = Date.now() + 20_000; !html; ) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/probot`);
          if (r.status === 200) html = await r.text();
        } catch {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no setup page:\n${out}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(html).toContain('action="https://github.com/organizations/acme/settings/apps/new"');
      const raw = /name="manifest"[^>]*value='([^']*)'/.exec(html)?.[1];
      expect(raw).toBeDefined();
      const offered = JSON.parse(
        raw!
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&'),
      ) as Record<string, unknown>;
      expect(offered['default_permissions']).toEqual(manifest.default_permissions);
      expect(offered['default_events']).toEqual(manifest.default_events);
      expect([offered['name'], offered['url'], offered['description'], offered['public']]).toEqual([manifest.name, manifest.url, manifest.description, false]);
      // the webhook URL is the setup server's own address: the guide says to set the real one afterwards
      expect(offered['hook_attributes']).toEqual({ url: `http://127.0.0.1:${port}/` });
      // no third-party relay channel was created, and nothing was written yet
      expect(JSON.stringify(offered)).not.toMatch(/smee/);
      expect(readdirSync(dir).sort()).toEqual(['app.yml', 'node_modules', 'package.json']);
    } finally {
      child.kill('SIGKILL');
      await exited;
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
