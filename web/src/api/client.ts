// The API client: bearer token from the auth service, JSON in and out, one error type.
import type {
  LedgerOutcome,
  LoanDto,
  LoanInput,
  LoanPage,
  MeDto,
  RepaymentDto,
  RepaymentGroup,
  RepaymentInput,
  RepaymentOutcome,
  Summary,
} from './types';
import type { Position } from 'loansyncro';

/** An API error: HTTP status, the API's code, its message, the input field it names. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly payoff: string | null = null,
  ) {
    super(message);
  }
}

/** Reads the API's `{"error": {code, message, field}}` body (or anything else) into an ApiError. */
export function parseApiError(status: number, body: unknown): ApiError {
  const e = (typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : null) as
    | { code?: unknown; message?: unknown; field?: unknown; payoff?: unknown }
    | null
    | undefined;
  if (!e || typeof e !== 'object') return new ApiError(status, status === 401 ? 'unauthorized' : 'http', `The server answered ${status}.`);
  return new ApiError(
    status,
    typeof e.code === 'string' ? e.code : 'http',
    typeof e.message === 'string' ? e.message : `The server answered ${status}.`,
    typeof e.field === 'string' ? e.field : null,
    typeof e.payoff === 'string' ? e.payoff : null,
  );
}

export interface ApiOptions {
  baseUrl: string;
  token: () => Promise<string | null>;
  onUnauthorized: () => void;
  fetchFn?: typeof fetch;
}

export class Api {
  constructor(private readonly o: ApiOptions) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await this.o.token();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const f = this.o.fetchFn ?? fetch;
    let res: Response;
    try {
      res = await f(`${this.o.baseUrl}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and retry.');
    }
    if (res.status === 204) return undefined as T;
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (!res.ok) {
      if (res.status === 401) this.o.onUnauthorized();
      throw parseApiError(res.status, data);
    }
    return data as T;
  }

  me() {
    return this.call<MeDto>('GET', '/me');
  }
  /** Every loan of the user (follows the cursor), optionally filtered by title. */
  async loans(search = ''): Promise<LoanDto[]> {
    const all: LoanDto[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const q = new URLSearchParams({ limit: '100' });
      if (search.trim()) q.set('search', search.trim());
      if (cursor) q.set('cursor', cursor);
      const page: LoanPage = await this.call<LoanPage>('GET', `/loans?${q}`);
      all.push(...page.items);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return all;
  }
  loan(id: string) {
    return this.call<LoanDto>('GET', `/loans/${encodeURIComponent(id)}`);
  }
  createLoan(input: LoanInput) {
    return this.call<LoanDto>('POST', '/loans', input);
  }
  updateLoan(id: string, input: LoanInput) {
    return this.call<LoanDto>('PUT', `/loans/${encodeURIComponent(id)}`, input);
  }
  deleteLoan(id: string) {
    return this.call<void>('DELETE', `/loans/${encodeURIComponent(id)}`);
  }
  /** Marks a loan defaulted, or active again (cured). */
  setStatus(id: string, status: 'active' | 'defaulted') {
    return this.call<{ loan: LoanDto }>('POST', `/loans/${encodeURIComponent(id)}/status`, { status });
  }
  position(id: string) {
    return this.call<Position>('GET', `/loans/${encodeURIComponent(id)}/position`);
  }
  loanRepayments(id: string) {
    return this.call<{ items: RepaymentDto[] }>('GET', `/repayments/loan/${encodeURIComponent(id)}`).then((r) => r.items);
  }
  groups(search = '') {
    const q = search.trim() ? `?${new URLSearchParams({ search: search.trim() })}` : '';
    return this.call<{ items: RepaymentGroup[] }>('GET', `/repayments${q}`).then((r) => r.items);
  }
  summary() {
    return this.call<Summary>('GET', '/repayments/summary');
  }
  addRepayment(input: RepaymentInput) {
    return this.call<RepaymentOutcome>('POST', '/repayments', input);
  }
  updateRepayment(id: string, input: Omit<RepaymentInput, 'loan_id'>) {
    return this.call<RepaymentOutcome>('PUT', `/repayments/${encodeURIComponent(id)}`, input);
  }
  deleteRepayment(id: string) {
    return this.call<LedgerOutcome>('DELETE', `/repayments/${encodeURIComponent(id)}`);
  }
}
