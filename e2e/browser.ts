import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, inject } from 'vitest';

export const baseUrl = () => inject('baseUrl');
export const demoPassword = () => inject('demoPassword');

/** Debian's Chromium, headless, without the background traffic that the closed network refuses. */
/** A call to the API as `token`'s user (null: none), its JSON answer; anything but 2xx throws with the answer's text. */
export async function api<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(new URL(path, baseUrl()), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A demo user's access token. */
export const tokenOf = async (email: string) =>
  (await api<{ accessToken: string }>('POST', '/api/auth/login', null, { email, password: demoPassword() })).accessToken;

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newPage(browser: Browser, locale = 'en-GB'): Promise<Page> {
  // reduced motion: the app then opens modals, menus and popovers without a transition, so that neither
  // axe nor a click meets an element halfway through one (the app honours the setting for its users too)
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale,
    viewport: { width: 1366, height: 850 },
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** Fails on serious or critical accessibility violations (axe-core, WCAG 2.1 A and AA rules). */
export async function checkA11y(page: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)} ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`)
          .slice(0, 3)
          .join(', ')}`,
    ),
  ).toEqual([]);
}

export async function shot(page: Page, name: string): Promise<void> {
  const dir = path.resolve('e2e/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Waits for a mail to `to` delivered through the real SMTP server and returns its decoded text. */
export async function waitForMail(to: string, contains: string, timeoutMs = 15_000): Promise<string> {
  const dir = inject('mailDir');
  const start = Date.now();
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
    for (const f of files) {
      const m = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { to: string[]; text: string };
      if (m.to.includes(to) && m.text.includes(contains)) return m.text;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`no mail to ${to} containing ${contains}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Fills and sends the sign-in form (the 2FA step, if any, is the caller's). */
export async function submitSignIn(page: Page, email: string, password = demoPassword()): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs a demo user in and waits until the app has left the sign-in page. */
export async function signIn(page: Page, email: string, password = demoPassword()): Promise<void> {
  await submitSignIn(page, email, password);
  await expect.poll(() => page.url()).not.toContain('/login');
}

/** Finds the demo's Marie Mbuyi by name, opens her record, then her chart (on its summary). */
export async function openMarieMbuyisChart(page: Page): Promise<void> {
  await page.goto('/patients');
  await page.getByRole('searchbox').first().fill('Mbuyi Marie');
  await page.keyboard.press('Enter');
  const row = page.getByRole('row', { name: /Marie.*Mbuyi/ }).first();
  await row.waitFor();
  await row.getByRole('link').first().click();
  await page.getByRole('link', { name: 'Open chart' }).click();
  await expect.poll(() => page.url()).toMatch(/\/patients\/[0-9a-f-]+\/chart$/);
}
