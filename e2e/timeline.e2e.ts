import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, checkA11y, launch, newPage, openMarieMbuyisChart, shot, signIn, tokenOf } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

const entries = (page: Page) => page.getByTestId('timeline').locator('[data-kind]');
const kindsShown = async (page: Page) => [
  ...new Set(await entries(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))),
];
const focusedEntry = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-kind]')?.textContent ?? null);

describe('the chart’s timeline', () => {
  it('a doctor narrows it by kind, moves with the keyboard and opens entries with Enter; the filter survives going back', async () => {
    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');
    await openMarieMbuyisChart(page);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect.poll(() => page.url()).toMatch(/\/chart\/timeline$/);
    await entries(page).first().waitFor();

    const chips = page.getByRole('group', { name: 'Show only' });
    // every kind the doctor may read has its chip, in the chart's order
    await expect
      .poll(() => chips.getByRole('checkbox').evaluateAll((els) => els.map((e) => e.closest('div')?.textContent?.trim())))
      .toEqual(['Encounter', 'Note', 'Vitals', 'Vaccine', 'Document', 'Letter']);
    // Marie's vitals, documents and vaccines are there, newest first
    expect(await kindsShown(page)).toEqual(expect.arrayContaining(['vitals', 'document', 'immunization']));
    await checkA11y(page, 'timeline, all kinds');
    await shot(page, 'doctor-timeline');

    // vaccines only: the filter is in the address
    await chips.getByText('Vaccine', { exact: true }).click();
    await expect.poll(() => page.url()).toContain('kinds=immunization');
    await expect.poll(() => kindsShown(page)).toEqual(['immunization']);
    const vaccines = await entries(page).count();
    expect(vaccines).toBeGreaterThan(1);
    // the list is one Tab stop; j/k and the arrows move between entries
    const firstLink = entries(page).first().getByRole('link');
    await firstLink.focus();
    const first = await focusedEntry(page);
    await page.keyboard.press('j');
    const second = await focusedEntry(page);
    expect(second).not.toBe(first);
    await page.keyboard.press('k');
    expect(await focusedEntry(page)).toBe(first);
    await page.keyboard.press('ArrowDown');
    expect(await focusedEntry(page)).toBe(second);
    await checkA11y(page, 'timeline, vaccines');
    // Enter opens the entry: the chart's immunizations tab
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/\/chart\/immunizations$/);
    await page.getByRole('heading', { name: 'Immunizations' }).first().waitFor();

    // back: the same filter, the same entries
    await page.goBack();
    await expect.poll(() => page.url()).toContain('kinds=immunization');
    await expect.poll(() => kindsShown(page)).toEqual(['immunization']);
    expect(await chips.getByRole('checkbox', { name: 'Vaccine', exact: true }).isChecked()).toBe(true);

    // documents: Enter on one opens its preview
    await chips.getByText('Vaccine', { exact: true }).click();
    await chips.getByText('Document', { exact: true }).click();
    await expect.poll(() => kindsShown(page)).toEqual(['document']);
    await entries(page).first().getByRole('link').focus();
    await page.keyboard.press('End');
    const title = await entries(page).last().getByRole('link').getAttribute('aria-label');
    expect(title).toMatch(/^Document, /);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/\/chart\/documents\?preview=[0-9a-f-]+$/);
    const preview = page.getByRole('dialog');
    await expect.poll(() => preview.innerText()).toMatch(/^Preview/);
    await checkA11y(page, 'timeline → document preview');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).toMatch(/\/chart\/documents$/);

    // dates: a "To" before "From" is named, not sent
    await page.goBack();
    await expect.poll(() => page.url()).toContain('kinds=document');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2026-03-10');
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2026-03-01');
    await expect.poll(() => page.getByText('Must not be before the “From” date').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.url()).toMatch(/\/chart\/timeline$/);
    await page.close();
  });

  it('an optician, who reads no vaccines, is offered no vaccine filter and sees none', async () => {
    const page = await newPage(browser);
    await signIn(page, 'optician@sanita.test');
    await openMarieMbuyisChart(page);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await entries(page).first().waitFor();
    const chips = page.getByRole('group', { name: 'Show only' });
    await expect.poll(() => chips.getByRole('checkbox', { name: 'Document', exact: true }).count()).toBe(1);
    expect(await chips.getByRole('checkbox', { name: 'Vaccine', exact: true }).count()).toBe(0);
    expect(await kindsShown(page)).not.toContain('immunization');
    await page.close();
  });

  it('in French for Goma’s doctor: the kinds and filters in French, the list or its empty state', async () => {
    const page = await newPage(browser);
    await signIn(page, 'doctor.goma@sanita.test');
    // a patient of Goma's (the demo registers some at each clinic)
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    const { rows } = await db.query<{ id: string }>(
      `SELECT pc.patient_id AS id FROM patient_clinics pc JOIN clinics c ON c.id = pc.clinic_id
        WHERE c.code = 'GOM' ORDER BY pc.patient_id LIMIT 1`,
    );
    await db.end();
    expect(rows).toHaveLength(1);
    await page.goto(`/patients/${rows[0]!.id}/chart/timeline`);
    await page.getByRole('heading', { name: 'Chronologie' }).waitFor();
    const chips = page.getByRole('group', { name: 'Afficher seulement' });
    const names = await chips.getByRole('checkbox').evaluateAll((els) => els.map((e) => e.closest('div')?.textContent?.trim()));
    expect(names).toEqual(['Consultation', 'Note', 'Constantes', 'Vaccin', 'Document', 'Courrier']);
    await page.getByRole('textbox', { name: 'Du', exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'Au', exact: true }).waitFor();
    await expect
      .poll(async () => (await page.getByTestId('timeline').count()) + (await page.getByText('Rien pour l’instant').count()))
      .toBe(1);
    await checkA11y(page, 'timeline, French');
    await shot(page, 'doctor-goma-timeline-fr');
    await page.close();
  });

  it('pages: moving on from the last entry loads the older ones and lands on the first of them', async () => {
    // a patient with 35 sets of vitals, one a day
    const patient = await api<{ id: string }>('POST', '/api/patients', await tokenOf('receptionist@sanita.test'), {
      givenName: 'Odette',
      familyName: 'Kalala',
      sex: 'female',
      birthDate: '1961-02-14',
      allowDuplicate: true,
    });
    const nurse = await tokenOf('nurse@sanita.test');
    for (let i = 1; i <= 35; i++)
      await api('POST', `/api/patients/${patient.id}/vitals`, nurse, {
        heartRate: 60 + i,
        takenAt: new Date(Date.now() - i * 86_400_000).toISOString(),
      });

    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');
    await page.goto(`/patients/${patient.id}/chart/timeline`);
    await entries(page).first().waitFor();
    expect(await entries(page).count()).toBe(30);
    await entries(page).first().getByRole('link').focus();
    await page.keyboard.press('End');
    expect(await focusedEntry(page)).toMatch(/HR 90/);
    await page.keyboard.press('j');
    await expect.poll(() => entries(page).count()).toBe(35);
    await expect.poll(() => focusedEntry(page)).toMatch(/HR 91/);
    // the last page: no more button, j stays on the oldest
    expect(await page.getByRole('button', { name: 'Show older entries' }).count()).toBe(0);
    await page.keyboard.press('End');
    await page.keyboard.press('j');
    expect(await focusedEntry(page)).toMatch(/HR 95/);
    await page.close();
  });
});
