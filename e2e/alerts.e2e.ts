import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { checkA11y, launch, newPage, shot, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

/** Serious or critical axe violations inside the alerts' own parts of a page (the header's bell, the home panel, the popover). */
async function checkAlertsA11y(page: Page, label: string) {
  const result = await new AxeBuilder({ page })
    .include('[data-testid="alerts-bell-count"]')
    .include('[data-testid="home-alerts"]')
    .include('[data-testid="alerts-popover"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${label}: ${v.id} ${v.nodes.map((n) => n.html.slice(0, 120)).join(', ')}`)).toEqual([]);
}

const bellCount = async (page: Page) => Number(await page.getByTestId('alerts-bell-count').getAttribute('data-count'));

describe('NEWS2 alerts', () => {
  it('a nurse’s set raises an alert that a doctor’s open page shows live; the doctor acknowledges it', async () => {
    // the doctor's home is open, with the demo's open alerts in the header and on the home page
    const doctor = await newPage(browser);
    const errors: string[] = [];
    doctor.on('pageerror', (e) => errors.push(e.message));
    await signIn(doctor, 'doctor@sanita.test');
    const panel = doctor.getByTestId('home-alerts');
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId('alert-item').count()).toBeGreaterThanOrEqual(2);
    const before = await bellCount(doctor);
    expect(before).toBeGreaterThanOrEqual(2);
    // the home page holds other features' panels too: the alerts' parts are checked here, the chart pages whole
    await checkAlertsA11y(doctor, 'doctor home with open alerts');
    await shot(doctor, 'alerts-doctor-home');

    // the nurse records a set on Marie Mbuyi's chart that scores a NEWS2 alert
    const nurse = await newPage(browser);
    await signIn(nurse, 'nurse@sanita.test');
    await nurse.goto('/patients');
    await nurse.getByRole('searchbox').first().fill('Mbuyi Marie');
    await nurse.keyboard.press('Enter');
    const row = nurse.getByRole('row', { name: /Marie.*Mbuyi/ }).first();
    await row.waitFor();
    await row.getByRole('link').first().click();
    await nurse.getByRole('link', { name: 'Open chart' }).click();
    await nurse.getByRole('tab', { name: 'Vitals' }).click();
    const form = nurse.getByTestId('vitals-form');
    await form.getByLabel('Respiration (/min)').fill('26');
    await form.getByLabel('SpO₂ (%)').fill('92');
    await form.getByLabel('Systolic (mmHg)').fill('98');
    await form.getByLabel('Diastolic (mmHg)').fill('60');
    await form.getByLabel('Pulse (/min)').fill('124');
    await form.getByLabel('Consciousness (ACVPU)').selectOption('A');
    await form.getByLabel('Temperature (°C)').fill('39.2');
    // RR 26 → 3, SpO2 92 → 2, air 0, systolic 98 → 2, pulse 124 → 2, alert 0, 39.2 °C → 2: 11, high
    await form.getByLabel('Temperature (°C)').press('Enter');
    const recorded = nurse.getByTestId('vitals-table').getByRole('row', { name: /98\/60/ });
    await recorded.waitFor().catch(async (err: unknown) => {
      await shot(nurse, 'alerts-debug-nurse');
      throw err;
    });

    // the nurse's chart shows the alert in the banner and the trends
    const banner = nurse.getByTestId('banner-alert');
    await expect.poll(() => banner.first().innerText()).toMatch(/NEWS2 alert: 11 \(high\)/);
    await nurse.getByTestId('trend-news2').waitFor();
    for (const key of ['bp', 'heartRate', 'respiratoryRate', 'temperature', 'spo2', 'news2'])
      await nurse.getByTestId(`trend-${key}`).waitFor();
    await checkA11y(nurse, 'chart vitals with trends and an alert');
    await shot(nurse, 'alerts-nurse-chart-vitals');

    // the doctor's page, untouched, shows it: the bell's count, a notification, the home panel
    await expect.poll(() => bellCount(doctor), { timeout: 15_000 }).toBe(before + 1);
    const note = doctor.getByRole('alert').filter({ hasText: 'New NEWS2 alert' });
    await expect.poll(() => note.first().innerText()).toMatch(/NEWS2 11, high risk/);
    await expect.poll(() => panel.innerText()).toMatch(/Marie Mbuyi[\s\S]*NEWS2 11, high risk/);
    await shot(doctor, 'alerts-doctor-notified');

    // the bell lists it; the doctor acknowledges it there
    await doctor.getByTestId('alerts-bell').click();
    const popover = doctor.getByTestId('alerts-popover');
    const item = popover.getByTestId('alert-item').filter({ hasText: 'Marie Mbuyi' }).filter({ hasText: 'NEWS2 11' });
    await item.waitFor();
    expect(await item.innerText()).toMatch(/KIN-[\s\S]*raised/);
    await checkAlertsA11y(doctor, 'alerts popover');
    await shot(doctor, 'alerts-doctor-popover');
    await item.getByTestId('alert-acknowledge').click();
    await expect.poll(() => bellCount(doctor)).toBe(before);
    await expect.poll(() => doctor.getByText('Alert acknowledged.').count()).toBeGreaterThan(0);

    // the nurse's chart no longer shows it in the banner (live)
    await expect.poll(() => nurse.getByTestId('banner-alert').filter({ hasText: '11' }).count()).toBe(0);

    // Open chart from the list goes to the patient's vitals
    await doctor.keyboard.press('Escape');
    // closed before it is opened again (a click during the closing transition would toggle it shut)
    await doctor.getByTestId('alerts-popover').waitFor({ state: 'hidden' });
    await doctor.getByTestId('alerts-bell').click();
    const first = doctor.getByTestId('alerts-popover').getByTestId('alert-item').first();
    await first.getByRole('link', { name: 'Open chart' }).click();
    await expect.poll(() => doctor.url()).toMatch(/\/patients\/[0-9a-f-]+\/chart\/vitals$/);
    await doctor.getByTestId('banner-alert').first().waitFor();
    await checkA11y(doctor, 'chart with an open alert');
    await shot(doctor, 'alerts-doctor-chart');
    expect(errors).toEqual([]);
  });

  it('an administrator sets how long an open alert waits before it escalates', async () => {
    const admin = await newPage(browser);
    await signIn(admin, 'super_admin@sanita.test');
    await admin.getByRole('link', { name: 'Clinical alerts' }).click();
    await expect.poll(() => admin.url()).toMatch(/\/admin\/clinical-alerts$/);
    const minutes = admin.getByLabel('Escalate after');
    await expect.poll(() => minutes.inputValue()).toMatch(/^\d+ min$/);
    const original = await minutes.inputValue();
    await checkA11y(admin, 'clinical alert settings');

    // left empty: named on the field, nothing saved (the field itself keeps a typed number within 1–1,440)
    await minutes.fill('');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Give a whole number of minutes between 1 and 1,440.').waitFor();

    await minutes.fill('20');
    await admin.getByText('reaches level 3 after 60 min').waitFor();
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Saved: open alerts escalate every 20 min.').waitFor();
    await shot(admin, 'alerts-settings');

    // kept: a fresh page shows the saved value
    await admin.reload();
    await expect.poll(() => admin.getByLabel('Escalate after').inputValue()).toBe('20 min');
    // put back what the demo had, for the tests that follow
    await admin.getByLabel('Escalate after').fill(original.replace(/\D/g, ''));
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText(/Saved: open alerts escalate every/).waitFor();
  });
});
