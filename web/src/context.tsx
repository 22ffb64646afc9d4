// What every page needs: the config, the auth service, the API client and the session.
import { createContext, useContext } from 'react';
import type { Api } from './api/client';
import type { AuthService, Session } from './auth/types';
import type { AppConfig } from './config';

export interface AppValue {
  config: AppConfig;
  auth: AuthService;
  api: Api;
  session: Session | null;
  setSession: (s: Session | null) => void;
  signOut: () => Promise<void>;
  /** A message for the next screen (e.g. "Your session expired"). */
  notice: string;
  setNotice: (s: string) => void;
}

export const AppContext = createContext<AppValue | null>(null);

export function useApp(): AppValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp outside AppContext');
  return v;
}
