import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { checkA11y, launch, newPage, shot, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('cashier', () => {
  it('finds an issued invoice of Marie Mbuyi, sees what her plan covers and creates the draft claim', async () => {
    const page = await newPage(browser);
    await signIn(page, 'cashier@sanita.test');
    await page.goto('/claims');
    await page.getByRole('button', { name: 'New claim' }).click();
    const picker = page.getByRole('dialog', { name: 'Claim an invoice' });
    await picker.getByLabel('Find the invoice').fill('Marie Mbuyi');
    // an invoice of hers not claimed yet (no insurer share set)
    const row = picker.getByRole('row').filter({ hasText: 'Marie Mbuyi' }).filter({ hasNotText: 'insurer share set' }).first();
    await row.waitFor();
    await checkA11y(page, 'invoice picker');
    const number = (await row.getByRole('cell').first().innerText()).trim();
    await row.getByRole('button', { name: `Claim invoice ${number} of Marie Mbuyi` }).click();
    await expect.poll(() => page.url()).toMatch(/\/claims\/new\?invoice=[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'New claim', level: 1 }).waitFor();
    await page.getByText(`${number}`).first().waitFor();
    // her SONAS coverage, and the lines the plan covers ticked
    await page
      .getByText(/SONAS · SONAS Santé/)
      .first()
      .waitFor();
    const lines = page.getByTestId('new-claim-lines');
    await lines.getByText('covered', { exact: true }).first().waitFor();
    const ticked = lines.getByRole('checkbox', { checked: true });
    expect(await ticked.count()).toBeGreaterThan(0);
    await page.getByText(/\d+ of \d+ covered lines claimed/).waitFor();
    // what the claim would ask, from the server's preview (a cashier reads no notes, yet sees it)
    const amounts = page.getByTestId('new-claim-amounts');
    await amounts.getByText('Claimed from SONAS').waitFor();
    expect(await amounts.innerText()).toMatch(/Covered lines\s+[\d.,\s]+(USD|CDF)/);
    expect(await page.getByText('The encounter’s diagnoses are copied onto the claim when it is created.').count()).toBe(0);
    await checkA11y(page, 'new claim');
    await shot(page, 'claim-new');
    await page.getByRole('button', { name: 'Create the draft claim' }).click();
    await expect.poll(() => page.url()).toMatch(/\/claims\/[0-9a-f-]{36}$/);
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent()).toMatch(/Claim CLM-.*Draft/);
    expect(await page.getByText(`Invoice: ${number}`).count()).toBe(1);
    // a cashier reads no documents, yet picks hers from the claim's own list and attaches one
    await page.getByRole('textbox', { name: 'Attach a document of the patient' }).click();
    await page.getByRole('option', { name: /Referral letter — Dr Kabeya/ }).click();
    await checkA11y(page, 'draft claim');
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    await page
      .getByTestId('claim-attachments')
      .getByText(/Referral letter — Dr Kabeya/)
      .waitFor();
    // the same invoice again: the preview names the open claim, and creating is off
    await page.goBack();
    await page.getByRole('link', { name: 'Open that claim' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create the draft claim' }).isDisabled()).toBe(true);
    await page.context().close();
  });
});

describe('receptionist', () => {
  it("sees Marie Mbuyi's insurance as a badge when queueing her as a walk-in", async () => {
    const page = await newPage(browser);
    await signIn(page, 'receptionist@sanita.test');
    await page.goto('/front-desk');
    const walkIn = page.getByRole('button', { name: /Walk-in/ }).first();
    await expect.poll(() => walkIn.isEnabled()).toBe(true);
    await walkIn.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /Patient/ }).fill('Mbuyi Marie');
    await page
      .getByRole('option', { name: /Marie Mbuyi/ })
      .first()
      .click();
    const badge = dialog.getByTestId('check-in-eligibility');
    await badge.waitFor();
    expect(await badge.innerText()).toMatch(/Covered · SONAS|Not covered · SONAS: .+/);
    await checkA11y(page, 'walk-in with eligibility');
    await page.context().close();
  });
});

describe('administrator', () => {
  it('adds a payer (a code already used is refused at its field) and a CDF plan with its rules', async () => {
    const page = await newPage(browser);
    await signIn(page, 'super_admin@sanita.test');
    await page.goto('/admin/payers');
    await page.getByRole('region', { name: 'SONAS' }).waitFor();
    await page.getByRole('button', { name: 'Add a payer' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add a payer' });
    await dialog.getByRole('button', { name: 'Save the payer' }).click();
    await dialog.getByText('This field is required').first().waitFor();
    await dialog.getByLabel('Code').fill('SONAS');
    await dialog.getByLabel('Name').fill('Mutuelle des enseignants');
    await dialog.getByRole('button', { name: 'Save the payer' }).click();
    await dialog.getByText('This code is already used').waitFor();
    await checkA11y(page, 'payer form with errors');
    await dialog.getByLabel('Code').fill('MUTENS');
    await dialog.getByRole('button', { name: 'Save the payer' }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.getByRole('region', { name: 'Mutuelle des enseignants' });
    await card.getByRole('button', { name: 'Add a plan to Mutuelle des enseignants' }).click();
    dialog = page.getByRole('dialog', { name: 'Add a plan' });
    await dialog.getByLabel('Plan code').fill('BASE');
    await dialog.getByLabel('Plan name').fill('Base CDF');
    await dialog.getByLabel('Medications').check();
    await dialog.getByLabel('Excluded codes').fill('LAB-HIV\nLAB-CD4');
    // CDF has no minor unit: the co-pay takes whole francs
    await dialog.getByLabel('Co-pay').fill('5000.75');
    expect(await dialog.getByLabel('Co-pay').inputValue()).toBe('5000');
    await dialog.getByLabel('Co-insurance').fill('20');
    await dialog.getByLabel('Annual limit').fill('1500000');
    await checkA11y(page, 'plan form');
    await dialog.getByRole('button', { name: 'Save the plan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByText('Base CDF').waitFor();
    const rules = await card.innerText();
    expect(rules).toContain('Covers: Consultations, Lab tests, Medications');
    expect(rules).toContain('Excluded codes: LAB-HIV, LAB-CD4');
    expect(rules).toMatch(/Co-pay 5000 CDF · Co-insurance 20 % · Annual limit 1500000 CDF/);
    // editing: an empty code is refused before sending
    await card.getByRole('button', { name: 'Edit the plan Base CDF' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit the plan Base CDF' });
    await dialog.getByLabel('Plan code').fill('');
    await dialog.getByRole('button', { name: 'Save the plan' }).click();
    await dialog.getByText('This field is required').waitFor();
    await page.context().close();
  });
});
