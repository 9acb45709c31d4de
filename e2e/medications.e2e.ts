import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, checkA11y, launch, newPage, shot, signIn, tokenOf } from './browser.ts';

let browser: Browser;
/** This journey's patient and their consultation, started by the doctor through the API. */
const consult = { encounterId: '', patientId: '' };

beforeAll(async () => {
  browser = await launch();
  const desk = await tokenOf('receptionist@sanita.test');
  const patient = await api<{ id: string }>('POST', '/api/patients', desk, {
    givenName: 'Albert',
    familyName: 'Kabongo',
    sex: 'male',
    birthDate: '1956-03-02',
    preferredLanguage: 'fr',
    allowDuplicate: true,
  });
  const doctor = await tokenOf('doctor@sanita.test');
  const encounter = await api<{ id: string }>('POST', '/api/encounters', doctor, {
    patientId: patient.id,
    reason: 'Atrial fibrillation',
  });
  Object.assign(consult, { encounterId: encounter.id, patientId: patient.id });
});
afterAll(async () => {
  await browser.close();
});

describe('doctor', () => {
  it('records the ibuprofen a patient takes, prescribes warfarin from the consultation, meets the blocking interaction, overrides it with a reason and signs', async () => {
    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');

    // reconciliation on the chart's summary: the patient says they take ibuprofen
    await page.goto(`/patients/${consult.patientId}/chart`);
    const card = page.getByTestId('summary-current-medications');
    await expect.poll(() => card.innerText()).toMatch(/Current medications[\s\S]*No current medication/);
    await card.getByRole('button', { name: 'Add a reported medication' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Medication' }).fill('ibuprofen 400');
    await dialog.getByRole('option', { name: /Ibuprofen 400mg tablet/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getByTestId('reported-choice').innerText()).toBe('Ibuprofen 400mg tablet');
    await dialog.getByLabel('Dose as said').fill('1 tablet when in pain');
    await checkA11y(page, 'medications, reported medication dialog');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => card.innerText()).toMatch(/Ibuprofen 400mg tablet[\s\S]*Reported[\s\S]*1 tablet when in pain/);

    // the consultation: the current medications reviewed with the patient, marked reconciled
    await page.goto(`/encounters/${consult.encounterId}`);
    const reconcile = page.getByTestId('reconcile-panel');
    await expect
      .poll(() => reconcile.innerText())
      .toMatch(/Medication reconciliation[\s\S]*Ibuprofen 400mg tablet[\s\S]*Continued[\s\S]*Not reconciled in this visit yet/);
    await reconcile.getByRole('button', { name: 'Mark reconciled' }).click();
    await expect.poll(() => reconcile.getByTestId('reconciled-by').innerText()).toMatch(/^Reconciled by .+ at \d{2}:\d{2}$/);
    await checkA11y(page, 'medications, reconciliation marked');

    // the formulary search from the keyboard
    const panel = page.getByTestId('prescribe-panel');
    await expect.poll(() => panel.innerText()).toMatch(/Checks run as you type against 1 current medication/);
    const picker = panel.getByRole('textbox', { name: 'Add a medication' });
    await picker.click();
    await page.keyboard.type('warfarin 5mg');
    await panel
      .getByRole('option', { name: /Warfarin 5mg tablet/ })
      .first()
      .waitFor();
    await checkA11y(page, 'medications, formulary search open');
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('ArrowDown');
      const active = await panel.locator('[data-combobox-selected]').innerText();
      if (/Warfarin 5mg tablet/.test(active)) break;
    }
    await page.keyboard.press('Enter');
    const item = panel.getByTestId('rx-item');
    await expect.poll(() => item.count()).toBe(1);
    // the dose has focus; the item is ready: 1 tablet, and the quantity and the French instructions follow
    await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toMatch(/-dose$/);
    // the frequency chips are one radio group: Tab past unit and route reaches the chosen one, arrows choose
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('thrice_daily');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => item.getByRole('radio', { name: 'Once daily' }).isChecked()).toBe(true);
    await item.getByLabel('Days').fill('30');
    await expect.poll(() => item.getByTestId('rx-quantity').inputValue()).toBe('30');
    await expect
      .poll(() => item.getByTestId('rx-instructions').inputValue())
      .toBe('Prendre 1 comprimé une fois par jour pendant 30 jours.');

    // the interaction with the ibuprofen the patient takes: both drugs named, why, what to do; Sign waits for a reason
    const alert = item.getByTestId('alert-interaction');
    await expect
      .poll(() => alert.innerText())
      .toMatch(
        /Major[\s\S]*Warfarin 5mg tablet \+ Ibuprofen 400mg tablet[\s\S]*Why:[\s\S]*bleeding[\s\S]*What to do:[\s\S]*paracetamol/,
      );
    const sign = panel.getByRole('button', { name: 'Sign', exact: true });
    expect(await sign.isDisabled()).toBe(true);
    await expect.poll(() => panel.getByTestId('blocking-count').innerText()).toMatch(/1 blocking alert needs a reason/);
    await checkA11y(page, 'medications, blocking interaction alert');
    await shot(page, 'doctor-prescription-alert');

    await item.getByLabel('Reason for going ahead').fill('INR checked weekly; ibuprofen stopped today');
    // the draft saves itself after a pause; a reload finds it, the reason with it
    await expect.poll(() => panel.getByTestId('rx-status').innerText(), { timeout: 10_000 }).toMatch(/^Draft saved/);
    await page.reload();
    await expect
      .poll(() => item.getByLabel('Reason for going ahead').inputValue())
      .toBe('INR checked weekly; ibuprofen stopped today');
    await expect.poll(() => item.getByTestId('rx-quantity').inputValue()).toBe('30');
    await expect.poll(() => sign.isDisabled()).toBe(false);

    // Ctrl+Enter asks for confirmation, then signs
    await item.getByLabel('Reason for going ahead').press('Control+Enter');
    const confirm = page.getByRole('dialog', { name: 'Sign this prescription?' });
    await confirm.waitFor();
    await checkA11y(page, 'medications, sign confirmation');
    await confirm.getByRole('button', { name: 'Sign' }).click();
    await expect.poll(() => confirm.count()).toBe(0);

    const signed = panel.getByTestId('signed-prescription');
    await expect
      .poll(() => signed.innerText())
      .toMatch(
        /Active[\s\S]*Signed[\s\S]*Warfarin 5mg tablet[\s\S]*once a day[\s\S]*30 tablets[\s\S]*Prendre 1 comprimé[\s\S]*Overrides[\s\S]*INR checked weekly; ibuprofen stopped today/,
      );
    const download = page.waitForEvent('download');
    await signed.getByRole('button', { name: 'Download PDF' }).click();
    const pdf = await download;
    expect(pdf.suggestedFilename()).toMatch(/^prescription-\d{4}-\d{2}-\d{2}\.pdf$/);
    await checkA11y(page, 'medications, prescription signed');
    await shot(page, 'doctor-prescription-signed');

    // the chart: warfarin is now a current medication, and the prescriptions tab lists it as active
    await page.goto(`/patients/${consult.patientId}/chart`);
    await expect
      .poll(() => card.innerText())
      .toMatch(/Warfarin 5mg tablet[\s\S]*Prescribed[\s\S]*Ibuprofen 400mg tablet[\s\S]*Last reconciled .+ by /);
    await page.getByRole('tab', { name: 'Prescriptions' }).click();
    const table = page.getByTestId('prescriptions-table');
    await expect.poll(() => table.innerText()).toMatch(/Warfarin 5mg tablet[\s\S]*once a day[\s\S]*30 days[\s\S]*Active/);
    await checkA11y(page, 'medications, prescriptions tab');
    await shot(page, 'doctor-prescriptions-tab');
  });

  it('signs after the server refused with 409 MEDICATION_ALERTS: a nurse recorded the ibuprofen while the prescription was being written', async () => {
    const desk = await tokenOf('receptionist@sanita.test');
    const patient = await api<{ id: string }>('POST', '/api/patients', desk, {
      givenName: 'Béatrice',
      familyName: 'Ilunga',
      sex: 'female',
      birthDate: '1971-09-14',
      allowDuplicate: true,
    });
    const doctor = await tokenOf('doctor@sanita.test');
    const encounter = await api<{ id: string }>('POST', '/api/encounters', doctor, {
      patientId: patient.id,
      reason: 'Palpitations',
    });

    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');
    await page.goto(`/encounters/${encounter.id}`);
    const panel = page.getByTestId('prescribe-panel');
    await expect.poll(() => panel.innerText()).toMatch(/against 0 current medication/);
    await panel.getByRole('textbox', { name: 'Add a medication' }).fill('warfarin 1mg');
    await panel.getByRole('option', { name: /Warfarin 1mg tablet/ }).click();
    const item = panel.getByTestId('rx-item');
    await item.waitFor();
    expect(await item.getByTestId('item-alerts').count()).toBe(0);

    // meanwhile, the nurse records what the patient takes
    const nurse = await tokenOf('nurse@sanita.test');
    const ibuprofen = await api<{ data: { id: string; name: string }[] }>(
      'GET',
      '/api/formulary?q=ibuprofen%20400&limit=1',
      nurse,
    );
    await api('POST', `/api/patients/${patient.id}/reported-medications`, nurse, {
      formularyItemId: ibuprofen.data[0]!.id,
      name: ibuprofen.data[0]!.name,
    });

    await panel.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByRole('dialog', { name: 'Sign this prescription?' }).getByRole('button', { name: 'Sign' }).click();
    // the server's alert under its medication, as the checks in the page show theirs; Sign waits for a reason
    await expect.poll(() => panel.getByTestId('rx-status').innerText()).toMatch(/blocking safety alerts have no reason yet/);
    await expect
      .poll(() => item.getByTestId('alert-interaction').innerText())
      .toMatch(/Warfarin 1mg tablet \+ Ibuprofen 400mg tablet/);
    expect(await panel.getByRole('button', { name: 'Sign', exact: true }).isDisabled()).toBe(true);
    await checkA11y(page, 'medications, server alerts after 409');

    await item.getByLabel('Reason for going ahead').fill('Ibuprofen stopped today, INR on Friday');
    await panel.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByRole('dialog', { name: 'Sign this prescription?' }).getByRole('button', { name: 'Sign' }).click();
    await expect
      .poll(() => panel.getByTestId('signed-prescription').innerText())
      .toMatch(/Active[\s\S]*Warfarin 1mg tablet[\s\S]*Ibuprofen stopped today, INR on Friday/);
  });

  it('approves a refill the patient asked for from the portal, on the home page', async () => {
    const patientToken = await tokenOf('patient@sanita.test');
    const me = await api<{ patientId: string }>('GET', '/api/auth/me', patientToken);
    const doctor = await tokenOf('doctor@sanita.test');
    const encounter = await api<{ id: string }>('POST', '/api/encounters', doctor, {
      patientId: me.patientId,
      reason: 'Hypertension',
    });
    const amlodipine = await api<{ data: { id: string }[] }>('GET', '/api/formulary?q=amlodipine&limit=1', doctor);
    const draft = await api<{ id: string; version: number }>('POST', `/api/encounters/${encounter.id}/prescriptions`, doctor, {
      items: [
        {
          formularyItemId: amlodipine.data[0]!.id,
          dose: { amount: 1, unit: 'tablet' },
          frequency: { kind: 'times_per_day', times: 1, asNeeded: false },
          durationDays: 30,
          quantity: 30,
          quantityUnit: 'tablet',
        },
      ],
    });
    await api('POST', `/api/prescriptions/${draft.id}/sign`, doctor, { version: draft.version });
    await api('POST', `/api/portal/prescriptions/${draft.id}/refill-requests`, patientToken, { note: 'Almost out of tablets' });

    const page = await newPage(browser);
    await signIn(page, 'doctor@sanita.test');
    const panel = page.getByTestId('home-refills');
    const row = panel.getByRole('listitem').filter({ hasText: 'Almost out of tablets' });
    await expect.poll(() => row.innerText()).toMatch(/Amlodipine[\s\S]*Almost out of tablets/);
    await checkA11y(page, 'medications, refill requests on the home page');
    await row.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve this refill' });
    await dialog.getByLabel('Note to the patient (optional)').fill('Blood pressure check in a month');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => row.count()).toBe(0);
    const list = await api<{ data: { status: string; renewsId: string | null }[] }>(
      'GET',
      `/api/patients/${me.patientId}/prescriptions`,
      doctor,
    );
    expect(list.data.find((p) => p.renewsId === draft.id)?.status).toBe('active');
  });
});

describe('administrator', () => {
  it('edits a formulary item with a reason (its history shows it) and sets the clinic’s brand name, price and stock list', async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin@sanita.test');
    await page.getByRole('link', { name: 'Formulary' }).click();
    await expect.poll(() => page.url()).toMatch(/\/admin\/formulary$/);
    await page.getByLabel('Search the formulary').fill('amoxicillin tablet 500');
    const table = page.getByTestId('formulary-table');
    const row = table.getByRole('row').filter({ hasText: 'Amoxicillin tablet, 500mg' });
    await row.waitFor();
    await checkA11y(page, 'formulary page');

    await row.getByRole('button', { name: 'Edit Amoxicillin tablet, 500mg' }).click();
    const drawer = page.getByRole('dialog', { name: 'Edit Amoxicillin tablet, 500mg' });
    await drawer.getByLabel('Brand names').fill('Clamoxyl, Amoxil');
    await drawer.getByLabel('Price').fill('1250.00');
    await drawer.getByLabel('Currency').fill('CDF');
    await drawer.getByLabel('On this clinic’s stock list').check();
    await drawer.getByRole('button', { name: 'Save for this clinic' }).click();
    await expect.poll(() => row.innerText()).toMatch(/Clamoxyl, Amoxil[\s\S]*1250\.00 CDF[\s\S]*Stock list/);

    await drawer.getByLabel('Therapeutic class').fill('Penicillins (first line)');
    await drawer.getByLabel('Reason for the change').fill('Clinic naming of the class');
    await drawer.getByRole('button', { name: 'Save item' }).click();
    await expect
      .poll(() => drawer.getByRole('region', { name: 'History' }).innerText())
      .toMatch(
        /Updated[\s\S]*Alain Mputu[\s\S]*Therapeutic class: .* → Penicillins \(first line\)[\s\S]*Clinic naming of the class/,
      );
    await checkA11y(page, 'formulary item edited, its history');
    await shot(page, 'admin-formulary-edit');
  });
});
