import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { makeAuth } from './auth';
import { loadConfig } from './config';
import './styles.css';
import { loadWasm } from './wasm';

const root = createRoot(document.getElementById('root') as HTMLElement);

async function start() {
  const config = await loadConfig();
  const auth = makeAuth(config);
  const session = await auth.currentSession();
  root.render(
    <StrictMode>
      <App config={config} auth={auth} initial={session} />
    </StrictMode>,
  );
  // Warm the calculator once the first screen is up.
  setTimeout(() => void loadWasm(), 0);
}

start().catch((e: unknown) => {
  root.render(
    <main id="main" className="page">
      <h1>LoanSyncro cannot start</h1>
      <p className="error" role="alert">{e instanceof Error ? e.message : String(e)}</p>
    </main>,
  );
});
