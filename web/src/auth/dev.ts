// Development accounts of the local server (`loansyncro-server --dev-identity`, /dev/auth/*):
// the same steps as Cognito; the verification code comes back as `dev_code` (no mail is sent).
// The id token is kept in localStorage, as Cognito's SDK keeps its tokens.
import type { PasswordPolicy } from '../config';
import { authError, sessionFromIdToken, type AuthService, type CodeDelivery, type Session } from './types';

const TOKEN_KEY = 'loansyncro.dev.idToken';

export class DevAuth implements AuthService {
  readonly kind = 'dev' as const;
  constructor(
    private readonly apiBaseUrl: string,
    readonly policy: PasswordPolicy,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
  ) {}

  private async post(path: string, body: Record<string, string>): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.apiBaseUrl}/dev/auth/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch {
      throw authError('NetworkError', '');
    }
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    const obj = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    if (!res.ok) {
      const e = (obj.error ?? {}) as Record<string, unknown>;
      const code = typeof e.code === 'string' ? e.code : res.status === 404 ? 'DevAuthUnavailable' : 'UnknownError';
      const message =
        code === 'DevAuthUnavailable'
          ? 'Development sign-in is not available: start the server with --dev-identity.'
          : typeof e.message === 'string'
            ? e.message
            : `The server answered ${res.status}.`;
      throw authError(code, message, typeof e.field === 'string' ? e.field : null);
    }
    return obj;
  }

  private static delivery(o: Record<string, unknown>): CodeDelivery {
    return {
      destination: typeof o.destination === 'string' ? o.destination : '',
      devCode: typeof o.dev_code === 'string' ? o.dev_code : undefined,
    };
  }

  async signUp(name: string, email: string, password: string): Promise<CodeDelivery> {
    return DevAuth.delivery(await this.post('sign-up', { name, email, password }));
  }
  async confirmSignUp(email: string, code: string): Promise<void> {
    await this.post('confirm', { email, code });
  }
  async resendCode(email: string): Promise<CodeDelivery> {
    return DevAuth.delivery(await this.post('resend', { email }));
  }
  async signIn(email: string, password: string): Promise<Session> {
    const o = await this.post('sign-in', { email, password });
    const token = typeof o.id_token === 'string' ? o.id_token : '';
    const session = sessionFromIdToken(token);
    if (!session) throw authError('UnknownError', 'The server sent no valid token.');
    this.storage.setItem(TOKEN_KEY, token);
    return session;
  }
  async signOut(): Promise<void> {
    this.storage.removeItem(TOKEN_KEY);
  }
  async currentSession(): Promise<Session | null> {
    const token = this.storage.getItem(TOKEN_KEY);
    const session = token ? sessionFromIdToken(token) : null;
    if (token && !session) this.storage.removeItem(TOKEN_KEY);
    return session;
  }
  async forgotPassword(email: string): Promise<CodeDelivery> {
    return DevAuth.delivery(await this.post('forgot', { email }));
  }
  async confirmForgotPassword(email: string, code: string, password: string): Promise<void> {
    await this.post('reset', { email, code, password });
  }
}
