// The account screens, the same in development and with Cognito: register, verify the e-mail,
// log in, forgotten password. They use only the AuthService interface.
import { useState, type FormEvent, type ReactNode } from 'react';
import { AuthError, isEmail, meetsPolicy, passwordRules, type AuthField } from '../auth/types';
import { TextField } from '../components/Field';
import { useApp } from '../context';
import { Link, useRouter } from '../router';

type Errors = Partial<Record<AuthField | 'form', string>>;

function toErrors(e: unknown): Errors {
  if (e instanceof AuthError) return { [e.field ?? 'form']: e.message };
  return { form: 'Something went wrong. Try again.' };
}

function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  const { notice } = useApp();
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand" aria-hidden="true">LoanSyncro</p>
        <h1>{title}</h1>
        {notice ? (
          <p className="notice" role="status" data-testid="notice">
            {notice}
          </p>
        ) : null}
        {children}
        {footer ? <div className="auth-footer">{footer}</div> : null}
      </div>
    </main>
  );
}

function FormError({ text }: { text?: string | undefined }) {
  return text ? (
    <p className="error form-error" role="alert">
      {text}
    </p>
  ) : null;
}

export function PasswordPolicy({ password, id }: { password: string; id: string }) {
  const { auth } = useApp();
  return (
    <ul className="policy" id={id} aria-label="Password requirements">
      {passwordRules(auth.policy, password).map((r) => (
        <li key={r.id} className={r.ok ? 'ok' : ''}>
          <span aria-hidden="true">{r.ok ? '✓' : '•'}</span> {r.label}
          <span className="sr-only">{r.ok ? ' (met)' : ' (not met yet)'}</span>
        </li>
      ))}
    </ul>
  );
}

function devNotice(code: string | undefined, what: string): string {
  return code ? `Development mode: no e-mail is sent. Your ${what} code is ${code}.` : '';
}

export function RegisterPage() {
  const { auth, setNotice } = useApp();
  const { navigate } = useRouter();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Errors = {};
    if (!name.trim()) errs.name = 'Enter your full name.';
    if (!isEmail(email)) errs.email = 'Enter a valid e-mail address.';
    if (!meetsPolicy(auth.policy, password)) errs.password = 'The password does not meet every requirement below.';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const d = await auth.signUp(name.trim(), email.trim(), password);
      setNotice(devNotice(d.devCode, 'verification') || `We sent a verification code to ${d.destination || email}.`);
      navigate(`/verify?email=${encodeURIComponent(email.trim())}`);
    } catch (err) {
      setErrors(toErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Create your account" footer={<>Already registered? <Link to="/login">Log in</Link></>}>
      <form onSubmit={submit} noValidate>
        <TextField label="Full name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required />
        <TextField label="E-mail" name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
          hint={<PasswordPolicy password={password} id="policy" />}
          required
        />
        <FormError text={errors.form} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthCard>
  );
}

export function VerifyPage() {
  const { auth, setNotice } = useApp();
  const { navigate, query } = useRouter();
  const [email, setEmail] = useState(query.get('email') ?? '');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Errors = {};
    if (!isEmail(email)) errs.email = 'Enter the e-mail address you registered with.';
    if (!/^\d{6}$/.test(code.trim())) errs.code = 'Enter the 6-digit code.';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await auth.confirmSignUp(email.trim(), code.trim());
      setNotice('Your e-mail address is verified. You can log in now.');
      navigate(`/login?email=${encodeURIComponent(email.trim())}`);
    } catch (err) {
      setErrors(toErrors(err));
    } finally {
      setBusy(false);
    }
  }

  async function resend() {
    if (!isEmail(email)) {
      setErrors({ email: 'Enter the e-mail address you registered with.' });
      return;
    }
    try {
      const d = await auth.resendCode(email.trim());
      setErrors({});
      setNotice(devNotice(d.devCode, 'new verification') || `We sent a new code to ${d.destination || email}.`);
    } catch (err) {
      setErrors(toErrors(err));
    }
  }

  return (
    <AuthCard title="Verify your e-mail" footer={<Link to="/login">Back to log in</Link>}>
      <form onSubmit={submit} noValidate>
        <TextField label="E-mail" name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required />
        <TextField
          label="Verification code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={errors.code}
          hint="The 6-digit code from the e-mail we sent you."
          required
        />
        <FormError text={errors.form} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Verifying…' : 'Verify'}
          </button>
          <button type="button" className="secondary" onClick={resend}>
            Send a new code
          </button>
        </div>
      </form>
    </AuthCard>
  );
}

export function LoginPage() {
  const { auth, setSession, setNotice } = useApp();
  const { navigate, query } = useRouter();
  const [email, setEmail] = useState(query.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [unconfirmed, setUnconfirmed] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Errors = {};
    if (!isEmail(email)) errs.email = 'Enter your e-mail address.';
    if (!password) errs.password = 'Enter your password.';
    setErrors(errs);
    setUnconfirmed(false);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const s = await auth.signIn(email.trim(), password);
      setNotice('');
      setSession(s);
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (err) {
      if (err instanceof AuthError && err.code === 'UserNotConfirmedException') setUnconfirmed(true);
      setErrors(toErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard
      title="Log in"
      footer={
        <>
          New here? <Link to="/register">Create an account</Link> · <Link to="/forgot">Forgot your password?</Link>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <TextField label="E-mail" name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} required />
        <FormError text={errors.form} />
        {unconfirmed ? (
          <p>
            <Link to={`/verify?email=${encodeURIComponent(email.trim())}`}>Enter your verification code</Link>
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </AuthCard>
  );
}

export function ForgotPage() {
  const { auth, setNotice } = useApp();
  const { navigate } = useRouter();
  const [step, setStep] = useState<'email' | 'reset'>('email');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!isEmail(email)) {
      setErrors({ email: 'Enter your e-mail address.' });
      return;
    }
    setBusy(true);
    try {
      const d = await auth.forgotPassword(email.trim());
      setErrors({});
      setNotice(devNotice(d.devCode, 'password reset') || `If an account uses ${email.trim()}, we sent it a code.`);
      setStep('reset');
    } catch (err) {
      setErrors(toErrors(err));
    } finally {
      setBusy(false);
    }
  }

  async function reset(e: FormEvent) {
    e.preventDefault();
    const errs: Errors = {};
    if (!/^\d{6}$/.test(code.trim())) errs.code = 'Enter the 6-digit code.';
    if (!meetsPolicy(auth.policy, password)) errs.password = 'The password does not meet every requirement below.';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await auth.confirmForgotPassword(email.trim(), code.trim(), password);
      setNotice('Your password is changed. Log in with the new one.');
      navigate(`/login?email=${encodeURIComponent(email.trim())}`);
    } catch (err) {
      setErrors(toErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Reset your password" footer={<Link to="/login">Back to log in</Link>}>
      {step === 'email' ? (
        <form onSubmit={send} noValidate>
          <TextField label="E-mail" name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required />
          <FormError text={errors.form} />
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send a reset code'}
          </button>
        </form>
      ) : (
        <form onSubmit={reset} noValidate>
          <TextField label="Reset code" name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} error={errors.code} required />
          <TextField
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
            hint={<PasswordPolicy password={password} id="policy" />}
            required
          />
          <FormError text={errors.form} />
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Set the new password'}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
