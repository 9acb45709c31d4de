import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { api, checkA11y, launch, newPage, shot, signIn, tokenOf } from './browser.ts';

let browser: Browser;

interface Invoice {
  id: string;
  number: string | null;
  status: string;
  currency: string;
  total: string;
  paid: string;
  balance: string;
  lines: { kind: string; description: string; quantity: string }[];
}

/** Decimal text as the English screens write money: "95,000 CDF", "1,250.50 USD". */
function fmt(text: string, currency: string): string {
  const [int = '0', frac] = text.replace('-', '').split('.');
  return `${text.startsWith('-') ? '−' : ''}${BigInt(int).toLocaleString('en')}${frac ? `.${frac}` : ''} ${currency}`;
}
/** "95,000 CDF" → "95000": what a cashier types from what the screen shows. */
const plain = (shown: string) => shown.replace(/[^\d.−-]/g, '').replace('−', '-');
/** Exact sums of decimal texts with at most two decimals (cents), as text with `digits` decimals. */
function addMoney(a: string, b: string, digits: number): string {
  const cents = (v: string) => {
    const [i = '0', f = ''] = v.split('.');
    return BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
  };
  const s = cents(a) + cents(b);
  const int = s / 100n;
  const frac = (s % 100n).toString().padStart(2, '0');
  return digits === 0 ? int.toString() : `${int}.${frac}`;
}

/**
 * This journey: Marie Mbuyi (the demo's portal patient) sees the doctor, who orders a potassium test and
 * prescribes paracetamol; the pharmacist dispenses part of it; the doctor finishes the consultation. The
 * charges are captured into her draft invoice, which the cashier issues and collects; she reads it on the portal.
 */
const run = {
  patientId: '',
  encounterId: '',
  invoiceId: '',
  invoiceNumber: '',
  currency: '',
  receipts: [] as string[],
  labName: '',
  medicineName: '',
  dispensed: 10,
};

beforeAll(async () => {
  browser = await launch();
  const patient = await tokenOf('patient@sanita.test');
  const me = await api<{ patientId: string }>('GET', '/api/auth/me', patient);
  run.patientId = me.patientId;
  const doctor = await tokenOf('doctor@sanita.test');
  const pharmacist = await tokenOf('pharmacist@sanita.test');

  // the doctor starts a consultation and orders a potassium test from it
  const encounter = await api<{ id: string }>('POST', '/api/encounters', doctor, {
    patientId: run.patientId,
    reason: 'Fatigue and muscle cramps',
  });
  run.encounterId = encounter.id;
  const tests = await api<{ data: { id: string; code: string; name: string }[] }>('GET', '/api/lab/tests?q=potassium', doctor);
  const potassium = tests.data.find((t) => t.code === 'K')!;
  run.labName = potassium.name;
  await api('POST', `/api/patients/${run.patientId}/lab-orders`, doctor, {
    encounterId: run.encounterId,
    testIds: [potassium.id],
    priority: 'routine',
    clinicalNotes: 'Cramps; on a diuretic',
  });

  // paracetamol 500 mg, which the demo pharmacy stocks: 1 tablet three times a day for 6 days, signed
  const formulary = await api<{ data: { id: string; code: string; name: string }[] }>(
    'GET',
    `/api/formulary?q=${encodeURIComponent('paracetamol 500')}&limit=10`,
    doctor,
  );
  const paracetamol = formulary.data.find((f) => f.code === 'who-eml:paracetamol-500mg-tablet') ?? formulary.data[0]!;
  run.medicineName = paracetamol.name;
  const item = {
    formularyItemId: paracetamol.id,
    route: 'oral',
    dose: { amount: 1, unit: 'tablet' },
    frequency: { kind: 'times_per_day', times: 3, asNeeded: false },
    durationDays: 6,
    quantity: 18,
    quantityUnit: 'tablet',
    instructions: 'After meals, for the cramps and aches',
  };
  type Draft = { id: string; version: number; items: { id: string }[]; alerts: { key: string; blocking: boolean }[] };
  let draft = await api<Draft>('POST', `/api/encounters/${run.encounterId}/prescriptions`, doctor, { items: [item] });
  const blocking = draft.alerts.filter((a) => a.blocking);
  if (blocking.length)
    draft = await api<Draft>('PUT', `/api/prescriptions/${draft.id}`, doctor, {
      version: draft.version,
      items: [{ ...item, overrides: blocking.map((a) => ({ key: a.key, reason: 'Reviewed with the patient' })) }],
    });
  await api('POST', `/api/prescriptions/${draft.id}/sign`, doctor, { version: draft.version });

  // the pharmacist dispenses part of it (10 of the 18 tablets)
  await api('POST', `/api/pharmacy/prescriptions/${draft.id}/dispenses`, pharmacist, {
    items: [{ prescriptionItemId: draft.items[0]!.id, quantity: run.dispensed }],
  });

  // the doctor finishes the consultation
  const current = await api<{ version: number }>('GET', `/api/encounters/${run.encounterId}`, doctor);
  await api('POST', `/api/encounters/${run.encounterId}/finish`, doctor, { version: current.version });
});
afterAll(async () => {
  await browser.close();
});

/** The payment dialog's figures as the cashier reads them. */
async function payDialog(page: Page): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name: /Take a payment/ });
  await dialog.waitFor();
  return dialog;
}

describe('cashier', () => {
  it('opens her session, finds the consultation already billed, issues it, takes part in CDF and the rest in USD, prints the receipt and closes her session', async () => {
    const token = await tokenOf('cashier@sanita.test');
    const page = await newPage(browser);
    await signIn(page, 'cashier@sanita.test');
    await page.goto('/billing');
    await page.getByRole('heading', { name: 'Cashier desk', level: 1 }).waitFor();

    // the session: opened with a float in each currency when none is open
    const bar = page.getByTestId('cashier-session');
    await expect.poll(() => bar.innerText()).not.toContain('Checking your cashier session');
    const floats = { USD: '50.00', CDF: '100000' };
    const openedHere = (await bar.getByRole('button', { name: 'Open session' }).count()) > 0;
    if (openedHere) {
      expect(await bar.innerText()).toContain('Open your cashier session to take payments.');
      await bar.getByRole('button', { name: 'Open session' }).click();
      const open = page.getByRole('dialog', { name: 'Open your cashier session' });
      await open.getByLabel('Opening float (USD)').fill(floats.USD);
      await open.getByLabel('Opening float (CDF)').fill(floats.CDF);
      await checkA11y(page, 'open cashier session');
      await open.getByRole('button', { name: 'Open session' }).click();
      await open.waitFor({ state: 'detached' });
    }
    await expect.poll(() => bar.textContent()).toMatch(/Session open/i);
    const paymentsBefore = Number(/· (\d+) payments?/.exec((await bar.textContent()) ?? '')?.[1] ?? '0');

    // the desk opens on today's invoices; the outstanding ones of every day come a page at a time
    const views = page.getByTestId('desk-view');
    expect(await views.getByRole('radio', { name: 'Today' }).isChecked()).toBe(true);
    await views.getByText('Outstanding', { exact: true }).click();
    const range = page.getByTestId('desk-range');
    await expect.poll(() => range.innerText()).toMatch(/^1–25 of [\d,]+$/);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => range.innerText()).toMatch(/^26–50 of [\d,]+$/);
    await views.getByText('Today', { exact: true }).click();

    // the desk: Marie Mbuyi's invoice is already there, being prepared from what happened today
    await page.getByTestId('desk-search').fill('Mbuyi');
    const desk = page.getByTestId('desk-invoices');
    const draftRow = desk.getByRole('row').filter({ hasText: 'Marie Mbuyi' }).filter({ hasText: 'Draft' });
    await draftRow.first().waitFor();
    expect(await draftRow.count()).toBe(1);
    await checkA11y(page, 'cashier desk');
    await shot(page, 'billing-desk');
    await draftRow.getByRole('link', { name: 'Draft' }).click();
    await expect.poll(() => page.url()).toMatch(/\/billing\/invoices\/[0-9a-f-]+$/);
    run.invoiceId = page.url().split('/').pop()!;

    // its lines: the consultation, the potassium test and the tablets dispensed, each from where it was captured
    await page.getByRole('heading', { name: /Invoice being prepared/, level: 1 }).waitFor();
    const lines = page.getByTestId('invoice-lines');
    const consultation = lines.getByRole('row').filter({ hasText: 'Outpatient consultation' });
    const lab = lines.getByRole('row').filter({ hasText: run.labName });
    const medicine = lines.getByRole('row').filter({ hasText: run.medicineName });
    await expect.poll(() => consultation.count()).toBeGreaterThan(0);
    await expect.poll(() => lab.count()).toBeGreaterThan(0);
    await expect.poll(() => medicine.count()).toBeGreaterThan(0);
    expect(await consultation.last().textContent()).toMatch(/Consultation/);
    expect(await lab.last().textContent()).toMatch(/Lab/);
    expect(await medicine.last().textContent()).toMatch(/Pharmacy/);
    expect((await medicine.last().innerText()).split(/\t|\n/).map((s) => s.trim())).toContain(String(run.dispensed));

    // a line without a price in the price list is priced first (the page says so and keeps Issue disabled)
    const unpriced = page.getByTestId('unpriced-alert');
    if ((await unpriced.count()) > 0) {
      for (const input of await page.getByTestId('line-price').all()) {
        await input.fill('5');
        await input.press('Enter');
      }
      await unpriced.waitFor({ state: 'detached' });
    }
    await checkA11y(page, 'draft invoice');
    await shot(page, 'billing-draft-invoice');

    // issued: it has its number and is to be paid
    await page.getByTestId('issue').click();
    await page.getByRole('heading', { name: /Invoice INV-/, level: 1 }).waitFor();
    let invoice = await api<Invoice>('GET', `/api/billing/invoices/${run.invoiceId}`, token);
    expect(invoice.status).toBe('issued');
    run.invoiceNumber = invoice.number!;
    run.currency = invoice.currency;
    expect(run.invoiceNumber).toMatch(/^INV-KIN-\d{4}-\d+$/);
    expect(invoice.lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['consultation', 'lab_test', 'medication']));
    const heading = page.getByRole('heading', { level: 1 });
    expect(await heading.textContent()).toMatch(new RegExp(`Invoice ${run.invoiceNumber}\\s*Issued`, 'i'));
    const totals = page.getByTestId('invoice-totals');
    await expect.poll(() => totals.innerText()).toMatch(new RegExp(`Balance\\s+${fmt(invoice.balance, run.currency)}`));

    // a partial payment in Congolese francs: the amount prefilled is the whole balance at today's rate
    // the clinic invoices in dollars and also takes Congolese francs
    expect(run.currency).toBe('USD');
    const other = 'CDF';
    await page.getByTestId('take-payment').click();
    let dialog = await payDialog(page);
    expect(await dialog.getByTestId('pay-amount').inputValue()).toBe(invoice.balance);
    await dialog.getByRole('textbox', { name: 'Currency' }).click();
    await page.getByRole('option', { name: other, exact: true }).click();
    await expect.poll(() => dialog.getByTestId('pay-rate').innerText()).toMatch(/Rate: 1 USD = [\d.,]+ CDF/);
    await expect.poll(() => dialog.getByTestId('pay-amount').inputValue()).not.toBe(invoice.balance);
    const wholeInOther = await dialog.getByTestId('pay-amount').inputValue();
    expect(await dialog.getByTestId('pay-rate').innerText()).toContain(
      `Settles ${fmt(invoice.balance, run.currency)} on the invoice`,
    );
    // about half of it, in round thousands of francs (or whole dollars)
    const partial = String(Math.floor(Number(wholeInOther) / 2000) * 1000);
    expect(Number(partial)).toBeGreaterThan(0);
    await dialog.getByTestId('pay-amount').fill(partial);
    await expect.poll(() => dialog.getByTestId('pay-rate').innerText()).toMatch(/Settles [\d.,]+ \w+ on the invoice/);
    const settles = /Settles ([\d.,]+) /.exec(await dialog.getByTestId('pay-rate').innerText())![1]!.replace(/,/g, '');
    expect(Number(settles)).toBeLessThan(Number(invoice.balance));
    await checkA11y(page, 'payment dialog');
    await shot(page, 'billing-payment-cdf');
    await dialog.getByTestId('pay-submit').click();
    await dialog.waitFor({ state: 'detached' });

    // partly paid: the balance is what is left
    await expect.poll(() => heading.textContent()).toMatch(/Partly paid/i);
    invoice = await api<Invoice>('GET', `/api/billing/invoices/${run.invoiceId}`, token);
    expect(invoice.paid).toBe(settles);
    await expect.poll(() => totals.innerText()).toMatch(new RegExp(`Paid\\s+${fmt(settles, run.currency)}`));
    await expect.poll(() => totals.innerText()).toMatch(new RegExp(`Balance\\s+${fmt(invoice.balance, run.currency)}`));
    const payments = page.getByTestId('invoice-payments');
    await expect.poll(() => payments.getByRole('row').count()).toBe(2);
    expect(await payments.innerText()).toContain(fmt(partial, other));

    // the rest in the invoice's currency: prefilled with the balance
    await page.getByTestId('take-payment').click();
    dialog = await payDialog(page);
    expect(await dialog.getByRole('textbox', { name: 'Currency' }).inputValue()).toBe(run.currency);
    expect(await dialog.getByTestId('pay-amount').inputValue()).toBe(invoice.balance);
    const rest = invoice.balance;
    await dialog.getByTestId('pay-submit').click();
    await dialog.waitFor({ state: 'detached' });

    // paid, with both payments
    await expect.poll(() => heading.textContent()).toMatch(new RegExp(`Invoice ${run.invoiceNumber}\\s*Paid`, 'i'));
    await expect.poll(() => totals.innerText()).toMatch(new RegExp(`Balance\\s+${fmt('0.00', run.currency)}`));
    await expect.poll(() => payments.getByRole('row').count()).toBe(3);
    const paymentsText = await payments.innerText();
    expect(paymentsText).toContain(fmt(partial, other));
    expect(paymentsText).toContain(fmt(rest, run.currency));
    expect(paymentsText.match(/Cash/g)?.length).toBe(2);
    expect(await page.getByTestId('take-payment').count()).toBe(0);
    const receiptButtons = payments.getByRole('button', { name: /Open receipt .* \(PDF, new tab\)/ });
    for (const b of await receiptButtons.all()) run.receipts.push((await b.textContent())!.trim());
    expect(run.receipts).toHaveLength(2);
    await checkA11y(page, 'paid invoice');
    await shot(page, 'billing-invoice-paid');

    // the receipt: the server's PDF, in a new tab
    const pdf = page.waitForResponse((r) => /\/api\/payments\/[0-9a-f-]+\/receipt$/.test(r.url()));
    const tab = page.context().waitForEvent('page');
    await receiptButtons.last().click();
    const response = await pdf;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await (await tab).close();

    // the desk: the session counts two more payments; she closes it, counting her drawer
    await page.getByRole('link', { name: 'Cashier desk' }).first().click();
    await page.getByRole('heading', { name: 'Cashier desk', level: 1 }).waitFor();
    await expect.poll(() => bar.textContent()).toContain(`${paymentsBefore + 2} payments`);
    await bar.getByRole('button', { name: 'Close session' }).click();
    const close = page.getByRole('dialog', { name: 'Close your cashier session' });
    const counts = close.getByTestId('session-counts');
    await counts.waitFor();
    const rowOf = (method: string, currency: string) => counts.getByRole('row').filter({ hasText: `${method} · ${currency}` });
    const expectedOf = async (row: Locator) => plain((await row.getByRole('cell').nth(4).innerText()).trim());
    const usd = rowOf('Cash', 'USD');
    const cdf = rowOf('Cash', 'CDF');
    const tenderedUsd = rest;
    const tenderedCdf = partial;
    if (openedHere) {
      // what she should hold: the float and what she took, per currency
      expect(await expectedOf(usd)).toBe(addMoney(floats.USD, tenderedUsd, 2));
      expect(await expectedOf(cdf)).toBe(addMoney(floats.CDF, tenderedCdf, 0));
      expect(await usd.innerText()).toContain(fmt(tenderedUsd, 'USD'));
      expect(await cdf.innerText()).toContain(fmt(tenderedCdf, 'CDF'));
    }
    // the dollars match; 500 francs are missing, which she explains
    const expectedUsd = await expectedOf(usd);
    const expectedCdf = await expectedOf(cdf);
    await close.getByLabel('Counted: Cash in USD').fill(expectedUsd);
    await expect.poll(() => usd.getByRole('cell').last().innerText()).toBe('0.00 USD');
    await close.getByLabel('Counted: Cash in CDF').fill(String(Number(expectedCdf) - 500));
    await expect.poll(() => cdf.getByRole('cell').last().innerText()).toBe('−500 CDF');
    for (const row of await counts.getByRole('row').all()) {
      const input = row.getByRole('textbox');
      if ((await input.count()) && !(await input.inputValue())) await input.fill(await expectedOf(row));
    }
    const submit = close.getByRole('button', { name: 'Close session' });
    await expect.poll(() => submit.isDisabled()).toBe(true);
    await expect.poll(() => close.innerText()).toContain('Explain the difference before closing.');
    await close.getByLabel('Closing note').fill('500 CDF short: change given twice to one patient');
    await checkA11y(page, 'close cashier session');
    await shot(page, 'billing-close-session');
    await submit.click();
    await close.waitFor({ state: 'detached' });
    await expect.poll(() => bar.textContent()).toMatch(/No session/i);
    expect(await bar.textContent()).toContain('Open your cashier session to take payments.');
    const sessions = await api<{ items: { status: string; closingNote: string | null }[] }>(
      'GET',
      '/api/cashier/sessions',
      token,
    );
    expect(sessions.items.some((s) => s.status === 'closed' && s.closingNote?.includes('500 CDF short'))).toBe(true);
    await page.context().close();
  }, 180_000); // a long journey through four screens: the default 90 s is tight on a loaded two-core machine
});

describe('insurer', () => {
  it('reviews a flagged claim, reads why it was flagged and approves part of it with a note', async () => {
    const page = await newPage(browser);
    await signIn(page, 'insurer@sanita.test');
    await page.goto('/claims');
    await page.getByRole('heading', { name: 'Claims', level: 1 }).waitFor();
    // the submitted claims, highest anomaly score first: the top one is flagged
    await expect.poll(() => page.getByRole('tab', { selected: true }).innerText()).toMatch(/Submitted \(\d+\)/);
    // the clinic's drafts are not the payer's: no Draft tab
    expect(await page.getByRole('tab').allInnerTexts()).not.toContainEqual(expect.stringMatching(/^Draft/));
    const table = page.getByRole('table', { name: 'Claims' });
    const top = table.getByRole('row').nth(1);
    await expect.poll(() => top.textContent()).toMatch(/CLM-KIN-/);
    const topText = (await top.textContent())!;
    expect(topText).toContain('SONAS');
    const score = Number(/(?:Check|High) (\d\.\d\d)/.exec(topText)?.[1] ?? '0');
    expect(score).toBeGreaterThanOrEqual(0.3);
    const number = /CLM-KIN-\d{4}-\d+/.exec(topText)![0];
    await checkA11y(page, 'claims queue');
    await shot(page, 'claims-queue');

    await top.getByRole('link', { name: number }).click();
    await page.getByRole('heading', { name: new RegExp(`Claim ${number}`), level: 1 }).waitFor();
    // the reasons, in words, with their figures
    const reasons = page.getByRole('alert').filter({ hasText: 'Why it was flagged' });
    await expect
      .poll(() => reasons.innerText())
      .toMatch(
        /Amount far from peers|The same service .* is already claimed on CLM-|The patient has \d+ claims in \d+ days|Diagnosis mismatch on|just under the plan’s approval threshold/,
      );
    const heading = page.getByRole('heading', { level: 1 });
    expect(await heading.textContent()).toMatch(/Submitted/i);
    await checkA11y(page, 'claim page');

    await page.getByRole('button', { name: 'Take into review' }).click();
    await expect.poll(() => heading.textContent()).toMatch(/In review/i);
    await page.getByRole('button', { name: 'Partially approve' }).click();
    const dialog = page.getByRole('dialog', { name: /Decision: Partially approved/ });
    await dialog.waitFor();
    // each line is approved at half what was claimed (rounded down to the currency's minor unit)
    const inputs = await dialog.getByRole('textbox', { name: /\(Claimed [\d.]+\)/ }).all();
    expect(inputs.length).toBeGreaterThan(0);
    let approved = 0n;
    let digits = 0;
    const asText = (units: bigint) =>
      digits === 0
        ? units.toString()
        : `${units / 10n ** BigInt(digits)}.${(units % 10n ** BigInt(digits)).toString().padStart(digits, '0')}`;
    for (const input of inputs) {
      const label = await input.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? '');
      const claimed = /\(Claimed ([\d.]+)\)/.exec(label)![1]!;
      digits = claimed.split('.')[1]?.length ?? 0;
      const half = BigInt(claimed.replace('.', '')) / 2n;
      approved += half;
      await input.fill(asText(half));
    }
    await dialog.getByLabel('Note to the clinic').fill('Half approved: the fee is above the plan’s tariff for this service.');
    await checkA11y(page, 'partial approval');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => heading.textContent()).toMatch(/Partially approved/i);
    const approvedText = asText(approved);
    const total = page.getByRole('row').filter({ hasText: 'Total' }).last();
    await expect.poll(() => total.innerText()).toContain(approvedText);
    // the note reaches the clinic, from the payer
    await expect
      .poll(() => page.locator('p', { hasText: 'Half approved: the fee is above' }).first().textContent())
      .toMatch(/\(Payer\), .*: Half approved/);
    await checkA11y(page, 'claim partially approved');
    await shot(page, 'claim-partially-approved');
    await page.context().close();
  });
});

describe('patient', () => {
  it('finds the invoice paid on the portal, with both payments, and opens a receipt', async () => {
    expect(run.invoiceNumber).not.toBe('');
    const page = await newPage(browser);
    await signIn(page, 'patient@sanita.test');
    await page.goto('/portal/invoices');
    await page.getByRole('heading', { name: 'My invoices', level: 1 }).waitFor();
    const card = page.getByTestId('portal-invoice').filter({ hasText: `Invoice ${run.invoiceNumber}` });
    await card.waitFor();
    expect(await card.textContent()).toMatch(new RegExp(`Invoice ${run.invoiceNumber}\\s*Paid`, 'i'));
    const zero = fmt('0.00', run.currency);
    expect(await card.innerText()).toMatch(new RegExp(`Left to pay\\s+${zero}`));
    await checkA11y(page, 'portal invoices');

    await card.getByRole('button', { name: 'Lines and payments' }).click();
    await expect.poll(() => card.innerText()).toContain('What was billed');
    const text = await card.innerText();
    expect(text).toContain('Outpatient consultation');
    expect(text).toContain(run.labName);
    expect(text).toContain(run.medicineName);
    for (const receipt of run.receipts) expect(text).toContain(`Receipt ${receipt} (PDF)`);
    expect(text.match(/· Cash/g)?.length).toBe(2);
    await checkA11y(page, 'portal invoice details');
    await shot(page, 'portal-invoice-paid');

    const pdf = page.waitForResponse((r) => /\/api\/portal\/payments\/[0-9a-f-]+\/receipt$/.test(r.url()));
    const tab = page.context().waitForEvent('page');
    await card.getByRole('button', { name: `Receipt ${run.receipts[0]} (PDF)` }).click();
    const response = await pdf;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await (await tab).close();
    await page.context().close();
  });
});
