import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, checkA11y, demoPassword, launch, newPage, shot, signIn } from './browser.ts';

let browser: Browser;
/** A walk-in of this journey, waiting at Kinshasa's Consultation 1. */
const walkIn = { patientId: '', mrn: '', code: '', servicePointId: '' };

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> {
  const c = new pg.Client({ connectionString: inject('databaseUrl') });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  browser = await launch();
  // the front desk registers a patient and sends them to the doctor's room
  const { accessToken } = await api<{ accessToken: string }>('POST', '/api/auth/login', null, {
    email: 'receptionist@sanita.test',
    password: demoPassword(),
  });
  const patient = await api<{ id: string; mrn: string }>('POST', '/api/patients', accessToken, {
    givenName: 'Bienvenu',
    familyName: 'Kasongo',
    sex: 'male',
    birthDate: '1979-07-21',
    allowDuplicate: true,
  });
  const points = await api<{ data: { id: string; code: string }[] }>('GET', '/api/service-points', accessToken);
  const consult = points.data.find((s) => s.code === 'CONSULT1')!;
  const visit = await api<{ ticket: { code: string } }>('POST', '/api/visits/walk-in', accessToken, {
    patientId: patient.id,
    servicePointId: consult.id,
    priority: 'normal',
  });
  Object.assign(walkIn, { patientId: patient.id, mrn: patient.mrn, code: visit.ticket.code, servicePointId: consult.id });
});
afterAll(async () => {
  await browser.close();
});

describe('doctor', () => {
  it('calls a patient from the queue, starts the consultation in one click, and sees them in consultation on their day', async () => {
    const page = await newPage(browser);
    await page.goto('/login');
    await page.getByLabel('Email').fill('doctor@sanita.test');
    await page.getByLabel('Password', { exact: true }).fill(demoPassword());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.url()).not.toContain('/login');

    // the day is one click from home
    await page.getByRole('link', { name: 'My patients today', exact: true }).first().click();
    await expect.poll(() => page.url()).toMatch(/\/today$/);
    await page.getByRole('heading', { level: 1, name: 'My patients today' }).waitFor();
    await checkA11y(page, 'my patients today');
    await shot(page, 'doctor-today-before');

    // the doctor's room: call the walk-in, then start the consultation from the called row
    await page.goto('/queue');
    await page.getByRole('textbox', { name: 'Service point' }).click();
    await page.getByRole('option', { name: 'Consultation 1' }).click();
    await page.getByRole('button', { name: `Call ${walkIn.code}` }).click();
    const start = page.getByRole('button', { name: `Start consultation for ${walkIn.code}` });
    await start.waitFor();
    await checkA11y(page, 'queue with a called patient');
    await shot(page, 'doctor-queue-called');
    await start.click();

    // the consultation page (the notes feature's) opens on the new encounter
    await expect.poll(() => page.url()).toMatch(/\/encounters\/[0-9a-f-]{36}$/);
    const encounterId = /\/encounters\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    const [encounter] = await query<{ status: string; patient_id: string; ticket_status: string; practitioner: string | null }>(
      `SELECT e.status, e.patient_id, t.status AS ticket_status, pr.display_name AS practitioner
       FROM encounters e JOIN queue_tickets t ON t.id = e.ticket_id LEFT JOIN practitioners pr ON pr.id = e.practitioner_id
       WHERE e.id = $1`,
      [encounterId],
    );
    expect(encounter).toEqual({
      status: 'in_progress',
      patient_id: walkIn.patientId,
      ticket_status: 'in_service',
      practitioner: 'Dr Amani Mukendi',
    });

    // their day lists the patient in consultation, with the way back into it
    await page.goto('/today');
    const row = page.getByTestId(`today-${walkIn.mrn}`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('in_consultation');
    expect(await row.innerText()).toMatch(/Bienvenu Kasongo[\s\S]*In consultation[\s\S]*Resume consultation/);
    expect(await row.getByRole('link', { name: 'Resume consultation' }).getAttribute('href')).toBe(`/encounters/${encounterId}`);
    await checkA11y(page, 'my patients today, one in consultation');
    await shot(page, 'doctor-today-in-consultation');

    // the same list on the home page
    await page.goto('/');
    const panel = page.getByTestId('home-today');
    await expect.poll(() => panel.getByTestId(`today-${walkIn.mrn}`).getAttribute('data-state')).toBe('in_consultation');
    await checkA11y(page, 'home with the day panel');
    await shot(page, 'doctor-home-today');

    // the patient's chart lists the encounter, in its tab and on the summary
    await page.goto(`/patients/${walkIn.patientId}/chart`);
    const card = page.getByTestId('summary-encounters');
    await expect.poll(() => card.innerText()).toMatch(/Outpatient[\s\S]*In progress/);
    await page.getByRole('tab', { name: 'Encounters' }).click();
    await expect.poll(() => page.url()).toMatch(/\/chart\/encounters$/);
    const table = page.getByTestId('encounters-table');
    await expect.poll(() => table.innerText()).toMatch(/Outpatient[\s\S]*Dr Amani Mukendi[\s\S]*In progress/);
    await checkA11y(page, 'chart, encounters tab');
    await shot(page, 'doctor-chart-encounters');
  });
});

describe('nurse', () => {
  it('at triage, calls a walk-in, records their vitals from the queue and sends them to consultation with a note', async () => {
    const { accessToken } = await api<{ accessToken: string }>('POST', '/api/auth/login', null, {
      email: 'receptionist@sanita.test',
      password: demoPassword(),
    });
    const patient = await api<{ id: string }>('POST', '/api/patients', accessToken, {
      givenName: 'Odette',
      familyName: 'Lunda',
      sex: 'female',
      birthDate: '1988-02-14',
      allowDuplicate: true,
    });
    const points = await api<{ data: { id: string; code: string }[] }>('GET', '/api/service-points', accessToken);
    const triage = points.data.find((s) => s.code === 'TRIAGE')!;
    const { ticket } = await api<{ ticket: { code: string } }>('POST', '/api/visits/walk-in', accessToken, {
      patientId: patient.id,
      servicePointId: triage.id,
      priority: 'normal',
    });

    const page = await newPage(browser);
    await signIn(page, 'nurse@sanita.test');
    await page.goto(`/queue?sp=${triage.id}`);
    await page.getByRole('button', { name: `Call ${ticket.code}` }).click();
    await page.getByRole('button', { name: `Record vitals for ${ticket.code}` }).click();
    const dialog = page.getByRole('dialog', { name: `Vitals · Odette Lunda (${ticket.code})` });
    const form = dialog.getByTestId('vitals-form');
    await form.getByLabel('Respiration (/min)').fill('18');
    await form.getByLabel('SpO₂ (%)').fill('97');
    await form.getByLabel('Systolic (mmHg)').fill('128');
    await form.getByLabel('Diastolic (mmHg)').fill('82');
    await form.getByLabel('Pulse (/min)').fill('88');
    await form.getByLabel('Consciousness (ACVPU)').selectOption('A');
    await form.getByLabel('Temperature (°C)').fill('37.9');
    await checkA11y(page, 'vitals from the triage queue');
    await shot(page, 'nurse-triage-vitals');
    await form.getByLabel('Temperature (°C)').press('Enter');
    // recorded: the dialog closes and the set is in the patient's chart
    await dialog.waitFor({ state: 'hidden' });
    const [set] = await query<{ systolic: number; temperature: string }>(
      'SELECT systolic, temperature::text AS temperature FROM vitals WHERE patient_id = $1',
      [patient.id],
    );
    expect(set).toEqual({ systolic: 128, temperature: '37.9' });

    // then on to the doctor's room, with what triage found
    await page.getByRole('button', { name: `More actions for ${ticket.code}` }).click();
    await page.getByRole('menuitem', { name: 'Transfer' }).click();
    const transfer = page.getByRole('dialog', { name: `Transfer ${ticket.code}` });
    await transfer.getByRole('textbox', { name: 'Send to' }).click();
    await page.getByRole('option', { name: /Consultation 1/ }).click();
    await transfer.getByLabel('Note for the next service point').fill('Fever 37.9 since yesterday');
    await transfer.getByRole('button', { name: 'Transfer' }).click();
    await transfer.waitFor({ state: 'hidden' });
    const [next] = await query<{ code: string; note: string }>(
      `SELECT t.code, t.note FROM queue_tickets t JOIN service_points sp ON sp.id = t.service_point_id
        WHERE t.patient_id = $1 AND sp.code = 'CONSULT1'`,
      [patient.id],
    );
    expect(next?.note).toBe('Fever 37.9 since yesterday');
  });
});
