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
  it('records a vaccine chosen from the CVX search on a patient’s chart, sees it in the list, the summary and its history', async () => {
    const page = await newPage(browser);
    await signIn(page, 'nurse@sanita.test');

    await openMarieMbuyisChart(page);

    // the summary's card lists the demo's latest vaccines
    const card = page.getByTestId('summary-immunizations');
    await expect.poll(() => card.innerText()).toMatch(/Immunizations[\s\S]*Hep B, adult[\s\S]*dose 2/);

    await page.getByRole('tab', { name: 'Immunizations' }).click();
    await expect.poll(() => page.url()).toMatch(/\/chart\/immunizations$/);
    const table = page.getByTestId('immunizations-table');
    await expect.poll(() => table.innerText()).toMatch(/BCG[\s\S]*PEV/);

    // the vaccine from the CVX search: words typed, the list answers, arrows and Enter choose
    const picker = page.getByRole('textbox', { name: /^Vaccine/ });
    await picker.click();
    await picker.fill('hep b adult');
    const option = page.getByRole('option', { name: /^43\b.*Hep B, adult/ });
    await option.waitFor();
    await checkA11y(page, 'immunizations, CVX search open');
    await shot(page, 'nurse-immunizations-cvx-search');
    await option.click();
    await expect.poll(() => picker.inputValue()).toMatch(/^43 — Hep B, adult/);

    await page.getByLabel('Lot number').fill('HB25B208');
    await page.getByLabel('Dose number').fill('3');
    await page.getByLabel('Site').selectOption('left_deltoid');
    await page.getByLabel('Route').selectOption('intramuscular');
    await page.getByRole('button', { name: 'Record vaccine' }).click();

    const recorded = table.getByRole('row', { name: /HB25B208/ });
    await recorded.waitFor();
    expect(await recorded.innerText()).toMatch(/Hep B, adult[\s\S]*3[\s\S]*HB25B208[\s\S]*Left deltoid[\s\S]*Grâce Nsimba/);
    // the form is ready for the next vaccine
    await expect.poll(() => picker.inputValue()).toBe('');
    await checkA11y(page, 'immunizations, vaccine recorded');

    // a correction is kept in the entry's history, with who and why
    await recorded.getByRole('button', { name: 'Correct' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Site').selectOption('right_deltoid');
    await dialog.getByLabel('Reason').fill('Given in the right arm');
    await dialog.getByRole('button', { name: 'Save correction' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const corrected = table.getByRole('row', { name: /HB25B208/ });
    await expect.poll(() => corrected.innerText()).toMatch(/Right deltoid/);
    await corrected.getByRole('button', { name: /History \(2\)/ }).click();
    const history = page.getByRole('list', { name: 'Changes' });
    await expect
      .poll(() => history.innerText())
      .toMatch(
        /Recorded[\s\S]*Grâce Nsimba[\s\S]*Corrected[\s\S]*Given in the right arm[\s\S]*Site: Left deltoid → Right deltoid/,
      );
    await checkA11y(page, 'immunizations, history shown');
    await shot(page, 'nurse-immunizations');

    await page.getByRole('tab', { name: 'Summary' }).click();
    await expect.poll(() => card.innerText()).toMatch(/Hep B, adult[\s\S]*dose 3/);
    await shot(page, 'nurse-immunizations-summary');
  });
});
