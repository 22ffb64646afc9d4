// The Cognito user pool through amazon-cognito-identity-js (SRP sign-in, tokens kept in
// localStorage by the SDK and refreshed by it). The SDK is loaded only in this mode (dynamic
// import), so development builds never fetch it.
import type { AppConfig } from '../config';
import { authError, type AuthService, type CodeDelivery, type Session } from './types';

type Sdk = typeof import('amazon-cognito-identity-js');

function asAuthError(e: unknown) {
  const err = (e ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : 'UnknownError';
  const message = typeof err.message === 'string' ? err.message : '';
  return authError(code === 'NetworkError' || /network/i.test(message) ? 'NetworkError' : code, message);
}

function delivery(data: unknown): CodeDelivery {
  const d = (data ?? {}) as { CodeDeliveryDetails?: { Destination?: string }; codeDeliveryDetails?: { Destination?: string } };
  return { destination: d.CodeDeliveryDetails?.Destination ?? d.codeDeliveryDetails?.Destination ?? '' };
}

export class CognitoAuth implements AuthService {
  readonly kind = 'cognito' as const;
  readonly policy: AppConfig['passwordPolicy'];
  private sdk: Promise<Sdk> | null = null;

  constructor(private readonly config: AppConfig) {
    this.policy = config.passwordPolicy;
  }

  private async pool() {
    this.sdk ??= import('amazon-cognito-identity-js');
    const sdk = await this.sdk;
    const pool = new sdk.CognitoUserPool({
      UserPoolId: this.config.userPoolId,
      ClientId: this.config.userPoolClientId,
      ...(this.config.cognitoEndpoint ? { endpoint: this.config.cognitoEndpoint } : {}),
    });
    return { sdk, pool };
  }

  private async user(email: string) {
    const { sdk, pool } = await this.pool();
    return { sdk, user: new sdk.CognitoUser({ Username: email.trim().toLowerCase(), Pool: pool }) };
  }

  async signUp(name: string, email: string, password: string): Promise<CodeDelivery> {
    const { sdk, pool } = await this.pool();
    const attrs = [
      new sdk.CognitoUserAttribute({ Name: 'email', Value: email.trim().toLowerCase() }),
      new sdk.CognitoUserAttribute({ Name: 'name', Value: name.trim() }),
    ];
    return new Promise((resolve, reject) => {
      pool.signUp(email.trim().toLowerCase(), password, attrs, [], (err, result) => {
        if (err || !result) reject(asAuthError(err));
        else resolve({ destination: result.codeDeliveryDetails?.Destination ?? email });
      });
    });
  }

  async confirmSignUp(email: string, code: string): Promise<void> {
    const { user } = await this.user(email);
    return new Promise((resolve, reject) => {
      user.confirmRegistration(code.trim(), true, (err) => (err ? reject(asAuthError(err)) : resolve()));
    });
  }

  async resendCode(email: string): Promise<CodeDelivery> {
    const { user } = await this.user(email);
    return new Promise((resolve, reject) => {
      user.resendConfirmationCode((err, data) => (err ? reject(asAuthError(err)) : resolve(delivery(data))));
    });
  }

  private static session(s: import('amazon-cognito-identity-js').CognitoUserSession): Session {
    const id = s.getIdToken();
    const p = id.decodePayload() as Record<string, unknown>;
    return {
      idToken: id.getJwtToken(),
      email: typeof p.email === 'string' ? p.email : '',
      name: typeof p.name === 'string' ? p.name : '',
      expiresAt: id.getExpiration(),
    };
  }

  async signIn(email: string, password: string): Promise<Session> {
    const { sdk, user } = await this.user(email);
    const details = new sdk.AuthenticationDetails({ Username: email.trim().toLowerCase(), Password: password });
    return new Promise((resolve, reject) => {
      user.authenticateUser(details, {
        onSuccess: (s) => resolve(CognitoAuth.session(s)),
        onFailure: (err) => reject(asAuthError(err)),
        newPasswordRequired: () => reject(authError('NewPasswordRequired', 'This account needs a new password: use “Forgot password”.')),
        totpRequired: () => reject(authError('MfaRequired', 'This account uses an authenticator app, which this app does not support yet.')),
        mfaRequired: () => reject(authError('MfaRequired', 'This account uses multi-factor sign-in, which this app does not support yet.')),
      });
    });
  }

  async signOut(): Promise<void> {
    const { pool } = await this.pool();
    const user = pool.getCurrentUser();
    if (user) await new Promise<void>((resolve) => user.signOut(() => resolve()));
  }

  async currentSession(): Promise<Session | null> {
    const { pool } = await this.pool();
    const user = pool.getCurrentUser();
    if (!user) return null;
    return new Promise((resolve) => {
      // getSession refreshes the tokens with the refresh token when they have expired.
      user.getSession((err: Error | null, s: import('amazon-cognito-identity-js').CognitoUserSession | null) => {
        resolve(err || !s || !s.isValid() ? null : CognitoAuth.session(s));
      });
    });
  }

  async forgotPassword(email: string): Promise<CodeDelivery> {
    const { user } = await this.user(email);
    return new Promise((resolve, reject) => {
      user.forgotPassword({
        onSuccess: (data) => resolve(delivery(data)),
        onFailure: (err) => reject(asAuthError(err)),
        inputVerificationCode: (data) => resolve(delivery(data)),
      });
    });
  }

  async confirmForgotPassword(email: string, code: string, password: string): Promise<void> {
    const { user } = await this.user(email);
    return new Promise((resolve, reject) => {
      user.confirmPassword(code.trim(), password, {
        onSuccess: () => resolve(),
        onFailure: (err) => reject(asAuthError(err)),
      });
    });
  }
}
