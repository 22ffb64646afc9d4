import { describe, expect, it } from 'vitest';
import { Api, ApiError } from '../api/client';
import { ConfigError, DEFAULT_POLICY, parseConfig } from '../config';
import { DevAuth } from './dev';
import { AuthError, authError, isEmail, meetsPolicy, passwordRules, sessionFromIdToken } from './types';

function jwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${b64({ alg: 'RS256' })}.${b64(claims)}.sig`;
}

class MemoryStorage {
  m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

function fakeFetch(routes: Record<string, (body: Record<string, string>) => [number, unknown]>) {
  const calls: string[] = [];
  const f = (async (url: string | URL | Request, init?: RequestInit) => {
    const u = String(url);
    calls.push(`${init?.method ?? 'GET'} ${u}`);
    const key = Object.keys(routes).find((k) => u.endsWith(k));
    if (!key) return new Response('{}', { status: 404 });
    const [status, body] = routes[key]!(JSON.parse(String(init?.body ?? '{}')) as Record<string, string>);
    return new Response(status === 204 ? null : JSON.stringify(body), { status });
  }) as typeof fetch;
  return { f, calls };
}

describe('password policy', () => {
  it('lists each rule with whether it is met', () => {
    expect(passwordRules(DEFAULT_POLICY, 'abc').map((r) => [r.id, r.ok])).toEqual([
      ['length', false],
      ['lower', true],
      ['upper', false],
      ['number', false],
      ['symbol', false],
    ]);
    expect(meetsPolicy(DEFAULT_POLICY, 'Correct-Horse-9')).toBe(true);
    expect(meetsPolicy(DEFAULT_POLICY, 'Correct Horse 9')).toBe(true);
    expect(meetsPolicy(DEFAULT_POLICY, ' Correct-Horse-9')).toBe(false);
    expect(meetsPolicy({ ...DEFAULT_POLICY, minimumLength: 16 }, 'Correct-Horse-9')).toBe(false);
    expect(passwordRules({ ...DEFAULT_POLICY, requireSymbols: false }, 'x').map((r) => r.id)).toEqual(['length', 'lower', 'upper', 'number']);
  });
  it('checks e-mail shape', () => {
    expect(isEmail('a@b.co')).toBe(true);
    expect(isEmail('a@b')).toBe(false);
    expect(isEmail('a b@c.de')).toBe(false);
  });
});

describe('auth errors and sessions', () => {
  it('maps Cognito exception names to words and fields', () => {
    expect(authError('UsernameExistsException', 'x')).toMatchObject({ field: 'email', message: 'An account with this e-mail already exists.' });
    expect(authError('CodeMismatchException', 'x')).toMatchObject({ field: 'code' });
    expect(authError('NotAuthorizedException', 'Incorrect username or password.')).toMatchObject({ field: null, message: 'Incorrect e-mail or password.' });
    expect(authError('InvalidParameterException', 'enter a valid e-mail address', 'email')).toMatchObject({ field: 'email', message: 'Enter a valid e-mail address.' });
  });
  it('reads a session from an id token and refuses an expired one', () => {
    const t = jwt({ email: 'a@b.co', name: 'Ada', exp: 2000 });
    expect(sessionFromIdToken(t, 1000)).toEqual({ idToken: t, email: 'a@b.co', name: 'Ada', expiresAt: 2000 });
    expect(sessionFromIdToken(t, 1995)).toBeNull();
    expect(sessionFromIdToken('garbage', 0)).toBeNull();
  });
});

describe('DevAuth against the /dev/auth routes', () => {
  it('signs up, confirms, signs in (token stored), signs out', async () => {
    const token = jwt({ email: 'ada@example.com', name: 'Ada', exp: Date.now() / 1000 + 3600 });
    const { f, calls } = fakeFetch({
      '/dev/auth/sign-up': (b) => [200, { destination: 'a***@example.com', dev_code: '123456', user_sub: b.email }],
      '/dev/auth/confirm': (b) => (b.code === '123456' ? [200, { confirmed: true }] : [400, { error: { code: 'CodeMismatchException', message: 'bad', field: 'code' } }]),
      '/dev/auth/sign-in': () => [200, { id_token: token, expires_in: 3600 }],
    });
    const storage = new MemoryStorage();
    const auth = new DevAuth('/api', DEFAULT_POLICY, storage, f);
    expect(await auth.signUp('Ada', 'ada@example.com', 'Correct-Horse-9')).toEqual({ destination: 'a***@example.com', devCode: '123456' });
    await expect(auth.confirmSignUp('ada@example.com', '000000')).rejects.toMatchObject({ code: 'CodeMismatchException', field: 'code' });
    await auth.confirmSignUp('ada@example.com', '123456');
    const s = await auth.signIn('ada@example.com', 'Correct-Horse-9');
    expect(s.name).toBe('Ada');
    expect((await auth.currentSession())?.idToken).toBe(token);
    await auth.signOut();
    expect(await auth.currentSession()).toBeNull();
    expect(calls[0]).toBe('POST /api/dev/auth/sign-up');
  });
  it('says when the server runs without --dev-identity', async () => {
    const { f } = fakeFetch({});
    const auth = new DevAuth('/api', DEFAULT_POLICY, new MemoryStorage(), f);
    const e = await auth.signIn('a@b.co', 'x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).message).toBe('Development sign-in is not available: start the server with --dev-identity.');
  });
});

describe('API client', () => {
  it('sends the bearer token, follows cursors and reports 401', async () => {
    const seen: string[] = [];
    let unauthorized = 0;
    const f = (async (url: string | URL | Request, init?: RequestInit) => {
      const u = String(url);
      seen.push(`${u} ${(init?.headers as Record<string, string>).authorization}`);
      if (u.includes('cursor=c1')) return new Response(JSON.stringify({ items: [{ id: '2' }], next_cursor: null }));
      if (u.startsWith('/api/loans?')) return new Response(JSON.stringify({ items: [{ id: '1' }], next_cursor: 'c1' }));
      return new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'token expired', field: null } }), { status: 401 });
    }) as typeof fetch;
    const api = new Api({ baseUrl: '/api', token: async () => 'T', onUnauthorized: () => unauthorized++, fetchFn: f });
    expect((await api.loans('car')).map((l) => l.id)).toEqual(['1', '2']);
    expect(seen[0]).toBe('/api/loans?limit=100&search=car Bearer T');
    const e = await api.me().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(401);
    expect(unauthorized).toBe(1);
  });
});

describe('config.json', () => {
  it('reads the development and the Cognito forms', () => {
    expect(parseConfig({ auth: 'dev', apiBaseUrl: '/api/' })).toMatchObject({ auth: 'dev', apiBaseUrl: '/api', passwordPolicy: DEFAULT_POLICY });
    const c = parseConfig({
      auth: 'cognito',
      apiBaseUrl: 'https://x.execute-api.eu-west-1.amazonaws.com/prod',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_abc',
      userPoolClientId: 'client',
      passwordPolicy: { minimumLength: 14 },
    });
    expect(c.passwordPolicy.minimumLength).toBe(14);
  });
  it('names the bad key', () => {
    expect(() => parseConfig({ auth: 'cognito', apiBaseUrl: '/api' })).toThrow('"cognito" needs "userPoolId" and "userPoolClientId"');
    expect(() => parseConfig({ apiBaseUrl: 3 })).toThrow(ConfigError);
    expect(() => parseConfig({ apiBaseUrl: '/api', passwordPolicy: { minimumLength: 2 } })).toThrow('minimumLength');
  });
});
