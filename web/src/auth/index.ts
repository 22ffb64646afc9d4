import type { AppConfig } from '../config';
import { CognitoAuth } from './cognito';
import { DevAuth } from './dev';
import type { AuthService } from './types';

/** The implementation the config names: "dev" (local server) or "cognito" (the user pool). */
export function makeAuth(config: AppConfig): AuthService {
  return config.auth === 'cognito' ? new CognitoAuth(config) : new DevAuth(config.apiBaseUrl, config.passwordPolicy);
}
export * from './types';
