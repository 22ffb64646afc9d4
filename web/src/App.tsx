import { Component, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Api } from './api/client';
import type { AuthService, Session } from './auth/types';
import type { AppConfig } from './config';
import { AppContext, useApp, type AppValue } from './context';
import { DashboardPage } from './pages/Dashboard';
import { ForgotPage, LoginPage, RegisterPage, VerifyPage } from './pages/auth';
import { LoanDetailPage } from './pages/LoanDetail';
import { LoanFormPage } from './pages/LoanForm';
import { LoansPage } from './pages/Loans';
import { RepaymentsPage } from './pages/Repayments';
import { Link, match, RouterProvider, useRouter } from './router';

const PUBLIC = ['/login', '/register', '/verify', '/forgot'];

export function App({ config, auth, initial }: { config: AppConfig; auth: AuthService; initial: Session | null }) {
  return (
    <RouterProvider>
      <Shell config={config} auth={auth} initial={initial} />
    </RouterProvider>
  );
}

function Shell({ config, auth, initial }: { config: AppConfig; auth: AuthService; initial: Session | null }) {
  const { navigate, path } = useRouter();
  const [session, setSession] = useState<Session | null>(initial);
  const [notice, setNotice] = useState('');
  const api = useMemo(
    () =>
      new Api({
        baseUrl: config.apiBaseUrl,
        token: async () => (await auth.currentSession())?.idToken ?? null,
        onUnauthorized: () => {
          void auth.signOut();
          setSession(null);
          setNotice('Your session has ended. Log in again.');
        },
      }),
    [config, auth],
  );
  const value: AppValue = useMemo(
    () => ({
      config,
      auth,
      api,
      session,
      setSession,
      notice,
      setNotice,
      signOut: async () => {
        await auth.signOut();
        setSession(null);
        setNotice('You are logged out.');
        navigate('/login');
      },
    }),
    [config, auth, api, session, notice, navigate],
  );

  useEffect(() => {
    // The first screen is on the page (read by the browser test's first-paint budget).
    performance.mark('loansyncro:first-screen');
  }, []);
  const isPublic = PUBLIC.includes(path);
  useEffect(() => {
    if (!session && !isPublic) navigate(`/login${path !== '/' ? `?next=${encodeURIComponent(path)}` : ''}`, { replace: true });
    if (session && isPublic) navigate('/', { replace: true });
  }, [session, isPublic, path, navigate]);
  useEffect(() => {
    const titles: Record<string, string> = { '/login': 'Log in', '/register': 'Register', '/verify': 'Verify e-mail', '/forgot': 'Reset password', '/': 'Dashboard', '/loans': 'My loans', '/repayments': 'Repayments', '/loans/new': 'Add a loan' };
    document.title = `${titles[path] ?? 'Loan'} · LoanSyncro`;
  }, [path]);

  return (
    <AppContext.Provider value={value}>
      <a href="#main" className="skip">
        Skip to content
      </a>
      {session ? <Header /> : null}
      <ErrorBoundary key={path}>{session || isPublic ? <Routes /> : null}</ErrorBoundary>
    </AppContext.Provider>
  );
}

function Header() {
  const { session, signOut } = useApp();
  const { path } = useRouter();
  const nav = [
    ['/', 'Dashboard'],
    ['/loans', 'My loans'],
    ['/repayments', 'Repayments'],
  ] as const;
  return (
    <header className="top">
      <Link to="/" className="logo">
        LoanSyncro
      </Link>
      <nav aria-label="Main">
        <ul>
          {nav.map(([to, label]) => (
            <li key={to}>
              <Link to={to} aria-current={(to === '/' ? path === '/' : path.startsWith(to)) ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="user">
        <span className="user-name" title={session?.email}>
          {session?.name || session?.email}
        </span>
        <button type="button" className="secondary small" onClick={() => void signOut()}>
          Log out
        </button>
      </div>
    </header>
  );
}

function Routes() {
  const { path } = useRouter();
  if (path === '/login') return <LoginPage />;
  if (path === '/register') return <RegisterPage />;
  if (path === '/verify') return <VerifyPage />;
  if (path === '/forgot') return <ForgotPage />;
  if (path === '/') return <DashboardPage />;
  if (path === '/loans') return <LoansPage />;
  if (path === '/loans/new') return <LoanFormPage />;
  if (path === '/repayments') return <RepaymentsPage />;
  const edit = match('/loans/:id/edit', path);
  if (edit?.id) return <LoanFormPage id={edit.id} />;
  const detail = match('/loans/:id', path);
  if (detail?.id) return <LoanDetailPage key={detail.id} id={detail.id} />;
  return (
    <main id="main" className="page">
      <h1>Page not found</h1>
      <Link to="/">Go to the dashboard</Link>
    </main>
  );
}

class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <main id="main" className="page">
          <h1>Something went wrong</h1>
          <p className="error" role="alert">
            {this.state.error instanceof Error ? this.state.error.message : 'Unexpected error.'}
          </p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </main>
      );
    }
    return this.props.children;
  }
}
