import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { tinyPdf } from '../apps/server/test/multipart.ts';
import { checkA11y, launch, newPage, shot, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

/** A small PNG: a green square. */
function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const size = 120;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([40, 150, 90]))]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Serious or critical axe violations inside `selector` (the page's main content, or a dialog): the
 * header belongs to other features, checked by their own journeys.
 */
async function checkA11yOf(page: Page, selector: string, label: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${label}: ${v.id} ${v.help} — ${v.nodes.map((n) => n.html.slice(0, 160)).join(', ')}`)).toEqual([]);
}

describe('doctor', () => {
  it('uploads a PDF to a patient’s documents, previews it in the browser, and sees it on the summary', async () => {
    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');
    await page.goto('/patients');
    await page.getByRole('searchbox').first().fill('Mbuyi Marie');
    await page.keyboard.press('Enter');
    const row = page.getByRole('row', { name: /Marie.*Mbuyi/ }).first();
    await row.waitFor();
    await row.getByRole('link').first().click();
    await page.getByRole('link', { name: 'Open chart' }).click();
    await expect.poll(() => page.url()).toMatch(/\/patients\/[0-9a-f-]+\/chart$/);

    // the summary shows the latest documents (the demo's three)
    const card = page.getByTestId('summary-documents');
    await expect.poll(() => card.innerText()).toMatch(/Vaccination card \(photo\)[\s\S]*Lipid panel[\s\S]*Referral letter/);

    await page.getByRole('tab', { name: 'Documents' }).click();
    await expect.poll(() => page.url()).toMatch(/\/chart\/documents$/);
    const table = page.getByTestId('documents-table');
    await expect.poll(() => table.innerText()).toContain('Referral letter — Dr Kabeya');

    // drop a file (the drop zone's file input), a title and a category
    await page.getByLabel('Choose a file to add').setInputFiles({
      name: 'echo-report.pdf',
      mimeType: 'application/pdf',
      buffer: tinyPdf('Echocardiography: normal left ventricular function'),
    });
    await expect.poll(() => page.getByTestId('document-chosen').innerText()).toContain('echo-report.pdf');
    await page.getByLabel('Title').fill('Echocardiography report');
    await page.getByRole('textbox', { name: 'Category' }).click();
    await page.getByRole('option', { name: 'Imaging' }).click();
    await checkA11yOf(page, 'main', 'chart, documents, file chosen');
    await page.getByRole('button', { name: 'Add document' }).click();

    const added = table.getByRole('row', { name: /Echocardiography report/ });
    await added.waitFor();
    expect(await added.innerText()).toMatch(/Echocardiography report[\s\S]*Imaging[\s\S]*Dr Amani Mukendi/);
    await shot(page, 'doctor-chart-documents');

    // preview: the PDF in a frame, from the bytes fetched with the session (an object URL)
    await added.getByRole('button', { name: 'Echocardiography report', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Preview of Echocardiography report' });
    await dialog.waitFor();
    const frame = dialog.getByTestId('document-preview-pdf');
    await frame.waitFor();
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    await checkA11yOf(page, '[role=dialog]', 'chart, document preview');
    await shot(page, 'doctor-document-preview');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // an image previews inline
    await table.getByRole('button', { name: 'Vaccination card (photo)', exact: true }).click();
    const image = page.getByRole('dialog').getByTestId('document-preview-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    await page.getByRole('tab', { name: 'Summary' }).click();
    await expect.poll(() => card.innerText()).toMatch(/^[\s\S]*Echocardiography report/);
    await page.close();
  });
});

describe('receptionist', () => {
  it('files a scanned identity card on the patient’s documents page and sees only the front desk’s categories', async () => {
    const page = await newPage(browser);
    await signIn(page, 'receptionist@sanita.test');
    await page.goto('/patients');
    await page.getByRole('searchbox').first().fill('Mbuyi Marie');
    await page.keyboard.press('Enter');
    const row = page.getByRole('row', { name: /Marie.*Mbuyi/ }).first();
    await row.waitFor();
    await row.getByRole('link').first().click();
    await expect.poll(() => page.url()).toMatch(/\/patients\/[0-9a-f-]+$/);
    await page.goto(`${page.url()}/documents`);
    await page.getByRole('heading', { name: 'Documents of Marie Mbuyi' }).waitFor();
    const table = page.getByTestId('documents-table');
    await expect.poll(() => table.innerText()).toContain('Referral letter — Dr Kabeya');
    expect(await table.innerText()).not.toMatch(/Lipid panel|Vaccination card|Echocardiography/);

    await page.getByLabel('Choose a file to add').setInputFiles({ name: 'id-card.png', mimeType: 'image/png', buffer: png() });
    await page.getByLabel('Title').fill('National ID card');
    await page.getByRole('textbox', { name: 'Category' }).click();
    await page.getByRole('option', { name: 'Identity document' }).click();
    await page.getByRole('button', { name: 'Add document' }).click();
    await table.getByRole('row', { name: /National ID card/ }).waitFor();
    await checkA11yOf(page, 'main', 'front desk, documents');
    await shot(page, 'receptionist-documents');
    await page.close();
  });
});

describe('patient', () => {
  it('sends a photo through the portal and reads the documents shared with them', async () => {
    const page = await newPage(browser);
    await signIn(page, 'patient@sanita.test');
    await page.getByRole('link', { name: 'My documents' }).click();
    await expect.poll(() => page.url()).toMatch(/\/portal\/documents$/);
    const table = page.getByTestId('documents-table');
    // what they sent and what was shared with them; never the front desk's referral letter
    await expect.poll(() => table.innerText()).toMatch(/Vaccination card \(photo\)[\s\S]*Lipid panel/);
    expect(await table.innerText()).not.toContain('Referral letter');

    await page
      .getByLabel('Choose a file to add')
      .setInputFiles({ name: 'old-prescription.png', mimeType: 'image/png', buffer: png() });
    await page.getByLabel('Title').fill('Old prescription');
    await page.getByRole('button', { name: 'Send a document' }).click();
    const sent = table.getByRole('row', { name: /Old prescription/ });
    await sent.waitFor();
    expect(await sent.innerText()).toMatch(/Old prescription[\s\S]*From the patient[\s\S]*Marie Mbuyi/);
    await checkA11y(page, 'portal, my documents');
    await shot(page, 'patient-portal-documents');

    await sent.getByRole('button', { name: 'Old prescription', exact: true }).click();
    const image = page.getByRole('dialog').getByTestId('document-preview-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(120);
    await shot(page, 'patient-portal-document-preview');
    await page.close();
  });
});
