// The front end's authentication interface. Two implementations: the local server's development
// accounts (dev.ts) and the Cognito user pool (cognito.ts); the screens use only this interface.
import type { PasswordPolicy } from '../config';

export interface Session {
  /** The id token sent as the API's bearer token. */
  idToken: string;
  email: string;
  name: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** Where a code was sent; `devCode` only in development (no mail is sent there). */
export interface CodeDelivery {
  destination: string;
  devCode?: string | undefined;
}

export interface AuthService {
  readonly kind: 'dev' | 'cognito';
  readonly policy: PasswordPolicy;
  signUp(name: string, email: string, password: string): Promise<CodeDelivery>;
  confirmSignUp(email: string, code: string): Promise<void>;
  resendCode(email: string): Promise<CodeDelivery>;
  signIn(email: string, password: string): Promise<Session>;
  signOut(): Promise<void>;
  /** The stored session if still valid (refreshed when the provider can), else null. */
  currentSession(): Promise<Session | null>;
  forgotPassword(email: string): Promise<CodeDelivery>;
  confirmForgotPassword(email: string, code: string, password: string): Promise<void>;
}

/** The fields of the auth screens an error can belong to. */
export type AuthField = 'name' | 'email' | 'password' | 'code';

/** An error of an auth step, in words, with the field it belongs to when there is one. */
export class AuthError extends Error {
  override name = 'AuthError';
  constructor(
    readonly code: string,
    message: string,
    readonly field: AuthField | null = null,
  ) {
    super(message);
  }
}

/** Cognito's exception names (also the dev server's codes) -> the message shown and its field. */
export function authError(code: string, fallback: string, field?: string | null): AuthError {
  const f = (field === 'name' || field === 'email' || field === 'password' || field === 'code' ? field : null) as AuthField | null;
  switch (code) {
    case 'UsernameExistsException':
      return new AuthError(code, 'An account with this e-mail already exists.', 'email');
    case 'InvalidPasswordException':
      return new AuthError(code, 'The password does not meet the policy.', 'password');
    case 'CodeMismatchException':
      return new AuthError(code, 'This code is not valid. Check the e-mail or ask for a new code.', 'code');
    case 'ExpiredCodeException':
      return new AuthError(code, 'This code has expired. Ask for a new code.', 'code');
    case 'NotAuthorizedException':
      return new AuthError(code, 'Incorrect e-mail or password.', f);
    case 'UserNotConfirmedException':
      return new AuthError(code, 'Confirm your e-mail address first.', null);
    case 'UserNotFoundException':
      return new AuthError(code, 'Incorrect e-mail or password.', null);
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return new AuthError(code, 'Too many attempts. Wait a moment and try again.', null);
    case 'InvalidParameterException':
      return new AuthError(code, sentence(fallback), f);
    case 'NetworkError':
      return new AuthError(code, 'The server cannot be reached. Check your connection and retry.', null);
    default:
      return new AuthError(code, sentence(fallback || 'Something went wrong. Try again.'), f);
  }
}

function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** Cognito's symbol set. */
export const SYMBOLS = '^$*.[]{}()?-"!@#%&/\\,><\':;|_~`+= ';

export interface PolicyRule {
  id: 'length' | 'lower' | 'upper' | 'number' | 'symbol';
  label: string;
  ok: boolean;
}

/** Each rule of the policy with whether `password` meets it (shown live under the field). */
export function passwordRules(policy: PasswordPolicy, password: string): PolicyRule[] {
  const rules: PolicyRule[] = [
    { id: 'length', label: `At least ${policy.minimumLength} characters`, ok: [...password].length >= policy.minimumLength },
  ];
  if (policy.requireLowercase) rules.push({ id: 'lower', label: 'A lowercase letter', ok: /[a-z]/.test(password) });
  if (policy.requireUppercase) rules.push({ id: 'upper', label: 'An uppercase letter', ok: /[A-Z]/.test(password) });
  if (policy.requireNumbers) rules.push({ id: 'number', label: 'A number', ok: /[0-9]/.test(password) });
  if (policy.requireSymbols) {
    rules.push({ id: 'symbol', label: 'A symbol such as ! @ # $ %', ok: [...password].some((c) => SYMBOLS.includes(c)) });
  }
  return rules;
}

export function meetsPolicy(policy: PasswordPolicy, password: string): boolean {
  return passwordRules(policy, password).every((r) => r.ok) && !/^ | $/.test(password);
}

/** A plausible e-mail address (the provider has the last word). */
export function isEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim()) && s.trim().length <= 254;
}

/** The claims of a JWT (no signature check: the API checks it; the app only reads name/expiry). */
export function jwtClaims(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A session from an id token, or null when it is malformed or expired (`now` in seconds). */
export function sessionFromIdToken(token: string, now = Date.now() / 1000): Session | null {
  const c = jwtClaims(token);
  if (!c) return null;
  const exp = typeof c.exp === 'number' ? c.exp : 0;
  if (exp <= now + 10) return null;
  return {
    idToken: token,
    email: typeof c.email === 'string' ? c.email : '',
    name: typeof c.name === 'string' ? c.name : '',
    expiresAt: exp,
  };
}
