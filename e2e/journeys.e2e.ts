import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticator } from 'otplib';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { checkA11y, demoPassword, launch, newPage, shot, waitForMail, submitSignIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

/** A code from a time step that has not been used yet (each step is accepted once). */
async function freshCode(secret: string, usedAt: number): Promise<string> {
  const step = (t: number) => Math.floor(t / 30_000);
  while (step(Date.now()) <= step(usedAt)) await new Promise((r) => setTimeout(r, 500));
  return authenticator.generate(secret);
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: inject('databaseUrl') });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

describe('administrator', () => {
  it('turns on 2FA, signs in with a code, and invites a doctor who activates the account from the email', async () => {
    const page = await newPage(browser);
    await page.goto('/login');
    await checkA11y(page, 'login');
    await submitSignIn(page, 'admin@sanita.test');
    await expect.poll(() => page.url()).not.toContain('/login');

    await page.goto('/account');
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await page.getByRole('button', { name: 'Start set-up' }).click();
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    await checkA11y(page, 'account 2FA set-up');
    const enrolledAt = Date.now();
    await page.getByLabel('Authentication code').fill(authenticator.generate(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => page.getByText('Save your recovery codes').isVisible()).toBe(true);
    await shot(page, 'admin-recovery-codes');
    await page.getByLabel('I saved these codes in a safe place').check();
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Turn off' }).isVisible()).toBe(true);

    // sign out, then in again: now the code is asked for
    await page.getByRole('button', { name: /Alain Mputu/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect.poll(() => page.url()).toContain('/login');
    await submitSignIn(page, 'admin@sanita.test');
    await page.getByLabel('Authentication code').fill(await freshCode(secret, enrolledAt));
    await page.getByRole('button', { name: 'Verify' }).click();
    const verifiedAt = Date.now();
    await expect.poll(() => page.url()).not.toContain('/login');

    await page.goto('/admin/users');
    await page.getByRole('button', { name: 'Invite user' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').fill('dr.nkulu@sanita.test');
    await dialog.getByLabel('Display name').fill('Dr Jeanne Nkulu');
    await dialog.getByLabel('Clinic 1').selectOption({ label: 'Clinique Sanita Kinshasa' });
    await dialog.getByLabel('Role 1').selectOption({ label: 'Doctor' });
    await checkA11y(page, 'invite dialog');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await expect.poll(() => page.getByText('Invitation sent to dr.nkulu@sanita.test').isVisible()).toBe(true);
    await shot(page, 'admin-users-invited');

    const mail = await waitForMail('dr.nkulu@sanita.test', '/accept-invitation');
    const link = /https?:\/\/\S+\/accept-invitation\?token=[A-Za-z0-9_-]+/.exec(mail)![0];
    const doctor = await newPage(browser);
    await doctor.goto(link);
    await doctor.getByLabel('New password', { exact: true }).fill('Stethoscope-Kin-2026');
    await doctor.getByLabel('Confirm password').fill('Stethoscope-Kin-2026');
    await doctor.getByRole('button', { name: 'Activate account' }).click();
    await expect.poll(() => doctor.getByText('Your account is active').isVisible()).toBe(true);
    await submitSignIn(doctor, 'dr.nkulu@sanita.test', 'Stethoscope-Kin-2026');
    await expect.poll(() => doctor.url()).not.toContain('/login');
    await expect.poll(() => doctor.getByText('Dr Jeanne Nkulu').first().isVisible()).toBe(true);

    // two-factor off again, with the password and a new code: the other journeys sign the demo
    // administrator in with the password alone
    await page.goto('/account');
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByLabel('Password', { exact: true }).fill(demoPassword());
    await page.getByLabel('Authentication code').fill(await freshCode(secret, verifiedAt));
    await page.getByRole('button', { name: 'Turn off' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Set up two-factor authentication' }).isVisible()).toBe(true);
  });
});

describe('doctor', () => {
  it('searches for a patient by a misspelt name and opens the record', async () => {
    const page = await newPage(browser);
    await submitSignIn(page, 'doctor@sanita.test');
    await expect.poll(() => page.url()).not.toContain('/login');
    // the global search: a name typed and Enter pressed at once lists the matches; it never opens
    // the registration form (which breeds duplicates)
    await page.getByRole('button', { name: /Jump to a patient/ }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    const box = page.getByRole('dialog').getByRole('textbox');
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Mbuyi', { delay: 10 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('/patients?q=Mbuyi');
    await page.goto('/patients');
    await page.getByRole('searchbox').first().fill('Mbuyy Marie');
    await page.keyboard.press('Enter');
    const row = page.getByRole('row', { name: /Marie.*Mbuyi/ }).first();
    await row.waitFor();
    await checkA11y(page, 'patient search');
    await shot(page, 'doctor-search');
    await row.getByRole('link').first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain('Mbuyi');
    await expect
      .poll(() =>
        page
          .getByText(/KIN-\d{7}-[0-9A-Z]/)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await checkA11y(page, 'patient record');
    await shot(page, 'doctor-patient');
    const [own] = await query<{ id: string }>(`SELECT patient_id AS id FROM users WHERE email = 'patient@sanita.test'`);
    const read = await query(
      `SELECT 1 FROM audit_log a JOIN users u ON u.id = a.actor_user_id WHERE u.email = 'doctor@sanita.test' AND a.action = 'patient.read' AND a.patient_id = $1`,
      [own!.id],
    );
    expect(read.length).toBeGreaterThan(0);
  });
});

describe('patient', () => {
  it('sees their own record and who accessed it, and nobody else’s', async () => {
    const page = await newPage(browser);
    await submitSignIn(page, 'patient@sanita.test');
    await expect.poll(() => page.url()).toContain('/portal');
    await expect.poll(() => page.getByText('Marie Mbuyi').first().isVisible()).toBe(true);
    await expect(page.getByRole('link', { name: 'Patients' }).count()).resolves.toBe(0);
    await checkA11y(page, 'portal');
    await shot(page, 'patient-portal');

    await page.goto('/portal/access');
    await expect.poll(() => page.getByText('Dr Amani Mukendi').first().isVisible()).toBe(true);
    await checkA11y(page, 'portal access log');
    await shot(page, 'patient-access-log');

    const [other] = await query<{ id: string; family_name: string; given_name: string }>(
      `SELECT id, family_name, given_name FROM patients WHERE id <> (SELECT patient_id FROM users WHERE email = 'patient@sanita.test') AND family_name <> 'Mbuyi' LIMIT 1`,
    );
    await page.goto(`/patients/${other!.id}`);
    await page.waitForLoadState('networkidle');
    expect(await page.getByText(`${other!.given_name} ${other!.family_name}`).count()).toBe(0);
    const status = await page.evaluate(async (id) => {
      const r = await fetch(`/api/patients/${id}`);
      return r.status;
    }, other!.id);
    expect(status).toBe(401);
  });
});
