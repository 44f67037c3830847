import { isDateTime, loadGitHubOpenApi, RouteTable } from '../../test-support/openapi-validate.js';

describe('RouteTable', () => {
  const table = new RouteTable<string>();
  for (const t of [
    '/repos/{owner}/{repo}',
    '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    '/repos/{owner}/{repo}/contents/{path}',
    '/repos/{owner}/{repo}/commits/{ref}/check-runs',
  ]) {
    table.add('GET', t, t);
  }

  test('a literal segment beats a parameter', () => {
    expect(table.match('GET', '/repos/o/r/issues/comments/5')).toMatchObject({ template: '/repos/{owner}/{repo}/issues/comments/{comment_id}' });
    expect(table.match('get', '/repos/o/r/issues/5/comments')?.params).toEqual(
      new Map([
        ['owner', 'o'],
        ['repo', 'r'],
        ['issue_number', '5'],
      ]),
    );
  });

  test('%2F stays inside a parameter; only a trailing {path} spans segments or may be left out', () => {
    expect(table.match('GET', '/repos/o/r/commits/feature%2Fx/check-runs')?.params.get('ref')).toBe('feature/x');
    expect(table.match('GET', '/repos/o/r/commits/feature/x/check-runs')).toBeUndefined();
    expect(table.match('GET', '/repos/o/r/contents/.github%2Fa.yml')?.params.get('path')).toBe('.github/a.yml');
    expect(table.match('GET', '/repos/o/r/contents/.github/a.yml')?.params.get('path')).toBe('.github/a.yml');
    expect(table.match('GET', '/repos/o/r/contents')?.params.get('path')).toBe('');
    expect(table.match('GET', '/repos/o/r/contents/')?.params.get('path')).toBe('');
  });

  test('no match: other methods, empty or malformed parameters, extra segments', () => {
    expect(table.match('POST', '/repos/o/r')).toBeUndefined();
    expect(table.match('GET', '/repos//r')).toBeUndefined();
    expect(table.match('GET', '/repos/o/r/x')).toBeUndefined();
    expect(table.match('GET', '/repos/o%ZZ/r')).toBeUndefined();
  });
});

describe("validation against GitHub's description", () => {
  const api = loadGitHubOpenApi();
  const op = (key: string) => {
    const [method, template] = key.split(' ') as [string, string];
    const o = api.operation(method, template);
    if (!o) throw new Error(`no operation ${key}`);
    return o;
  };
  const messages = (key: string, req: { params?: Record<string, string>; query?: string; body?: unknown }) =>
    api
      .validateRequest(op(key), { params: new Map(Object.entries(req.params ?? {})), query: new URLSearchParams(req.query ?? ''), body: req.body })
      .map((i) => `${i.location}: ${i.message} [${i.code}]`);

  test('operations are indexed by method and templated path', () => {
    const m = api.match('PATCH', '/repos/acme/app/check-runs/12');
    expect(m?.value.operationId).toBe('checks/update');
    expect(m?.params.get('check_run_id')).toBe('12');
    expect(api.match('GET', '/repos/acme/app/not-a-thing')).toBeUndefined();
  });

  test('request bodies: types, enums, nested arrays, maxItems, nullable, unknown properties', () => {
    const params = { owner: 'o', repo: 'r' };
    expect(messages('POST /repos/{owner}/{repo}/check-runs', { params, body: { name: 'n', head_sha: 'x' } })).toEqual([]);
    expect(
      messages('POST /repos/{owner}/{repo}/check-runs', {
        params,
        body: { name: 5, head_sha: 'x', status: 'done', actions: [{ label: 'a'.repeat(21), description: 'd', identifier: 'i' }, {}, {}, {}] },
      }),
    ).toEqual([
      'body.name: 5 is an integer, expected a string [invalid]',
      'body.status: "done" is not one of queued, in_progress, completed [invalid]',
      'body.actions: has 4 items, at most 3 allowed [invalid]',
      'body.actions[0].label: is 21 characters long, at most 20 allowed [invalid]',
      'body.actions[1].label: required property is missing [missing_field]',
      'body.actions[1].description: required property is missing [missing_field]',
      'body.actions[1].identifier: required property is missing [missing_field]',
      'body.actions[2].label: required property is missing [missing_field]',
      'body.actions[2].description: required property is missing [missing_field]',
      'body.actions[2].identifier: required property is missing [missing_field]',
      'body.actions[3].label: required property is missing [missing_field]',
      'body.actions[3].description: required property is missing [missing_field]',
      'body.actions[3].identifier: required property is missing [missing_field]',
    ]);
    expect(messages('POST /repos/{owner}/{repo}/check-runs', { params, body: { name: 'n', head_sha: 'x', conclusion: null } })).toEqual([
      'body.conclusion: is null, expected a string (not nullable) [invalid]',
    ]);
    expect(
      messages('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { params: { ...params, issue_number: '1' }, body: { body: 'x', bdy: 'y' } }),
    ).toEqual(["body.bdy: unknown property (not in GitHub's schema, GitHub would ignore it) [invalid]"]);
    expect(messages('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { params: { ...params, issue_number: '1' }, body: ['x'] })).toEqual([
      'body: ["x"] is an array, expected an object [invalid]',
    ]);
  });

  test('anyOf: the PATCH check run alternatives, and properties declared only inside alternatives are known', () => {
    const params = { owner: 'o', repo: 'r', check_run_id: '1' };
    expect(messages('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { params, body: { status: 'completed', conclusion: 'success' } })).toEqual([]);
    expect(messages('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { params, body: { output: { summary: 's' } } })).toEqual([]);
    expect(messages('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { params, body: { status: 'in_progress', colour: 'red' } })).toEqual([
      "body.colour: unknown property (not in GitHub's schema, GitHub would ignore it) [invalid]",
    ]);
  });

  test('path and query parameters', () => {
    expect(
      messages('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { params: { owner: 'o', repo: 'r', pull_number: '-' }, query: 'per_page=1e2&page=2' }),
    ).toEqual(['path.pull_number: "-" is not an integer [invalid]', 'query.per_page: "1e2" is not an integer [invalid]']);
    expect(
      messages('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
        params: { owner: 'o', repo: 'r', ref: 'main' },
        query: 'filter=latest&status=completed&app_id=3',
      }),
    ).toEqual([]);
    expect(messages('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { params: { owner: 'o', repo: 'r', ref: 'main' }, query: 'filter=newest' })).toEqual([
      'query.filter: "newest" is not one of latest, all [invalid]',
    ]);
  });

  test('responses: nullable members, composition and discriminators', () => {
    expect(api.validateSchema('#/components/schemas/content-file', { type: 'file' }).length).toBeGreaterThan(5);
    const contents = op('GET /repos/{owner}/{repo}/contents/{path}');
    const file = {
      type: 'file',
      encoding: 'base64',
      size: 1,
      name: 'a',
      path: 'a',
      content: 'YQ==',
      sha: 's',
      url: 'u',
      git_url: null,
      html_url: null,
      download_url: null,
      _links: { self: 'u', git: null, html: null },
    };
    expect(api.validateResponse(contents, 200, file)).toEqual([]);
    expect(api.validateResponse(contents, 200, [{ ...file, type: 'dir' }])).toEqual([]);
    expect(api.validateResponse(contents, 200, { ...file, size: '1' }).map((i) => i.message)).toEqual(['"1" is a string, expected an integer']);
    expect(api.validateResponse(contents, 418, 'anything')).toEqual([]); // undocumented status: nothing to check
  });

  test('date-time format', () => {
    expect(isDateTime('2024-05-01T10:00:00Z')).toBe(true);
    expect(isDateTime('2024-05-01T10:00:00.123+02:00')).toBe(true);
    expect(isDateTime('2024-05-01')).toBe(false);
    expect(isDateTime('2024-13-45T99:00:00Z')).toBe(false);
  });
});
