import type { HttpClient } from './http.ts';

/** The demo users the virtual users sign in as, all at Kinshasa. */
const ACCOUNTS = [
  'receptionist@sanita.test',
  'nurse@sanita.test',
  'doctor@sanita.test',
  'pharmacist@sanita.test',
  'cashier@sanita.test',
] as const;
export type Account = (typeof ACCOUNTS)[number];
/** those who search, read and register patients and listen to the queue: a scenario without `as` runs as one of them */
const FRONT: readonly Account[] = ['receptionist@sanita.test', 'nurse@sanita.test', 'doctor@sanita.test'];
/** those who read the chart (`chart:read`, `notes:read`…) */
export const CLINICIANS: readonly Account[] = ['nurse@sanita.test', 'doctor@sanita.test'];
/** those who write and sign notes (`notes:write`) and prescriptions (`prescriptions:write`) */
export const DOCTORS: readonly Account[] = ['doctor@sanita.test'];
/** those who dispense (`pharmacy:dispense`) */
export const PHARMACISTS: readonly Account[] = ['pharmacist@sanita.test'];
/** those who open invoices, take payments and submit claims (`billing:read`, `payments:collect`, `claims:write`) */
export const CASHIERS: readonly Account[] = ['cashier@sanita.test'];
/** Access tokens live 15 min by default: sign in again well before. */
const RENEW_AFTER_MS = 10 * 60_000;

/**
 * A pool of signed-in sessions shared round-robin by the virtual users. Signing in costs an
 * argon2 verification, so a few dozen sessions stand for the 700 users.
 */
export class Sessions {
  private tokens: string[] = [];
  /** the account of each token */
  private accounts: Account[] = [];
  private next = 0;
  private signedInAt = 0;
  private renewing: Promise<void> | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly password: string,
    private readonly count: number,
  ) {}

  async signIn(): Promise<void> {
    if (this.count < ACCOUNTS.length) throw new Error(`--sessions must be at least ${ACCOUNTS.length}: one per account`);
    const tokens: string[] = new Array<string>(this.count);
    let i = 0;
    const worker = async () => {
      for (let k = i++; k < this.count; k = i++) {
        const email = ACCOUNTS[k % ACCOUNTS.length]!;
        const res = await this.http.send(
          { method: 'POST', path: '/api/auth/login', body: { email, password: this.password } },
          undefined,
          true,
        );
        if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${res.body.slice(0, 300)}`);
        tokens[k] = (JSON.parse(res.body) as { accessToken: string }).accessToken;
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    this.tokens = tokens;
    this.accounts = tokens.map((_, k) => ACCOUNTS[k % ACCOUNTS.length]!);
    this.signedInAt = Date.now();
  }

  /**
   * The next token, round-robin, of one of `accounts` (a scenario that needs a clinician; by default the
   * front-desk and clinical accounts); starts a renewal in the background when the tokens get old.
   */
  token(accounts: readonly Account[] = FRONT): string {
    if (Date.now() - this.signedInAt > RENEW_AFTER_MS && !this.renewing) {
      this.renewing = this.signIn()
        .catch((err: unknown) => console.error(`[bench] renewing sessions failed: ${(err as Error).message}`))
        .finally(() => {
          this.renewing = null;
        });
    }
    do this.next = (this.next + 1) % this.tokens.length;
    while (!accounts.includes(this.accounts[this.next]!));
    return this.tokens[this.next]!;
  }

  /** Every token of the front-desk and clinical accounts, e.g. for the staff sockets' worker thread (valid as long as `freshFor` promised). */
  all(): string[] {
    return this.tokens.filter((_, k) => FRONT.includes(this.accounts[k]!));
  }

  /** Signs in again now if the tokens would get old during the next `ms`. */
  async freshFor(ms: number): Promise<void> {
    if (this.renewing) await this.renewing;
    if (Date.now() - this.signedInAt + ms > RENEW_AFTER_MS) await this.signIn();
  }
}
