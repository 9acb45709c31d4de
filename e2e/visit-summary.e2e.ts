import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, checkA11y, launch, newPage, shot, signIn, tokenOf } from './browser.ts';

let browser: Browser;
/** A walk-in consultation of this journey's patient, its note drafted by the doctor through the API. */
const consult = { encounterId: '', patientId: '' };

beforeAll(async () => {
  browser = await launch();
  const desk = await tokenOf('receptionist@sanita.test');
  const patient = await api<{ id: string }>('POST', '/api/patients', desk, {
    givenName: 'Béatrice',
    familyName: 'Kalonji',
    sex: 'female',
    birthDate: '1979-09-03',
    allowDuplicate: true,
  });
  const doctor = await tokenOf('doctor@sanita.test');
  const encounter = await api<{ id: string }>('POST', '/api/encounters', doctor, { patientId: patient.id, reason: 'Cough' });
  await api('PUT', `/api/encounters/${encounter.id}/note`, doctor, {
    version: 0,
    template: 'general',
    sections: {
      subjective: 'Productive cough for ten days.',
      objective: 'Scattered wheeze.',
      assessment: 'Acute bronchitis.',
      plan: 'Salbutamol inhaler.',
    },
    patientSummary: 'Your cough is a chest infection that will pass. Use the inhaler when short of breath.',
    diagnoses: [{ code: 'J20.9', description: 'Acute bronchitis, unspecified', rank: 'primary' }],
  });
  Object.assign(consult, { encounterId: encounter.id, patientId: patient.id });
});
afterAll(async () => {
  await browser.close();
});

describe('doctor', () => {
  it('signs the note, opens its visit summary as a PDF (the same letter when asked again, a French one from the menu), and finds it among the letters', async () => {
    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');
    await page.goto(`/encounters/${consult.encounterId}`);
    await page.getByTestId('encounter-header').waitFor();
    // a draft offers no visit summary
    await page.getByLabel('Plan').waitFor();
    expect(await page.getByRole('button', { name: 'Visit summary (PDF)' }).count()).toBe(0);

    await page.getByLabel('Plan').click();
    await page.keyboard.press('Control+Enter');
    const dialog = page.getByRole('dialog', { name: 'Sign this note?' });
    await dialog.getByRole('button', { name: 'Sign the note' }).click();
    const view = page.getByTestId('note-view');
    await expect.poll(() => view.innerText()).toMatch(/Signed — read only/);

    // the visit summary: issued, then its PDF opens in a new tab
    const summaryButton = view.getByRole('button', { name: 'Visit summary (PDF)' });
    const issued = page.waitForResponse((r) => r.url().endsWith(`/api/encounters/${consult.encounterId}/visit-summary`));
    const pdf = page.waitForResponse((r) => /\/api\/letters\/[0-9a-f-]+\/pdf$/.test(r.url()));
    const tab = page.context().waitForEvent('page');
    await summaryButton.click();
    const letter = await issued;
    expect(letter.status()).toBe(201);
    const { verificationCode, id } = (await letter.json()) as { verificationCode: string; id: string };
    const response = await pdf;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const opened = await tab;
    await expect.poll(() => opened.url()).toMatch(/^blob:/);
    await opened.close();
    await checkA11y(page, 'consultation, signed note with its visit summary');
    await shot(page, 'doctor-visit-summary');

    // asked again: the same letter and code (200), nothing new issued
    const again = page.waitForResponse((r) => r.url().endsWith('/visit-summary'));
    const tab2 = page.context().waitForEvent('page');
    await summaryButton.click();
    expect((await again).status()).toBe(200);
    expect(((await (await again).json()) as { id: string }).id).toBe(id);
    await (await tab2).close();

    // in French, from the menu beside it: its own letter
    await view.getByRole('button', { name: 'Language of the visit summary' }).click();
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: 'In English' }).waitFor();
    await checkA11y(page, 'visit summary language menu');
    const french = page.waitForResponse((r) => r.url().endsWith('/visit-summary'));
    const tab3 = page.context().waitForEvent('page');
    await menu.getByRole('menuitem', { name: 'In French (français)' }).click();
    expect((await french).status()).toBe(201);
    expect(((await (await french).json()) as { language: string }).language).toBe('fr');
    await (await tab3).close();

    // among the patient's letters, with the visit it summarises
    await page.goto(`/patients/${consult.patientId}/chart/letters`);
    const table = page.getByTestId('letters-table');
    await table.waitFor();
    const printed = verificationCode.match(/.{4}/g)!.join('-');
    const row = table.getByRole('row', { name: new RegExp(printed) });
    await expect.poll(() => row.innerText()).toMatch(/Visit summary[\s\S]*Visit of/);
    expect(await table.getByRole('row', { name: /Visit summary/ }).count()).toBe(2);
    await checkA11y(page, 'chart letters with visit summaries');

    // a stranger checks the code: a genuine visit summary, no patient
    const stranger = await newPage(browser);
    await stranger.goto(`/verify/${printed}`);
    await expect
      .poll(() => stranger.getByTestId('verification').innerText())
      .toMatch(/Genuine document[\s\S]*Visit summary issued on .* by Clinique Sanita Kinshasa/);
    expect(await stranger.content()).not.toContain('Kalonji');
  });
});
