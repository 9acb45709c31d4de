import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, checkA11y, launch, newPage, shot, signIn, tokenOf } from './browser.ts';

let browser: Browser;

/** The portal's patient (Marie Mbuyi) in a consultation the doctor started through the API. */
const run = { patientId: '', encounterId: '', orderNumber: '' };

beforeAll(async () => {
  browser = await launch();
  const patient = await tokenOf('patient@sanita.test');
  const me = await api<{ patientId: string }>('GET', '/api/auth/me', patient);
  const doctor = await tokenOf('doctor@sanita.test');
  const encounter = await api<{ id: string }>('POST', '/api/encounters', doctor, {
    patientId: me.patientId,
    reason: 'Weakness on furosemide',
  });
  Object.assign(run, { patientId: me.patientId, encounterId: encounter.id });
});
afterAll(async () => {
  await browser.close();
});

/** The worklist's card of this journey's order, at a step. */
async function cardAt(page: Page, step: string) {
  await page.getByTestId(`lab-tab-${step}`).click();
  const card = page.locator(`[data-testid=lab-worklist-order][data-number="${run.orderNumber}"]`);
  await card.waitFor();
  return card;
}

describe('laboratory', () => {
  it('the doctor orders potassium, the lab collects and enters a critical value, a second person verifies, the doctor is alerted live and acknowledges, the patient reads it on the portal', async () => {
    // the doctor orders from the consultation: type, Enter, urgent, clinical notes, one action
    const doctor = await newPage(browser);
    await signIn(doctor, 'doctor@sanita.test');
    await doctor.goto(`/encounters/${run.encounterId}`);
    const panel = doctor.getByTestId('lab-order-panel');
    // the empty note takes the focus as the page opens: the doctor turns to the lab panel after that
    await doctor.getByTestId('section-subjective').waitFor();
    await expect.poll(() => doctor.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');
    await panel.scrollIntoViewIfNeeded();
    const picker = doctor.getByTestId('lab-test-picker');
    await picker.click();
    await picker.fill('potassium');
    await doctor.getByTestId('lab-test-option').filter({ hasText: 'Potassium (K)' }).waitFor();
    await picker.press('Enter');
    await expect.poll(() => panel.getByTestId('lab-chosen').innerText()).toContain('Potassium (K)');
    await panel.getByTestId('lab-priority-control').getByText('Urgent').click();
    await panel.getByTestId('lab-clinical-notes').fill('Weakness, on furosemide 80 mg');
    await panel.getByTestId('lab-order-submit').click();
    const line = panel.getByTestId('lab-order-line').filter({ hasText: 'Potassium (K)' }).first();
    await line.waitFor();
    run.orderNumber = (await line.getAttribute('data-order'))!;
    expect(run.orderNumber).toMatch(/^LAB-/);
    await expect.poll(() => line.getByTestId('lab-order-status').innerText()).toBe('Ordered');
    await checkA11y(doctor, 'consultation with a lab order');

    // the lab technician collects (the labels open), receives and enters a critical potassium
    const tech = await newPage(browser);
    await signIn(tech, 'lab_technician@sanita.test');
    await tech.goto('/lab');
    let card = await cardAt(tech, 'collect');
    expect(await card.getAttribute('data-priority')).toBe('urgent');
    await expect.poll(() => card.innerText()).toContain('Weakness, on furosemide 80 mg');
    await checkA11y(tech, 'lab worklist');
    const labels = tech.context().waitForEvent('page');
    await card.getByTestId('lab-collect').click();
    const labelsTab = await labels;
    await labelsTab.waitForURL(/^blob:/);
    await labelsTab.close();
    // the consultation's order follows live
    await expect.poll(() => line.getByTestId('lab-order-status').innerText()).toBe('Collected');

    card = await cardAt(tech, 'receive');
    await card.getByTestId('lab-receive').click();
    card = await cardAt(tech, 'enter');
    await card.getByTestId('lab-enter').click();
    const row = card.locator('[data-testid=lab-entry-row][data-code=K]');
    const value = row.getByTestId('lab-value');
    await expect.poll(() => value.evaluate((el) => el === document.activeElement)).toBe(true);
    await value.fill('5.3');
    await expect.poll(() => row.getByTestId('lab-flag').getAttribute('data-flag')).toBe('H');
    await value.fill('6,9');
    await expect.poll(() => row.getByTestId('lab-flag').getAttribute('data-flag')).toBe('HH');
    await expect.poll(() => card.getByTestId('lab-entry-critical').innerText()).toContain('1 critical value');
    await checkA11y(tech, 'result entry');
    await shot(tech, 'lab-entry-critical');
    await value.press('Enter');
    const confirm = tech.getByRole('dialog', { name: 'Confirm critical values' });
    await expect.poll(() => confirm.innerText()).toContain('Potassium');
    await confirm.getByTestId('lab-critical-confirm').click();
    await confirm.waitFor({ state: 'hidden' });

    // the one who entered it may not verify it
    card = await cardAt(tech, 'verify');
    await expect.poll(() => card.getByTestId('lab-verify').isDisabled()).toBe(true);
    await expect.poll(() => card.innerText()).toContain('another technician verifies them');

    // the doctor is on their home page when a second person verifies and releases it
    await doctor.goto('/');
    await doctor.getByTestId('home-lab-alerts').waitFor();
    const verifier = await newPage(browser);
    await signIn(verifier, 'super_admin@sanita.test');
    await verifier.goto('/lab?step=verify');
    card = verifier.locator(`[data-testid=lab-worklist-order][data-number="${run.orderNumber}"]`);
    await card.getByTestId('lab-verify').click();
    await card.waitFor({ state: 'detached' });

    // the alert reaches the doctor live: a notification that stays, the home panel as an alert, the header's count
    const toast = doctor.getByTestId('lab-critical-toast').filter({ hasText: 'Marie Mbuyi' }).first();
    await expect.poll(() => toast.innerText()).toContain('Potassium 6.9 mmol/L');
    await expect.poll(() => toast.innerText()).toContain('Critically high');
    const alert = doctor
      .getByTestId('home-lab-alerts')
      .getByRole('alert')
      .getByTestId('lab-critical-alert')
      .filter({ hasText: run.orderNumber });
    await expect.poll(() => alert.innerText()).toContain('Reference range 3.5–5.0');
    expect(Number(await doctor.getByTestId('lab-alerts-count').getAttribute('data-count'))).toBeGreaterThan(0);
    await checkA11y(doctor, 'doctor home with a critical value');
    await shot(doctor, 'lab-critical-alert');
    await alert.getByTestId('lab-alert-ack').click();
    await doctor.getByTestId('lab-alert-note').fill('Patient called back: ECG and repeat potassium now');
    await doctor.getByTestId('lab-alert-ack-confirm').click();
    await alert.waitFor({ state: 'detached' });
    await expect.poll(() => toast.count()).toBe(0);

    // the chart's results tab: the value flagged in colour and letters, its trend
    await doctor.goto(`/patients/${run.patientId}/chart/results`);
    const k = doctor.locator('[data-testid=lab-results-row][data-code=K]');
    await expect.poll(() => k.innerText()).toContain('6.9');
    await expect.poll(() => k.getByTestId('lab-flag').first().getAttribute('data-flag')).toBe('HH');
    await k.getByTestId('lab-trend-open').click();
    await doctor.getByTestId('lab-trend').waitFor();
    await checkA11y(doctor, 'chart results');

    // the patient reads it on the portal, with the usual range and what the flag means
    const patient = await newPage(browser);
    await signIn(patient, 'patient@sanita.test');
    await patient.goto('/portal/results');
    const result = patient.getByTestId('portal-lab-result').filter({ hasText: 'Potassium' }).first();
    await expect.poll(() => result.innerText()).toContain('6.9 mmol/L');
    await expect.poll(() => result.innerText()).toContain('3.5–5.0');
    await expect.poll(() => result.getByTestId('portal-lab-meaning').innerText()).toContain('Much higher than the usual range');
    await checkA11y(patient, 'portal results');
    await shot(patient, 'lab-portal-results');
    for (const p of [doctor, tech, verifier, patient]) await p.context().close();
  });
});
