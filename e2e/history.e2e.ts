import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, checkA11y, demoPassword, launch, newPage, shot, signIn } from './browser.ts';

let browser: Browser;
/** Two new patients of Kinshasa, registered through the API: nothing recorded about their allergies yet. */
const patients = { allergic: '', nka: '' };

beforeAll(async () => {
  browser = await launch();
  const { accessToken } = await api<{ accessToken: string }>('POST', '/api/auth/login', null, {
    email: 'receptionist@sanita.test',
    password: demoPassword(),
  });
  const register = (givenName: string, familyName: string, sex: 'male' | 'female', birthDate: string) =>
    api<{ id: string }>('POST', '/api/patients', accessToken, {
      givenName,
      familyName,
      sex,
      birthDate,
      allowDuplicate: true,
    });
  patients.allergic = (await register('Josué', 'Kalala', 'male', '1968-02-14')).id;
  patients.nka = (await register('Esther', 'Ilunga', 'female', '1994-09-03')).id;
});
afterAll(async () => {
  await browser.close();
});

describe('doctor', () => {
  it('records a penicillin allergy (red in the banner), a coded problem, and "no known allergies" for another patient', async () => {
    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');

    await page.goto(`/patients/${patients.allergic}/chart`);
    const banner = page.getByTestId('allergy-banner');
    // never asked: amber, not to be mistaken for "none"
    await expect.poll(() => banner.getAttribute('data-state')).toBe('not-recorded');
    expect(await banner.innerText()).toBe('Allergies not recorded');
    await expect.poll(() => page.getByTestId('summary-problems').innerText()).toContain('No active problems recorded.');

    await page.getByRole('tab', { name: 'Problems & allergies' }).click();
    await expect.poll(() => page.url()).toMatch(/\/chart\/problems$/);
    await page.getByRole('button', { name: 'Add allergy' }).click();
    const allergyForm = page.getByTestId('allergy-form');
    await allergyForm.getByLabel('Substance', { exact: true }).selectOption('penicillins');
    await allergyForm.getByLabel('Severity').selectOption('severe');
    await allergyForm.getByLabel('Criticality').selectOption('high');
    await allergyForm.getByLabel('Verification').selectOption('confirmed');
    await allergyForm.getByLabel('Hives (urticaria)').check();
    await allergyForm.getByLabel('Swelling (angioedema)').check();
    await allergyForm.getByLabel('Reaction').fill('Hives and swollen lips after amoxicillin');
    await checkA11y(page, 'history, allergy form');
    await allergyForm.getByLabel('Reaction').press('Enter');
    await allergyForm.waitFor({ state: 'detached' });

    // the banner now shows it, in red, the high criticality standing out
    await expect.poll(() => banner.getAttribute('data-state')).toBe('allergies');
    const badge = banner.getByTestId('allergy-badge');
    await expect.poll(() => badge.innerText()).toMatch(/Penicillins · Severe\s*High criticality/i);
    expect(await badge.getAttribute('data-criticality')).toBe('high');
    const background = await badge.evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r, g, b] = background.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    const row = page.getByTestId('allergy-row').first();
    expect(await row.innerText()).toMatch(
      /Penicillins[\s\S]*Recorded .* by Dr Amani Mukendi[\s\S]*Hives \(urticaria\), Swelling \(angioedema\)/,
    );
    // "no known allergies" cannot be stated now: the button is gone
    expect(await page.getByRole('button', { name: 'Record “no known allergies”' }).count()).toBe(0);

    // a problem with its ICD-10-CM code
    await page.getByRole('button', { name: 'Add problem' }).click();
    const problemForm = page.getByTestId('problem-form');
    // the code picker has the focus: a code or words, then the option
    const picker = problemForm.getByLabel('ICD-10-CM code');
    await expect.poll(() => picker.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('I10');
    await page.getByRole('option', { name: /I10\s*Essential \(primary\) hypertension/ }).click();
    // the chosen code names the problem
    await expect
      .poll(() => problemForm.getByLabel('Problem', { exact: true }).inputValue())
      .toBe('Essential (primary) hypertension');
    await problemForm.getByLabel('Onset').fill('2019-03-01');
    await problemForm.getByLabel('Note').fill('Amlodipine 5 mg daily');
    await problemForm.getByRole('button', { name: 'Save' }).click();
    await problemForm.waitFor({ state: 'detached' });
    const problem = page.getByTestId('problem-row').first();
    await expect.poll(() => problem.innerText()).toMatch(/Essential \(primary\) hypertension\s*I10[\s\S]*Active[\s\S]*2019/);
    await checkA11y(page, 'history, problems and allergies');
    await shot(page, 'doctor-history-problems-allergies');

    // its changes: recorded by the doctor, then resolved
    await problem.getByRole('button', { name: /^Resolve/ }).click();
    await expect.poll(() => problem.getAttribute('data-status')).toBe('resolved');
    await page.getByRole('button', { name: 'Changes: Essential (primary) hypertension' }).click();
    const revisions = page.getByTestId('revisions');
    await expect
      .poll(() => revisions.innerText())
      .toMatch(/Recorded[\s\S]*Dr Amani Mukendi[\s\S]*Resolved[\s\S]*Status:\s*Active\s*→\s*Resolved/);
    await checkA11y(page, 'history, changes of a problem');
    await shot(page, 'doctor-history-revisions');
    await page.keyboard.press('Escape');

    // the summary: the allergy card; the resolved problem is no longer active
    await page.getByRole('tab', { name: 'Summary' }).click();
    await expect
      .poll(() => page.getByTestId('summary-allergies').innerText())
      .toMatch(/Penicillins[\s\S]*Severe[\s\S]*High criticality/);
    await shot(page, 'doctor-history-summary');

    // another patient: asked, none known
    await page.goto(`/patients/${patients.nka}/chart/problems`);
    await expect.poll(() => banner.getAttribute('data-state')).toBe('not-recorded');
    await page.getByRole('button', { name: 'Record “no known allergies”' }).click();
    await expect.poll(() => banner.getAttribute('data-state')).toBe('nka');
    expect(await banner.innerText()).toBe('No known allergies');
    await expect
      .poll(() => page.getByTestId('nka-statement').innerText())
      .toMatch(/No known allergies — stated by Dr Amani Mukendi/);
    await checkA11y(page, 'history, no known allergies');
    await shot(page, 'doctor-history-nka');

    // the history tab: social history, keyboard only
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('button', { name: 'Record social history' }).click();
    const historyForm = page.getByTestId('history-form');
    await historyForm.getByLabel('Tobacco').selectOption('former');
    await historyForm.getByLabel('Pack-years').fill('4');
    await historyForm.getByLabel('Occupation').fill('Nurse');
    await historyForm.getByLabel('Occupation').press('Enter');
    await historyForm.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('history-social').innerText()).toMatch(/Former smoker, 4 pack-years · Nurse/);
    await page.getByRole('button', { name: 'Add family condition' }).click();
    await historyForm.getByLabel('Relation').selectOption('mother');
    await historyForm.getByLabel('Condition').fill('Type 2 diabetes');
    await historyForm.getByLabel('Condition').press('Enter');
    await historyForm.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('history-family').innerText()).toContain('Mother: Type 2 diabetes');
    await checkA11y(page, 'history tab');
    await shot(page, 'doctor-history-tab');
  });
});
