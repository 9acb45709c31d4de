import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, checkA11y, launch, newPage, shot, signIn, tokenOf } from './browser.ts';

let browser: Browser;
/** A walk-in consultation of this journey's patient, started by the doctor through the API. */
const consult = { encounterId: '', patientId: '' };

beforeAll(async () => {
  browser = await launch();
  const desk = await tokenOf('receptionist@sanita.test');
  const patient = await api<{ id: string }>('POST', '/api/patients', desk, {
    givenName: 'Solange',
    familyName: 'Mwamba',
    sex: 'female',
    birthDate: '1988-04-12',
    allowDuplicate: true,
  });
  const doctor = await tokenOf('doctor@sanita.test');
  const encounter = await api<{ id: string }>('POST', '/api/encounters', doctor, { patientId: patient.id, reason: 'Fever' });
  Object.assign(consult, { encounterId: encounter.id, patientId: patient.id });
});
afterAll(async () => {
  await browser.close();
});

describe('doctor', () => {
  it("writes a SOAP note that autosaves and survives a reload, meets another tab's save in the conflict dialog, adds an ICD-10 diagnosis, signs it, then adds an addendum", async () => {
    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');
    await page.goto(`/encounters/${consult.encounterId}`);
    const banner = page.getByTestId('patient-banner');
    await expect.poll(() => banner.innerText()).toMatch(/Solange[\s\S]*Mwamba/);
    await page.getByTestId('encounter-header').waitFor();

    // keyboard first: the subjective section has focus; a shortcut expands on space; Tab goes to the next section
    const subjective = page.getByLabel('Subjective');
    await expect.poll(() => subjective.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Fever and headache for 3 days. .ros ');
    await expect.poll(() => subjective.inputValue()).toMatch(/^Fever and headache for 3 days\. Review of systems: no fever/);
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByLabel('Objective').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('T 38.9 °C, malaria RDT positive.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Uncomplicated malaria.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Artemether-lumefantrine for 3 days.');

    const status = page.getByTestId('save-status');
    await expect.poll(() => status.innerText(), { timeout: 10_000 }).toMatch(/^Saved \d{2}:\d{2}/);
    await checkA11y(page, 'consultation, note being written');
    await shot(page, 'doctor-consultation-draft');

    // nothing lost on reload
    await page.reload();
    await expect.poll(() => page.getByLabel('Plan').inputValue()).toBe('Artemether-lumefantrine for 3 days.');
    expect(await page.getByLabel('Subjective').inputValue()).toMatch(/^Fever and headache/);

    // another tab (another device) saves first: this one's next save meets the conflict dialog
    const other = await newPage(browser);
    await signIn(other, 'doctor@sanita.test');
    await other.goto(`/encounters/${consult.encounterId}`);
    const otherPlan = other.getByRole('textbox', { name: 'Plan' });
    await expect.poll(() => otherPlan.inputValue()).toBe('Artemether-lumefantrine for 3 days.');
    await otherPlan.fill('Artemether-lumefantrine for 3 days. Paracetamol.');
    await expect.poll(() => other.getByTestId('save-status').innerText(), { timeout: 10_000 }).toMatch(/^Saved/);
    await other.close();
    await page.getByRole('textbox', { name: 'Assessment' }).fill('Uncomplicated falciparum malaria.');
    const conflict = page.getByRole('dialog', { name: 'Saved in another tab' });
    await conflict.waitFor({ timeout: 10_000 });
    expect(await conflict.innerText()).toMatch(/Paracetamol[\s\S]*Uncomplicated falciparum malaria/);
    await checkA11y(page, 'consultation, conflict');
    await conflict.getByRole('button', { name: 'Use the saved version' }).click();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Plan' }).inputValue())
      .toBe('Artemether-lumefantrine for 3 days. Paracetamol.');
    expect(await page.getByRole('textbox', { name: 'Assessment' }).inputValue()).toBe('Uncomplicated malaria.');

    // signing needs a primary diagnosis: Ctrl+Enter says so
    await page.getByLabel('Plan').click();
    await page.keyboard.press('Control+Enter');
    await page.getByText('Choose a primary diagnosis before signing.').waitFor();

    // an ICD-10-CM code, by the terminology's picker; the first one is primary
    const picker = page.getByRole('textbox', { name: 'Add diagnosis' });
    await picker.click();
    await picker.fill('B54');
    await page.getByRole('option', { name: /B54/ }).first().click();
    const diagnoses = page.getByTestId('diagnoses');
    await expect.poll(() => diagnoses.innerText()).toMatch(/B54[\s\S]*malaria[\s\S]*Primary/i);
    await expect.poll(() => status.innerText(), { timeout: 10_000 }).toMatch(/^Saved/);

    await page.getByLabel('Plan').click();
    await page.keyboard.press('Control+Enter');
    const dialog = page.getByRole('dialog', { name: 'Sign this note?' });
    await dialog.waitFor();
    await checkA11y(page, 'consultation, sign confirmation');
    await dialog.getByRole('button', { name: 'Sign the note' }).click();

    // read only now, with who signed it
    const view = page.getByTestId('note-view');
    await view.waitFor();
    await expect.poll(() => view.innerText()).toMatch(/Signed — read only[\s\S]*Signed by Dr Amani Mukendi/);
    expect(await page.getByTestId('view-plan').innerText()).toBe('Artemether-lumefantrine for 3 days. Paracetamol.');
    expect(await page.getByRole('textbox', { name: 'Subjective' }).count()).toBe(0);
    await checkA11y(page, 'consultation, signed note');

    // an addendum after signing, kept with its author; it shows in the history with the signed text
    await page.getByLabel('Add an addendum').fill('Malaria smear: P. falciparum 2+.');
    await page.getByRole('button', { name: 'Add addendum' }).click();
    await expect
      .poll(() => page.getByTestId('addendum').first().innerText())
      .toMatch(/Dr Amani Mukendi[\s\S]*P\. falciparum 2\+/);
    await page.getByRole('button', { name: 'History' }).click();
    const history = page.getByTestId('note-history');
    await history.waitFor();
    await expect.poll(() => history.getByTestId('revision-addendum').innerText()).toContain('P. falciparum 2+');
    expect(await history.getByTestId('revision-signed').innerText()).toMatch(/Signed[\s\S]*Dr Amani Mukendi[\s\S]*B54/);
    await checkA11y(page, 'consultation, history');
    await shot(page, 'doctor-consultation-signed');

    // the chart's notes tab lists it, signed, with its diagnosis
    await page.goto(`/patients/${consult.patientId}/chart/notes`);
    const row = page.getByTestId('notes-table').getByRole('row', { name: /B54/ });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Signed[\s\S]*1 addendum[\s\S]*B54[\s\S]*Dr Amani Mukendi/);
    await checkA11y(page, 'chart, notes tab');
    await shot(page, 'doctor-chart-notes');
    await row.getByRole('link', { name: 'Open' }).click();
    await expect.poll(() => page.url()).toContain(`/encounters/${consult.encounterId}`);
  });
});

describe('admin', () => {
  it('adds a text shortcut on the admin page', async () => {
    const page = await newPage(browser);
    await signIn(page, 'super_admin@sanita.test');
    await page.getByRole('link', { name: 'Text shortcuts' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Text shortcuts' }).waitFor();
    await page.getByTestId('shortcuts-table').getByText('.ros').waitFor();
    await page.getByRole('button', { name: 'Add shortcut' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('.chest');
    await dialog.getByLabel('Text').fill('Chest clear, no crackles.');
    await checkA11y(page, 'text shortcuts, new');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('shortcuts-table').getByText('Chest clear, no crackles.').waitFor();
    await checkA11y(page, 'text shortcuts');
    await shot(page, 'admin-text-shortcuts');
  });
});
