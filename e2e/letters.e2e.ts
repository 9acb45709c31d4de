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

describe('doctor', () => {
  it('issues a sick note from the chart, opens its PDF, and anyone can check its code on the public page', async () => {
    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');

    await openMarieMbuyisChart(page);
    await page.getByRole('tab', { name: 'Letters' }).click();
    await expect.poll(() => page.url()).toMatch(/\/chart\/letters$/);

    await page.getByRole('button', { name: 'New letter' }).click();
    const form = page.getByTestId('letter-form');
    await form.getByText('Sick note').click();
    await form.getByLabel('Rest from').fill('2026-12-07');
    await form.getByLabel('Rest until (inclusive)').fill('2026-12-09');
    await expect.poll(() => form.getByText('3 days').isVisible()).toBe(true);
    await form.getByLabel('Remarks (optional)').fill('Light duties on return.');
    await checkA11y(page, 'new letter');
    await form.getByRole('button', { name: 'Issue letter' }).click();
    await expect.poll(() => page.getByText('Sick note issued.').first().isVisible()).toBe(true);

    // the PDF opens in a new tab; the server audits the opening
    const pdf = page.waitForResponse((r) => /\/api\/letters\/[0-9a-f-]+\/pdf$/.test(r.url()));
    const tab = page.context().waitForEvent('page');
    await page.getByRole('dialog').getByRole('button', { name: 'Open PDF' }).click();
    const response = await pdf;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await (await tab).close();

    const table = page.getByTestId('letters-table');
    const issued = table.getByRole('row', { name: /Sick note/ }).first();
    await issued.waitFor();
    const code = (await issued.innerText()).match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/)![0];
    await checkA11y(page, 'chart letters');
    await shot(page, 'doctor-letters');

    // the timeline shows the letter with the other entries, newest first; a chip narrows it to one kind
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.getByTestId('timeline');
    const first = timeline.locator('[data-kind]').first();
    await expect.poll(() => first.getAttribute('data-kind')).toBe('letter');
    expect(await first.innerText()).toMatch(/Letter[\s\S]*Sick note · Rest from/);
    await page.getByRole('group', { name: 'Show only' }).getByText('Letter', { exact: true }).click();
    await expect
      .poll(
        async () =>
          new Set(await timeline.locator('[data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))),
      )
      .toEqual(new Set(['letter']));
    await timeline.locator('[data-entry]').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-entry'))).toBe(true);
    await checkA11y(page, 'chart timeline');
    await shot(page, 'doctor-timeline');

    // a stranger (no session) checks the code: genuine, the kind and clinic — not the patient
    const stranger = await newPage(browser);
    await stranger.goto(`/verify/${code}`);
    const verdict = stranger.getByTestId('verification');
    await expect
      .poll(() => verdict.innerText())
      .toMatch(/Genuine document[\s\S]*Sick note issued on .* by Clinique Sanita Kinshasa/);
    expect(await stranger.content()).not.toContain('Mbuyi');
    await checkA11y(stranger, 'verify letter');
    await shot(stranger, 'public-verify');
    await stranger.goto('/verify/ZZZZ-ZZZZ-ZZZZ');
    await expect.poll(() => stranger.getByRole('alert').innerText()).toContain('No document was issued with this code');
  });
});
