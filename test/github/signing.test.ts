/**
 * The server secret behind approvals and the comment fingerprint, the App identity check, and the
 * start-up validation of LOCKWARDEN_SECRET.
 */
import { cachedIdentity, writtenByApp } from '../../src/github/identity.js';
import { checkEnv, StartupError } from '../../src/github/server.js';
import { createSigner, resolveSigningSecret, SigningSecretError } from '../../src/github/signing.js';

const scope = { repo: 'acme/webapp', pr: 7 };
const fields = ['approval', 'axios', '1.14.1', 'alice', '2026-01-01T00:00:00.000Z', 'ok'];
const macWith = (env: NodeJS.ProcessEnv) => createSigner(resolveSigningSecret(env)).approvalMac(scope, fields);

describe('signing secret', () => {
  it('is LOCKWARDEN_SECRET when set, else derived from WEBHOOK_SECRET (never the webhook secret itself)', () => {
    const own = 'x'.repeat(40);
    expect(resolveSigningSecret({ LOCKWARDEN_SECRET: own, WEBHOOK_SECRET: 'w' })).toEqual(Buffer.from(own));
    const derived = resolveSigningSecret({ WEBHOOK_SECRET: 'webhook-secret' });
    expect(derived).toHaveLength(32);
    expect(derived.equals(Buffer.from('webhook-secret'))).toBe(false);
    expect(macWith({ WEBHOOK_SECRET: 'webhook-secret' })).not.toBe(macWith({ WEBHOOK_SECRET: 'other-secret' }));
    expect(macWith({ WEBHOOK_SECRET: 'webhook-secret', LOCKWARDEN_SECRET: own })).not.toBe(macWith({ WEBHOOK_SECRET: 'webhook-secret' }));
  });

  it('is required, and LOCKWARDEN_SECRET must be long', () => {
    expect(() => resolveSigningSecret({})).toThrow(SigningSecretError);
    expect(() => resolveSigningSecret({ LOCKWARDEN_SECRET: 'short', WEBHOOK_SECRET: 'w' })).toThrow(/at least 32/);
    const env = { APP_ID: '1', PRIVATE_KEY: 'k', WEBHOOK_SECRET: 'w' };
    expect(() => checkEnv(env)).not.toThrow();
    expect(() => checkEnv({ ...env, LOCKWARDEN_SECRET: 'short' })).toThrow(StartupError);
    expect(() => checkEnv({ ...env, LOCKWARDEN_SECRET: 'y'.repeat(32) })).not.toThrow();
  });

  it('MACs verify only for the same fields, scope and secret', () => {
    const signer = createSigner('s'.repeat(32));
    const mac = signer.approvalMac(scope, fields);
    expect(signer.verifyApproval(scope, fields, mac)).toBe(true);
    expect(
      signer.verifyApproval(
        scope,
        fields.map((f) => (f === '1.14.1' ? '1.14.2' : f)),
        mac,
      ),
    ).toBe(false);
    expect(signer.verifyApproval({ ...scope, pr: 8 }, fields, mac)).toBe(false);
    expect(signer.verifyApproval({ ...scope, repo: 'ACME/WebApp' }, fields, mac)).toBe(true); // GitHub names are case-insensitive
    expect(createSigner('t'.repeat(32)).verifyApproval(scope, fields, mac)).toBe(false);
    expect(signer.verifyApproval(scope, fields, mac.toUpperCase())).toBe(false);
    expect(signer.verifyApproval(scope, fields, '')).toBe(false);
  });
});

describe('App identity', () => {
  const app = { id: 1, slug: 'lockwarden' };
  it('a comment is the App’s only from its bot account, and from the App when GitHub names one', () => {
    const c = (login: string, type: string, appId: number | null) => ({ id: 1, body: '', user: { login, type }, appId });
    expect(writtenByApp(c('lockwarden[bot]', 'Bot', 1), app)).toBe(true);
    expect(writtenByApp(c('lockwarden[bot]', 'Bot', null), app)).toBe(true);
    expect(writtenByApp(c('lockwarden[bot]', 'Bot', 2), app)).toBe(false);
    expect(writtenByApp(c('ci-bot[bot]', 'Bot', null), app)).toBe(false);
    expect(writtenByApp(c('lockwarden[bot]', 'User', null), app)).toBe(false);
    expect(writtenByApp({ id: 1, body: '', user: null, appId: 1 }, app)).toBe(false);
  });

  it('is learnt once, and asked again after a failure', async () => {
    let calls = 0;
    const load = cachedIdentity(async () => {
      calls++;
      if (calls === 1) throw new Error('GitHub is down');
      return app;
    });
    await expect(load()).rejects.toThrow(/down/);
    await expect(load()).resolves.toEqual(app);
    await expect(load()).resolves.toEqual(app);
    expect(calls).toBe(2);
  });
});
