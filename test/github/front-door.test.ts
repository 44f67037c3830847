/**
 * The front door's routing table (src/github/front-door.ts): which method and request target reach
 * the webhook guard, the health check, or a refusal. The server end to end: test/security/item-05.
 */
import { normalisePath, route } from '../../src/github/front-door.js';

const HOOK = '/api/github/webhooks';

describe('normalisePath', () => {
  it.each([
    ['/api/github/webhooks', HOOK],
    ['/api/github/webhooks/', HOOK],
    ['//api//github///webhooks//', HOOK],
    ['/api/github/webhooks?x=1#y', HOOK],
    ['/api/github/./webhooks/.', HOOK],
    ['/api/x/../github/webhooks', HOOK],
    ['/api/github/%77ebhooks', HOOK],
    ['/api/github%2Fwebhooks', HOOK],
    ['/api/github/x%2F..%2Fwebhooks', HOOK],
    ['/api\\github\\webhooks', HOOK],
    ['http://any.example/api/github/webhooks/', HOOK],
    ['/../../api/github/webhooks', HOOK],
    ['/api/github/%2577ebhooks', '/api/github/%77ebhooks'],
    ['/', '/'],
  ])('%s → %s', (target, expected) => {
    expect(normalisePath(target)).toBe(expected);
  });

  it('gives null for a target that does not decode', () => {
    expect(normalisePath('/api/github/%E0%A4%A')).toBeNull();
    expect(normalisePath('not a target')).toBeNull();
    expect(normalisePath('')).toBeNull();
  });
});

describe('route', () => {
  it.each([
    ['POST', '/api/github/webhooks/', { kind: 'webhook' }],
    ['POST', '//api/github/webhooks?x', { kind: 'webhook' }],
    ['GET', '/api/github/webhooks', { kind: 'refuse', status: 405, allow: 'POST' }],
    ['HEAD', '/api/github/webhooks/', { kind: 'refuse', status: 405, allow: 'POST' }],
    ['GET', '/healthz', { kind: 'health' }],
    ['GET', '/healthz/?probe', { kind: 'health' }],
    ['POST', '/healthz', { kind: 'refuse', status: 405, allow: 'GET' }],
    ['POST', '/api/github', { kind: 'refuse', status: 404 }],
    ['POST', '/api/github/webhooks/..', { kind: 'refuse', status: 404 }],
    ['POST', '/%ZZ', { kind: 'refuse', status: 404 }],
    ['GET', '/', { kind: 'refuse', status: 404 }],
  ])('%s %s', (method, target, expected) => {
    expect(route(method, target, HOOK)).toEqual(expected);
  });

  it('normalises a configured WEBHOOK_PATH the same way', () => {
    expect(route('POST', '/hooks', '/hooks/')).toEqual({ kind: 'webhook' });
    expect(route('POST', '/hooks/', '/hooks')).toEqual({ kind: 'webhook' });
  });
});
