import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { checkA11y, launch, newPage, openMarieMbuyisChart, shot, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('nurse', () => {
  it('records vitals on a patient’s chart and sees NEWS2 as typed and the set in the list', async () => {
    const page = await newPage(browser);
    await signIn(page, 'nurse@sanita.test');

    await openMarieMbuyisChart(page);
    const banner = page.getByTestId('patient-banner');
    await expect.poll(() => banner.innerText()).toMatch(/Mbuyi[\s\S]*KIN-\d{7}-[0-9A-Z]/);
    // the chart opens on its summary; the vitals have their own tab and address
    await page.getByRole('tab', { name: 'Vitals' }).click();
    await expect.poll(() => page.url()).toMatch(/\/chart\/vitals$/);

    // keyboard first: the first field has focus; NEWS2 waits for its seven parameters
    const form = page.getByTestId('vitals-form');
    const first = form.getByLabel('Respiration (/min)');
    await expect.poll(() => first.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('24');
    const live = page.getByTestId('news2-live');
    await expect.poll(() => live.innerText()).toContain('NEWS2 needs RR, SpO₂, O₂, BP, pulse, ACVPU and temperature');
    await form.getByLabel('SpO₂ (%)').fill('93');
    await form.getByLabel('On oxygen').check();
    await form.getByLabel('Systolic (mmHg)').fill('104');
    await form.getByLabel('Diastolic (mmHg)').fill('68');
    await form.getByLabel('Pulse (/min)').fill('112');
    await form.getByLabel('Consciousness (ACVPU)').selectOption('A');
    await form.getByLabel('Temperature (°C)').fill('38.4');
    // RR 24 → 2, SpO2 93 → 2, oxygen → 2, systolic 104 → 1, pulse 112 → 2, alert → 0, 38.4 °C → 1
    await expect.poll(() => live.getByTestId('news2-badge').getAttribute('data-risk')).toBe('high');
    expect(await live.innerText()).toMatch(/10 · high[\s\S]*Respiration 2[\s\S]*Urgent response/);
    await checkA11y(page, 'chart, vitals typed');
    await form.getByLabel('Temperature (°C)').press('Enter');

    const recorded = page.getByTestId('vitals-table').getByRole('row', { name: /104\/68/ });
    await recorded.waitFor();
    expect(await recorded.innerText()).toMatch(/Grâce Nsimba[\s\S]*10 · high[\s\S]*112[\s\S]*24[\s\S]*38\.4[\s\S]*93 %/);
    expect(await recorded.getByTestId('news2-badge').getAttribute('data-risk')).toBe('high');
    // the form is ready for the next set
    await expect.poll(() => form.getByLabel('SpO₂ (%)').inputValue()).toBe('');
    await checkA11y(page, 'chart, vitals recorded');
    await shot(page, 'nurse-chart-vitals');

    // the summary shows the set just recorded
    await page.getByRole('tab', { name: 'Summary' }).click();
    const card = page.getByTestId('summary-vitals');
    await expect.poll(() => card.innerText()).toMatch(/10 · high[\s\S]*Grâce Nsimba[\s\S]*104\/68/);
    await checkA11y(page, 'chart summary');
    await shot(page, 'nurse-chart-summary');
  });
});
