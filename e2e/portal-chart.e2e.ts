import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, checkA11y, demoPassword, launch, newPage, shot, signIn } from './browser.ts';

let browser: Browser;

/** The note a doctor signs for Marie Mbuyi in this run: the summary is hers, the SOAP sections are not. */
const NOTE = {
  subjective: 'Cough for ten days, worse at night. SOAP-ONLY worry about tuberculosis.',
  objective: 'Scattered wheeze, no crackles. SpO2 97 %.',
  assessment: 'Acute bronchitis. SOAP-ONLY reasoning for colleagues.',
  plan: 'Salbutamol inhaler. Chest X-ray if not better in two weeks.',
};
const SUMMARY =
  'Your cough is acute bronchitis. Use the inhaler, 2 puffs when you are short of breath, and come back in 2 weeks.';

const login = async (email: string) =>
  (await api<{ accessToken: string }>('POST', '/api/auth/login', null, { email, password: demoPassword() })).accessToken;

/** At a phone's width nothing scrolls sideways. */
async function fitsPhone(page: Page, label: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${label}: sideways scroll`).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  browser = await launch();
  // the doctor sees Marie Mbuyi today and signs the consultation's note, with a summary for her
  const patient = await login('patient@sanita.test');
  const me = await api<{ id: string }>('GET', '/api/portal/me', patient);
  const doctor = await login('doctor@sanita.test');
  const encounter = await api<{ id: string }>('POST', '/api/encounters', doctor, { patientId: me.id, reason: 'Cough' });
  const draft = await api<{ version: number }>('PUT', `/api/encounters/${encounter.id}/note`, doctor, {
    version: 0,
    template: 'general',
    sections: NOTE,
    patientSummary: SUMMARY,
    diagnoses: [{ code: 'J20.9', rank: 'primary' }],
  });
  await api('POST', `/api/encounters/${encounter.id}/note/sign`, doctor, { version: draft.version });
  // and measures her blood pressure: the latest set she sees, whatever other journeys of the run recorded before
  await api('POST', `/api/patients/${me.id}/vitals`, doctor, { systolic: 131, diastolic: 83, heartRate: 72 });
});
afterAll(async () => {
  await browser.close();
});

describe('patient', () => {
  it('reads the summary of the visit just signed, their allergies, vaccines and measures, on a phone', async () => {
    const page = await newPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, 'patient@sanita.test');
    await page.goto('/portal');

    // the portal home leads to the chart's pages
    const links = page.getByRole('navigation', { name: 'My health record' });
    await links.waitFor();
    await checkA11y(page, 'portal home');
    await fitsPhone(page, 'portal home');
    await shot(page, 'patient-portal-home');
    await links.getByRole('link', { name: 'Visit summaries' }).click();
    await expect.poll(() => page.url()).toMatch(/\/portal\/visits$/);
    const first = page.getByTestId('portal-visit').first();
    await expect.poll(() => first.innerText()).toContain(SUMMARY);
    const visit = await first.innerText();
    expect(visit).toMatch(/Acute bronchitis[\s\S]*J20\.9/);
    expect(visit).toMatch(/Kinshasa/);
    expect(await page.getByTestId('portal-visits').innerText()).not.toContain('SOAP-ONLY');
    // the summary's PDF downloads from the visit
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      first.getByRole('button', { name: /Download summary \(PDF\)/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^visit-summary-\d{4}-\d{2}-\d{2}\.pdf$/);
    const bytes = fs.readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await checkA11y(page, 'portal, my visits');
    await fitsPhone(page, 'my visits');
    await shot(page, 'patient-portal-visits');

    await page.goto('/portal/health');
    const allergies = page.getByTestId('portal-allergies');
    await expect.poll(() => allergies.innerText()).toMatch(/Penicillins[\s\S]*High criticality/);
    const vaccines = page.getByTestId('portal-immunizations');
    await expect.poll(() => vaccines.getByRole('row').count()).toBeGreaterThan(2);
    expect(await vaccines.innerText()).toMatch(/Td|hepatitis|Hep B/i);
    await expect.poll(() => page.getByTestId('portal-problems').innerText()).toMatch(/hypertension[\s\S]*I10/i);
    await checkA11y(page, 'portal, my health');
    await fitsPhone(page, 'my health');
    await shot(page, 'patient-portal-health');

    await page.goto('/portal/vitals');
    const latest = page.getByTestId('portal-latest-vitals');
    await expect.poll(() => latest.innerText()).toMatch(/Blood pressure[\s\S]*131\/83 mmHg/);
    await page.getByTestId('trend-bp').waitFor();
    expect(await page.getByTestId('trend-news2').count()).toBe(0);
    await checkA11y(page, 'portal, my measurements');
    await shot(page, 'patient-portal-vitals');
    await fitsPhone(page, 'my measurements');
    await page.close();
  });

  it('reads the same pages in French', async () => {
    const page = await newPage(browser);
    await signIn(page, 'patient@sanita.test');
    // the language picked in the app wins over the account's
    await page.evaluate(() => localStorage.setItem('sanita.language', 'fr'));
    await page.goto('/portal/visits');
    await page.getByRole('heading', { level: 1, name: 'Mes consultations' }).waitFor();
    await expect.poll(() => page.getByTestId('portal-visit').first().innerText()).toMatch(/Consultation du[\s\S]*Diagnostics/i);
    await page.goto('/portal/health');
    await page.getByRole('heading', { level: 2, name: 'Allergies et intolérances' }).waitFor();
    await expect.poll(() => page.getByTestId('portal-allergies').innerText()).toMatch(/Pénicillines/);
    await checkA11y(page, 'portal, ma santé');
    await page.goto('/portal/vitals');
    await expect.poll(() => page.getByTestId('portal-vitals-table').innerText()).toMatch(/TA \(mmHg\)[\s\S]*132\/84/);
    await shot(page, 'patient-portal-vitals-fr');
    await page.close();
  });
});
