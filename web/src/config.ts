// The one configuration file of the app: /config.json next to index.html, written from the
// Terraform outputs in production (auth "cognito", apiBaseUrl = api_url, userPoolId,
// userPoolClientId) and committed for local development (auth "dev", the local server proxied
// under /api). Read once at start-up.

export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

export interface AppConfig {
  auth: 'dev' | 'cognito';
  apiBaseUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Another Cognito endpoint (an emulator such as moto in tests); empty: the region's. */
  cognitoEndpoint: string;
  passwordPolicy: PasswordPolicy;
}

export const DEFAULT_POLICY: PasswordPolicy = {
  minimumLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function str(o: Record<string, unknown>, key: string, fallback?: string): string {
  const v = o[key];
  if (typeof v === 'string') return v;
  if (v === undefined && fallback !== undefined) return fallback;
  throw new ConfigError(`config.json: "${key}" must be a string`);
}

/** Validates the parsed config.json; throws ConfigError naming the key. */
export function parseConfig(raw: unknown): AppConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError('config.json must be an object');
  const o = raw as Record<string, unknown>;
  const auth = str(o, 'auth', 'dev');
  if (auth !== 'dev' && auth !== 'cognito') throw new ConfigError('config.json: "auth" must be "dev" or "cognito"');
  const config: AppConfig = {
    auth,
    apiBaseUrl: str(o, 'apiBaseUrl').replace(/\/+$/, ''),
    region: str(o, 'region', ''),
    userPoolId: str(o, 'userPoolId', ''),
    userPoolClientId: str(o, 'userPoolClientId', ''),
    cognitoEndpoint: str(o, 'cognitoEndpoint', ''),
    passwordPolicy: { ...DEFAULT_POLICY },
  };
  const p = o.passwordPolicy;
  if (p !== undefined) {
    if (typeof p !== 'object' || p === null) throw new ConfigError('config.json: "passwordPolicy" must be an object');
    const pp = p as Record<string, unknown>;
    const len = pp.minimumLength;
    if (len !== undefined) {
      if (typeof len !== 'number' || !Number.isInteger(len) || len < 6 || len > 99) {
        throw new ConfigError('config.json: "passwordPolicy.minimumLength" must be a whole number from 6 to 99');
      }
      config.passwordPolicy.minimumLength = len;
    }
    for (const k of ['requireLowercase', 'requireUppercase', 'requireNumbers', 'requireSymbols'] as const) {
      const v = pp[k];
      if (v !== undefined) {
        if (typeof v !== 'boolean') throw new ConfigError(`config.json: "passwordPolicy.${k}" must be true or false`);
        config.passwordPolicy[k] = v;
      }
    }
  }
  if (auth === 'cognito' && (!config.userPoolId || !config.userPoolClientId)) {
    throw new ConfigError('config.json: "cognito" needs "userPoolId" and "userPoolClientId"');
  }
  return config;
}

export async function loadConfig(url = '/config.json'): Promise<AppConfig> {
  const res = await fetch(url, { cache: 'no-cache' });
  if (!res.ok) throw new ConfigError(`${url}: HTTP ${res.status}`);
  return parseConfig(await res.json());
}
