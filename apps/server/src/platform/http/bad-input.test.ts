import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';
import { operations, type JsonSchema, type Operation } from '../../../test/operations.ts';
import { multipartBody, tinyPdf } from '../../../test/multipart.ts';
import { signedPrescription } from '../../modules/pharmacy/pharmacy.fixtures.ts';

/**
 * Bad input on every route that takes a body, a query or a path parameter, driven by the
 * OpenAPI document (the same schemas the validator uses): a 4xx naming the field, never a 5xx,
 * and nothing half-written.
 */

let ctx: TestContext;
let admin: Session;
let ops: Operation[];
const anyUuid = '00000000-0000-4000-8000-000000000000';

// The operations are read from the app, which exists only once beforeAll has run; the list of
// route keys below is checked against it so that a new route cannot slip past this file.
const BODY_ROUTES = [
  'PUT /api/encounters/{id}/note',
  'POST /api/encounters/{id}/note/sign',
  'POST /api/encounters/{id}/note/addenda',
  'POST /api/note-shortcuts',
  'PUT /api/note-shortcuts/{id}',
  'PATCH /api/documents/{id}',
  'POST /api/auth/login',
  'POST /api/auth/password',
  'POST /api/auth/password/forgot',
  'POST /api/auth/password/reset',
  'POST /api/auth/2fa/enable',
  'POST /api/auth/2fa/disable',
  'POST /api/auth/register',
  'POST /api/auth/verify-email',
  'POST /api/auth/invitations/accept',
  'POST /api/patients',
  'PATCH /api/patients/{id}',
  'POST /api/patients/{id}/merge',
  'POST /api/admin/users',
  'PATCH /api/admin/users/{id}',
  'PUT /api/admin/users/{id}/memberships',
  'PUT /api/admin/roles/{id}',
  'POST /api/specialties',
  'PATCH /api/specialties/{id}',
  'POST /api/visit-types',
  'PATCH /api/visit-types/{id}',
  'POST /api/practitioners',
  'PATCH /api/practitioners/{id}',
  'PUT /api/practitioners/{id}/templates',
  'POST /api/availability/exceptions',
  'POST /api/service-points',
  'PATCH /api/service-points/{id}',
  'POST /api/visits/walk-in',
  'POST /api/appointments/{id}/check-in',
  'POST /api/queue/call-next',
  'POST /api/queue/tickets/{id}/call',
  'POST /api/queue/tickets/{id}/transfer',
  'POST /api/display-tokens',
  'POST /api/appointments',
  'POST /api/appointments/{id}/confirm',
  'POST /api/appointments/{id}/cancel',
  'POST /api/appointments/{id}/reschedule',
  'POST /api/appointments/{id}/status',
  'POST /api/waitlist',
  'POST /api/portal/appointments',
  'POST /api/portal/appointments/{id}/cancel',
  'POST /api/portal/appointments/{id}/reschedule',
  'POST /api/patients/{patientId}/vitals',
  'POST /api/encounters',
  'POST /api/encounters/{id}/finish',
  'POST /api/encounters/{id}/cancel',
  'POST /api/news2-alerts/{id}/acknowledge',
  'PUT /api/news2-alerts/settings',
  'POST /api/patients/{patientId}/problems',
  'PATCH /api/patients/{patientId}/problems/{id}',
  'POST /api/patients/{patientId}/allergies',
  'PATCH /api/patients/{patientId}/allergies/{id}',
  'POST /api/patients/{patientId}/history',
  'PATCH /api/patients/{patientId}/history/{id}',
  'POST /api/patients/{patientId}/letters',
  'POST /api/letters/{id}/revoke',
  'POST /api/encounters/{id}/visit-summary',
  'POST /api/patients/{patientId}/immunizations',
  'PATCH /api/patients/{patientId}/immunizations/{id}',
  'POST /api/patients/{patientId}/immunizations/{id}/entered-in-error',
  'POST /api/inventory/items',
  'PATCH /api/inventory/items/{id}',
  'PUT /api/inventory/items/{id}/settings',
  'POST /api/inventory/lots',
  'POST /api/inventory/lots/{id}/adjust',
  'POST /api/inventory/lots/{id}/destroy',
  'POST /api/inventory/lots/{id}/return',
  'POST /api/inventory/lots/{id}/recall',
  'POST /api/inventory/transfers',
  'POST /api/inventory/stock-takes',
  'POST /api/inventory/reservations',
  'POST /api/pharmacy/prescriptions/{prescriptionId}/dispenses',
  'POST /api/formulary',
  'PATCH /api/formulary/{id}',
  'PUT /api/formulary/{id}/clinic',
  // lab catalogue
  'POST /api/lab/tests',
  'PATCH /api/lab/tests/{testId}',
  'PUT /api/lab/tests/{testId}/price',
  'PUT /api/lab/settings',
  'POST /api/encounters/{id}/prescriptions',
  'PUT /api/prescriptions/{id}',
  'POST /api/prescriptions/{id}/sign',
  'POST /api/prescriptions/{id}/cancel',
  'POST /api/patients/{patientId}/reported-medications',
  'POST /api/patients/{patientId}/reported-medications/{id}/stop',
  'POST /api/patients/{patientId}/medication-checks',
  'PUT /api/encounters/{id}/medication-reconciliation',
  'POST /api/prescription-favourites',
  'PATCH /api/prescription-favourites/{id}',
  'POST /api/refill-requests/{id}/approve',
  'POST /api/refill-requests/{id}/decline',
  'POST /api/portal/prescriptions/{id}/refill-requests',
  'POST /api/hl7/unmatched/{id}/resolve',
  // lab orders and results
  'POST /api/patients/{patientId}/lab-orders',
  'POST /api/lab/orders/{orderId}/cancel',
  'POST /api/lab/orders/{orderId}/collect',
  'POST /api/lab/orders/{orderId}/receive',
  'POST /api/lab/orders/{orderId}/results',
  'POST /api/lab/orders/{orderId}/verify',
  'POST /api/lab/orders/{orderId}/release',
  'POST /api/lab/alerts/{alertId}/acknowledge',
  'POST /api/lab/results/{resultId}/portal-hold',
  'POST /api/lab/orders/{orderId}/documents',
  // billing
  'POST /api/billing/prices',
  'PATCH /api/billing/prices/{id}',
  'POST /api/billing/tax-rates',
  'PATCH /api/billing/settings',
  'POST /api/billing/invoices',
  'POST /api/billing/invoices/{id}/lines',
  'PATCH /api/billing/invoices/{id}/lines/{lineId}',
  'POST /api/billing/invoices/{id}/issue',
  'POST /api/billing/invoices/{id}/discounts',
  'POST /api/billing/invoices/{id}/discounts/{discountId}/decision',
  'POST /api/billing/invoices/{id}/void',
  'POST /api/billing/invoices/{id}/credit-notes',
  // payments and the cashier
  'POST /api/payments/exchange-rates',
  'POST /api/payments',
  'POST /api/payments/{id}/apply',
  'POST /api/payments/{id}/refunds',
  'POST /api/cashier/sessions',
  'POST /api/cashier/sessions/{id}/close',
  'POST /api/cashier/sessions/{id}/reopen',
  'POST /api/payment-plans',
  // insurance and claims
  'POST /api/payers',
  'PATCH /api/payers/{id}',
  'POST /api/payers/{id}/plans',
  'POST /api/payers/{id}/members',
  'PATCH /api/plans/{id}',
  'POST /api/patients/{patientId}/coverages',
  'PATCH /api/coverages/{id}',
  'POST /api/claims',
  'POST /api/claims/preview',
  'POST /api/claims/{id}/attachments',
  'POST /api/claims/{id}/submit',
  'POST /api/claims/{id}/review',
  'POST /api/claims/{id}/decision',
  'POST /api/claims/{id}/notes',
  'POST /api/claims/{id}/paid',
  'POST /api/claims/{id}/resubmit',
];
/** bodies whose every field is optional, where an empty body is a complete request */
const OPTIONAL_BODY_ROUTES = [
  'POST /api/queue/tickets/{id}/call',
  'POST /api/appointments/{id}/confirm',
  'POST /api/portal/appointments/{id}/cancel',
  'POST /api/news2-alerts/{id}/acknowledge',
  'POST /api/encounters/{id}/visit-summary',
  'POST /api/patients/{patientId}/reported-medications/{id}/stop',
  'PUT /api/encounters/{id}/medication-reconciliation',
  'POST /api/refill-requests/{id}/approve',
  'POST /api/portal/prescriptions/{id}/refill-requests',
  'POST /api/hl7/unmatched/{id}/resolve',
  // lab orders and results
  'POST /api/lab/alerts/{alertId}/acknowledge',
  // billing
  'PATCH /api/billing/settings',
];
const QUERY_ROUTES = [
  'GET /api/patients/{patientId}/notes',
  'GET /api/patients/{patientId}/documents',
  'GET /api/documents/{id}/content',
  'GET /api/portal/documents',
  'GET /api/portal/documents/{id}/content',
  'GET /api/patients',
  'GET /api/patients/duplicates',
  'GET /api/patients/{id}/access-log',
  'GET /api/portal/access-log',
  'GET /api/admin/users',
  'GET /api/admin/audit',
  'GET /api/practitioners',
  'GET /api/practitioners/{id}/availability',
  'GET /api/practitioners/{id}/slots',
  'GET /api/availability/exceptions',
  'GET /api/queue',
  'GET /api/appointments',
  'GET /api/waitlist',
  'GET /api/patients/{patientId}/vitals',
  'GET /api/news2-alerts',
  'GET /api/patients/{patientId}/encounters',
  'GET /api/patients/{patientId}/news2-alerts',
  'GET /api/terminology/icd10',
  'GET /api/terminology/cvx',
  'GET /api/patients/{patientId}/timeline',
  'GET /api/portal/visits',
  'GET /api/portal/vitals',
  'GET /api/inventory/items',
  'GET /api/inventory/items/{id}/movements',
  'GET /api/inventory/stock',
  'GET /api/inventory/alerts/expiry',
  'GET /api/pharmacy/worklist',
  'GET /api/formulary',
  'GET /api/patients/{patientId}/prescriptions',
  'GET /api/lab/tests',
  'GET /api/refill-requests',
  'GET /api/hl7/messages',
  'GET /api/hl7/unmatched',
  // lab orders and results
  'GET /api/patients/{patientId}/lab-orders',
  'GET /api/lab/worklist',
  'GET /api/lab/worklist/counts',
  'GET /api/lab/alerts',
  'GET /api/patients/{patientId}/lab-results/table',
  'GET /api/patients/{patientId}/lab-results/trend',
  // billing
  'GET /api/billing/prices',
  'GET /api/billing/invoices',
  'DELETE /api/billing/invoices/{id}/lines/{lineId}',
  // payments and the cashier
  'GET /api/payments/exchange-rates',
  'GET /api/payments',
  'GET /api/cashier/sessions',
  'GET /api/payment-plans',
  'GET /api/billing-reports/revenue',
  'GET /api/billing-reports/aging',
  // insurance and claims
  'GET /api/claims',
  'GET /api/patients/{patientId}/eligibility',
];
const PATH_ROUTES = [
  'GET /api/encounters/{id}/note',
  'PUT /api/encounters/{id}/note',
  'POST /api/encounters/{id}/note/sign',
  'POST /api/encounters/{id}/note/addenda',
  'GET /api/encounters/{id}/note/history',
  'GET /api/patients/{patientId}/notes',
  'PUT /api/note-shortcuts/{id}',
  'DELETE /api/note-shortcuts/{id}',
  'POST /api/patients/{patientId}/documents',
  'GET /api/patients/{patientId}/documents',
  'GET /api/documents/{id}',
  'GET /api/documents/{id}/content',
  'PATCH /api/documents/{id}',
  'GET /api/portal/documents/{id}/content',
  'DELETE /api/auth/sessions/{id}',
  'GET /api/patients/{id}',
  'PATCH /api/patients/{id}',
  'POST /api/patients/{id}/merge',
  'GET /api/patients/{id}/access-log',
  'GET /api/admin/users/{id}',
  'PATCH /api/admin/users/{id}',
  'PUT /api/admin/users/{id}/memberships',
  'POST /api/admin/users/{id}/unlock',
  'POST /api/admin/users/{id}/invitation',
  'PUT /api/admin/roles/{id}',
  'PATCH /api/specialties/{id}',
  'PATCH /api/visit-types/{id}',
  'GET /api/practitioners/{id}',
  'PATCH /api/practitioners/{id}',
  'POST /api/practitioners/{id}/ical-token',
  'GET /api/practitioners/{id}/availability',
  'PUT /api/practitioners/{id}/templates',
  'DELETE /api/availability/exceptions/{id}',
  'GET /api/practitioners/{id}/slots',
  'PATCH /api/service-points/{id}',
  'POST /api/appointments/{id}/check-in',
  'POST /api/queue/tickets/{id}/call',
  'POST /api/queue/tickets/{id}/start',
  'POST /api/queue/tickets/{id}/done',
  'POST /api/queue/tickets/{id}/skip',
  'POST /api/queue/tickets/{id}/requeue',
  'POST /api/queue/tickets/{id}/transfer',
  'POST /api/display-tokens/{id}/revoke',
  'GET /api/appointments/{id}',
  'POST /api/appointments/{id}/confirm',
  'POST /api/appointments/{id}/cancel',
  'POST /api/appointments/{id}/reschedule',
  'POST /api/appointments/{id}/status',
  'POST /api/waitlist/{id}/cancel',
  'POST /api/waitlist/{id}/accept',
  'POST /api/waitlist/{id}/decline',
  'POST /api/portal/appointments/{id}/cancel',
  'POST /api/portal/appointments/{id}/reschedule',
  'POST /api/portal/waitlist/{id}/accept',
  'POST /api/portal/waitlist/{id}/decline',
  'GET /api/patients/{patientId}/vitals',
  'POST /api/patients/{patientId}/vitals',
  'GET /api/encounters/{id}',
  'POST /api/encounters/{id}/finish',
  'POST /api/encounters/{id}/cancel',
  'GET /api/patients/{patientId}/encounters',
  'POST /api/news2-alerts/{id}/acknowledge',
  'GET /api/patients/{patientId}/news2-alerts',
  'GET /api/patients/{patientId}/problems',
  'POST /api/patients/{patientId}/problems',
  'PATCH /api/patients/{patientId}/problems/{id}',
  'GET /api/patients/{patientId}/problems/{id}/revisions',
  'GET /api/patients/{patientId}/allergies',
  'POST /api/patients/{patientId}/allergies',
  'POST /api/patients/{patientId}/allergies/no-known',
  'PATCH /api/patients/{patientId}/allergies/{id}',
  'GET /api/patients/{patientId}/allergies/{id}/revisions',
  'GET /api/patients/{patientId}/history',
  'POST /api/patients/{patientId}/history',
  'PATCH /api/patients/{patientId}/history/{id}',
  'GET /api/patients/{patientId}/history/{id}/revisions',
  'GET /api/patients/{patientId}/letters',
  'GET /api/patients/{patientId}/timeline',
  'POST /api/patients/{patientId}/letters',
  'GET /api/letters/{id}/pdf',
  'POST /api/letters/{id}/revoke',
  'POST /api/encounters/{id}/visit-summary',
  'GET /api/portal/visits/{encounterId}/summary.pdf',
  'GET /api/portal/visits/{encounterId}',
  'GET /api/patients/{patientId}/immunizations',
  'POST /api/patients/{patientId}/immunizations',
  'PATCH /api/patients/{patientId}/immunizations/{id}',
  'POST /api/patients/{patientId}/immunizations/{id}/entered-in-error',
  'GET /api/inventory/items/{id}',
  'PATCH /api/inventory/items/{id}',
  'PUT /api/inventory/items/{id}/settings',
  'GET /api/inventory/items/{id}/lots',
  'GET /api/inventory/items/{id}/movements',
  'POST /api/inventory/lots/{id}/adjust',
  'POST /api/inventory/lots/{id}/destroy',
  'POST /api/inventory/lots/{id}/return',
  'POST /api/inventory/lots/{id}/recall',
  'DELETE /api/inventory/reservations/{id}',
  'GET /api/pharmacy/prescriptions/{prescriptionId}',
  'GET /api/pharmacy/prescriptions/{prescriptionId}/dispenses',
  'POST /api/pharmacy/prescriptions/{prescriptionId}/dispenses',
  'GET /api/pharmacy/dispenses/{id}/label.pdf',
  'GET /api/formulary/{id}',
  'GET /api/formulary/{id}/revisions',
  'PATCH /api/formulary/{id}',
  'PUT /api/formulary/{id}/clinic',
  // lab catalogue
  'GET /api/lab/tests/{testId}',
  'GET /api/lab/tests/{testId}/revisions',
  'PATCH /api/lab/tests/{testId}',
  'PUT /api/lab/tests/{testId}/price',
  'POST /api/encounters/{id}/prescriptions',
  'POST /api/encounters/{id}/prescriptions/repeat-last',
  'GET /api/prescriptions/{id}',
  'PUT /api/prescriptions/{id}',
  'POST /api/prescriptions/{id}/sign',
  'POST /api/prescriptions/{id}/cancel',
  'GET /api/prescriptions/{id}/pdf',
  'GET /api/patients/{patientId}/prescriptions',
  'GET /api/patients/{patientId}/current-medications',
  'GET /api/patients/{patientId}/reported-medications',
  'POST /api/patients/{patientId}/reported-medications',
  'POST /api/patients/{patientId}/reported-medications/{id}/stop',
  'POST /api/patients/{patientId}/medication-checks',
  'GET /api/encounters/{id}/medication-reconciliation',
  'PUT /api/encounters/{id}/medication-reconciliation',
  'PATCH /api/prescription-favourites/{id}',
  'DELETE /api/prescription-favourites/{id}',
  'POST /api/refill-requests/{id}/approve',
  'POST /api/refill-requests/{id}/decline',
  'POST /api/portal/prescriptions/{id}/refill-requests',
  'GET /api/hl7/messages/{id}',
  'POST /api/hl7/messages/{id}/replay',
  'POST /api/hl7/unmatched/{id}/resolve',
  // lab orders and results
  'POST /api/patients/{patientId}/lab-orders',
  'GET /api/patients/{patientId}/lab-orders',
  'GET /api/lab/orders/{orderId}',
  'POST /api/lab/orders/{orderId}/cancel',
  'POST /api/lab/orders/{orderId}/collect',
  'GET /api/lab/orders/{orderId}/labels.pdf',
  'POST /api/lab/orders/{orderId}/receive',
  'POST /api/lab/orders/{orderId}/results',
  'POST /api/lab/orders/{orderId}/verify',
  'POST /api/lab/orders/{orderId}/release',
  'POST /api/lab/alerts/{alertId}/acknowledge',
  'POST /api/lab/results/{resultId}/portal-hold',
  'GET /api/lab/orders/{orderId}/report.pdf',
  'POST /api/lab/orders/{orderId}/documents',
  'GET /api/patients/{patientId}/lab-results/table',
  'GET /api/patients/{patientId}/lab-results/trend',
  // billing
  'PATCH /api/billing/prices/{id}',
  'GET /api/billing/invoices/{id}',
  'GET /api/billing/invoices/{id}/pdf',
  'POST /api/billing/invoices/{id}/lines',
  'PATCH /api/billing/invoices/{id}/lines/{lineId}',
  'DELETE /api/billing/invoices/{id}/lines/{lineId}',
  'POST /api/billing/invoices/{id}/issue',
  'POST /api/billing/invoices/{id}/discounts',
  'POST /api/billing/invoices/{id}/discounts/{discountId}/decision',
  'POST /api/billing/invoices/{id}/void',
  'POST /api/billing/invoices/{id}/credit-notes',
  // payments and the cashier
  'GET /api/payments/{id}',
  'GET /api/payments/{id}/receipt',
  'POST /api/payments/{id}/apply',
  'POST /api/payments/{id}/refunds',
  'GET /api/cashier/sessions/{id}',
  'POST /api/cashier/sessions/{id}/close',
  'POST /api/cashier/sessions/{id}/reopen',
  'GET /api/portal/invoices/{id}',
  'GET /api/portal/payments/{id}/receipt',
  // insurance and claims
  'GET /api/payers/{id}',
  'PATCH /api/payers/{id}',
  'GET /api/payers/{id}/plans',
  'POST /api/payers/{id}/plans',
  'POST /api/payers/{id}/members',
  'GET /api/plans/{id}',
  'PATCH /api/plans/{id}',
  'GET /api/patients/{patientId}/coverages',
  'POST /api/patients/{patientId}/coverages',
  'PATCH /api/coverages/{id}',
  'GET /api/patients/{patientId}/eligibility',
  'GET /api/claims/{id}',
  'GET /api/claims/{id}/documents',
  'POST /api/claims/{id}/attachments',
  'POST /api/claims/{id}/submit',
  'POST /api/claims/{id}/review',
  'POST /api/claims/{id}/decision',
  'POST /api/claims/{id}/notes',
  'POST /api/claims/{id}/paid',
  'POST /api/claims/{id}/resubmit',
];
/** path parameters other than an id: a secret token or a printed code, and a well-formed one that matches nothing */
const TOKEN_PATHS: Record<string, { param: string; unknown: string }> = {
  'GET /api/ical/{token}.ics': { param: 'token', unknown: 'a'.repeat(43) },
  'GET /api/verify/{code}': { param: 'code', unknown: 'ZZZZ-ZZZZ-ZZZZ' },
};
const TOKEN_PATH_ROUTES = Object.keys(TOKEN_PATHS);

const TABLES = [
  'notes',
  'note_addenda',
  'note_revisions',
  'diagnoses',
  'note_shortcuts',
  'patient_documents',
  'patients',
  'patient_clinics',
  'users',
  'memberships',
  'role_permissions',
  'email_tokens',
  'specialties',
  'visit_types',
  'practitioners',
  'availability_templates',
  'availability_exceptions',
  'service_points',
  'visits',
  'queue_tickets',
  'queue_counters',
  'display_tokens',
  'appointments',
  'appointment_reminders',
  'waitlist_entries',
  'waitlist_offers',
  'vitals',
  'encounters',
  'problems',
  'allergies',
  'allergy_statements',
  'history_entries',
  'history_revisions',
  'news2_alerts',
  'news2_settings',
  'letters',
  'immunizations',
  'immunization_revisions',
  'inventory_items',
  'inventory_item_settings',
  'inventory_lots',
  'inventory_movements',
  'inventory_reservations',
  'inventory_stock_takes',
  'dispenses',
  'dispense_lines',
  'formulary_items',
  'clinic_formulary',
  'lab_tests',
  'lab_panel_members',
  'lab_test_revisions',
  'lab_test_prices',
  'lab_settings',
  'prescriptions',
  'prescription_items',
  'reported_medications',
  'prescription_favourites',
  'refill_requests',
  'hl7_messages',
  'hl7_code_mappings',
  'hl7_patient_links',
  // lab orders and results
  'lab_orders',
  'lab_order_items',
  'lab_specimens',
  'lab_results',
  'lab_critical_alerts',
  'lab_order_documents',
  // billing
  'price_items',
  'tax_rates',
  'billing_settings',
  'invoices',
  'invoice_lines',
  'invoice_discounts',
  'credit_notes',
  // payments and the cashier
  'exchange_rates',
  'cashier_sessions',
  'payments',
  'refunds',
  'payment_plans',
  'payment_plan_instalments',
  'idempotency_keys',
] as const;
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await ctx.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
  return out;
}
let before: Record<string, number>;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await ctx.login('super_admin@sanita.test');
  ops = operations(ctx.app);
  before = await counts();
});
afterAll(async () => {
  await ctx.close();
});

const op = (key: string) => {
  const found = ops.find((o) => o.key === key);
  if (!found) throw new Error(`${key} is not in the OpenAPI document`);
  return found;
};

/** A concrete URL for a route: valid path parameters unless given. */
function urlOf(o: Operation, params: Record<string, string> = {}, query = ''): string {
  const path = o.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (params[name] !== undefined) return encodeURIComponent(params[name]);
    return o.path.startsWith('/api/admin/roles') ? 'doctor' : o.path.startsWith('/api/patients') ? ctx.ids.kinPatient : anyUuid;
  });
  return query ? `${path}?${query}` : path;
}

function send(o: Operation, init: { payload?: unknown; contentType?: string; params?: Record<string, string>; query?: string }) {
  const headers: Record<string, string> = { authorization: `Bearer ${admin.token}`, 'x-clinic-id': ctx.ids.kin };
  if (init.contentType) headers['content-type'] = init.contentType;
  return ctx.app.inject({
    method: o.method as 'POST',
    url: urlOf(o, init.params, init.query),
    headers,
    ...(init.payload !== undefined ? { payload: init.payload as string } : {}),
  });
}

function fieldsOf(res: LightMyRequestResponse): string[] {
  const details = res.json().error?.details as { field: string }[] | undefined;
  return Array.isArray(details) ? details.map((d) => d.field) : [];
}

function expect400Naming(res: LightMyRequestResponse, field: string, code = 'VALIDATION_FAILED') {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json().error.code).toBe(code);
  expect(fieldsOf(res), res.body).toContain(field);
  // the message a client shows says which field, too
  expect(res.json().error.message).toContain(field);
}

/** The JSON types a schema accepts. */
function typesOf(s: JsonSchema): Set<string> {
  const t = new Set<string>();
  if (s.type) t.add(s.type === 'integer' ? 'number' : s.type);
  if (s.nullable) t.add('null');
  for (const e of s.enum ?? []) t.add(e === null ? 'null' : typeof e);
  for (const a of s.anyOf ?? []) for (const x of typesOf(a)) t.add(x);
  return t;
}
/** A value of a JSON type the schema does not accept. */
function wrongTypeFor(s: JsonSchema): unknown {
  const ok = typesOf(s);
  const candidates: [string, unknown][] = [
    ['boolean', true],
    ['string', 'text'],
    ['number', 12345],
    ['array', [1, 2]],
    ['object', { nested: 1 }],
  ];
  return candidates.find(([t]) => !ok.has(t))![1];
}
/** A text value the schema refuses, or undefined when any text would do. */
function badTextFor(s: JsonSchema): string | undefined {
  if (s.type === 'integer' || s.type === 'number') return 'abc';
  if (s.type === 'boolean') return 'maybe';
  if (s.enum || s.anyOf) return 'no-such-value';
  if (s.format) return `not-a-${s.format}`;
  if (s.pattern) {
    const re = new RegExp(s.pattern, 'u');
    return ['§', '   ', '!!', 'Has Spaces And CAPS'].find((c) => !re.test(c));
  }
  if (s.maxLength !== undefined) return 'x'.repeat(s.maxLength + 1);
  if (s.minLength !== undefined && s.minLength > 1) return 'x';
  return undefined;
}

describe('the route lists of this file match the API', () => {
  it('every route with a body, a query or a path parameter is covered', () => {
    expect(ops.filter((o) => o.body).map((o) => o.key)).toEqual(expect.arrayContaining(BODY_ROUTES));
    expect(ops.filter((o) => o.body).map((o) => o.key)).toHaveLength(BODY_ROUTES.length);
    expect(
      ops
        .filter((o) => o.query.length)
        .map((o) => o.key)
        .sort(),
    ).toEqual([...QUERY_ROUTES].sort());
    expect(
      ops
        .filter((o) => o.pathParams.length)
        .map((o) => o.key)
        .sort(),
    ).toEqual([...PATH_ROUTES, ...TOKEN_PATH_ROUTES].sort());
    // every body is closed: an unknown field is an error, not silently dropped
    for (const key of BODY_ROUTES) expect(op(key).body, key).toMatchObject({ additionalProperties: false });
  });
});

describe.each(BODY_ROUTES)('%s', (key) => {
  it('malformed JSON → 400 MALFORMED_JSON naming body', async () => {
    const res = await send(op(key), { payload: '{"a":', contentType: 'application/json' });
    expect400Naming(res, 'body', 'MALFORMED_JSON');
  });

  it('a body that is not an object → 400 naming body', async () => {
    for (const payload of ['[]', '"text"', '42', 'null', 'true']) {
      const res = await send(op(key), { payload, contentType: 'application/json' });
      expect(res.statusCode, `${payload}: ${res.body}`).toBe(400);
      expect(fieldsOf(res), payload).toContain('body');
    }
  });

  it('each field with the wrong type → 400 naming that field', async () => {
    const body = op(key).body!;
    const props = Object.entries(body.properties ?? {});
    expect(props.length).toBeGreaterThan(0);
    for (const [name, schema] of props) {
      const res = await send(op(key), { payload: { [name]: wrongTypeFor(schema) } });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400);
      expect(fieldsOf(res), name).toContain(name);
    }
  });

  it('missing required fields → 400 naming each of them', async () => {
    const body = op(key).body!;
    const res = await send(op(key), { payload: {} });
    if (OPTIONAL_BODY_ROUTES.includes(key)) {
      expect(body.required ?? []).toEqual([]);
      expect(res.statusCode, res.body).not.toBe(400);
      expect(res.statusCode).toBeLessThan(500);
      return;
    }
    expect(res.statusCode, res.body).toBe(400);
    const fields = fieldsOf(res);
    for (const r of body.required ?? []) expect(fields, r).toContain(r);
    if (!body.required?.length) expect(fields).toContain('body'); // "at least one field"
    for (const r of body.required ?? [])
      expect(res.json().error.details).toContainEqual({ field: r, code: 'required', message: 'is required' });
  });

  it('an unknown field → 400 naming it', async () => {
    const res = await send(op(key), { payload: { definitelyNotAField: 1 } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details).toContainEqual({
      field: 'definitelyNotAField',
      code: 'additionalProperties',
      message: 'is not an allowed field',
    });
  });

  it('a body over 256 KiB → 413 naming body', async () => {
    const res = await send(op(key), {
      payload: JSON.stringify({ padding: 'x'.repeat(300 * 1024) }),
      contentType: 'application/json',
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(fieldsOf(res)).toContain('body');
  });

  it('a text/plain or form body → 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await send(op(key), { payload: 'email=a@b.cd&password=x', contentType });
      expect(res.statusCode, contentType).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('text the database cannot store (NUL, broken Unicode) → 400 naming the field', async () => {
    const body = op(key).body!;
    const [name] = Object.entries(body.properties ?? {}).find(([, s]) => typesOf(s).has('string')) ?? [];
    if (!name) return;
    for (const bad of ['a\u0000b', 'a\ud800b']) {
      const res = await send(op(key), { payload: { [name]: bad } });
      expect400Naming(res, name);
    }
  });
});

describe.each(QUERY_ROUTES)('%s', (key) => {
  it('each query parameter with a wrong value → 400 naming querystring.<name>', async () => {
    let checked = 0;
    for (const p of op(key).query) {
      const bad = badTextFor(p.schema);
      if (bad === undefined) continue;
      const res = await send(op(key), { query: new URLSearchParams({ [p.name]: bad }).toString() });
      expect(res.statusCode, `${p.name}=${bad}: ${res.body}`).toBe(400);
      expect(fieldsOf(res), p.name).toContain(`querystring.${p.name}`);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('an unknown query parameter → 400 naming it', async () => {
    const res = await send(op(key), { query: 'definitelyNotAParam=1' });
    expect(res.statusCode, res.body).toBe(400);
    expect(fieldsOf(res)).toContain('querystring.definitelyNotAParam');
  });

  it('missing required query parameters → 400 naming each', async () => {
    const required = op(key).query.filter((p) => p.required);
    const res = await send(op(key), {});
    if (!required.length) {
      expect(res.statusCode, res.body).toBeLessThan(500);
      return;
    }
    expect(res.statusCode).toBe(400);
    for (const p of required) expect(fieldsOf(res)).toContain(`querystring.${p.name}`);
  });

  it('a NUL character in a query parameter → 400, not a database error', async () => {
    const text = op(key).query.find((p) => p.schema.type === 'string' && !p.schema.format && !p.schema.pattern);
    if (!text) return;
    const res = await send(op(key), { query: `${text.name}=a%00b` });
    expect(res.statusCode, res.body).toBe(400);
    expect(fieldsOf(res)).toContain(`querystring.${text.name}`);
  });
});

describe.each(PATH_ROUTES)('%s', (key) => {
  it('an invalid id in the path → 400 naming params.<its name>', async () => {
    // `id`, or the name of the id a nested route takes (`patientId`)
    const name = /\{(\w+)\}/.exec(key)![1]!;
    for (const bad of ['not-a-uuid', '123', "1' OR '1'='1", 'A B']) {
      const res = await send(op(key), {
        params: { [name]: bad },
        payload: key.startsWith('GET') || key.startsWith('DELETE') ? undefined : {},
      });
      expect(res.statusCode, `${bad}: ${res.body}`).toBe(400);
      expect(fieldsOf(res), bad).toContain(`params.${name}`);
    }
  });
});

describe.each(TOKEN_PATH_ROUTES)('%s', (key) => {
  const { param, unknown } = TOKEN_PATHS[key]!;
  it(`a malformed ${param} → 400 naming params.${param}; a well-formed unknown one → 404`, async () => {
    for (const bad of ['short', "1' OR '1'='1", 'A B', 'x'.repeat(19)]) {
      const res = await send(op(key), { params: { [param]: bad } });
      expect(res.statusCode, `${bad}: ${res.body}`).toBe(400);
      expect(fieldsOf(res), bad).toContain(`params.${param}`);
    }
    const res = await send(op(key), { params: { [param]: unknown } });
    expect(res.statusCode).toBe(404);
  });
});

describe('no refused request above wrote anything', () => {
  it('row counts of patients, users, memberships and role permissions are unchanged', async () => {
    expect(await counts()).toEqual(before);
  });
});

describe('bad input the schema cannot see is refused by the domain, naming the field, with nothing half-written', () => {
  const post = (url: string, payload: unknown, method = 'POST') =>
    admin.req(method, url, payload, { 'x-clinic-id': ctx.ids.kin });

  async function refusedWithoutWriting(res: Promise<LightMyRequestResponse>, status: number, field: string) {
    const start = await counts();
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    expect(fieldsOf(r), r.body).toContain(field);
    expect(await counts()).toEqual(start);
    return r;
  }
  const patient = { givenName: 'Bad', familyName: 'Input', sex: 'male', allowDuplicate: true };

  it('a patient born in the future, on 30 February, or before 1880', async () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    for (const birthDate of [future, '2021-02-30', '1879-12-31', '1990-13-01']) {
      await refusedWithoutWriting(post('/api/patients', { ...patient, birthDate }), 400, 'birthDate');
    }
  });

  it('a national ID with no letters or digits, a name of spaces, a NUL in a name', async () => {
    await refusedWithoutWriting(
      post('/api/patients', { ...patient, birthDate: '1990-01-01', nationalId: '---' }),
      400,
      'nationalId',
    );
    const { rows } = await ctx.sql.query<{ version: number }>('SELECT version FROM patients WHERE id = $1', [ctx.ids.kinPatient]);
    await refusedWithoutWriting(
      post(`/api/patients/${ctx.ids.kinPatient}`, { version: rows[0]!.version, nationalId: '. / .' }, 'PATCH'),
      400,
      'nationalId',
    );
    await refusedWithoutWriting(
      post('/api/patients', { ...patient, birthDate: '1990-01-01', givenName: '   ' }),
      400,
      'givenName',
    );
    await refusedWithoutWriting(
      post('/api/patients', { ...patient, birthDate: '1990-01-01', familyName: 'Ka\u0000bila' }),
      400,
      'familyName',
    );
    await refusedWithoutWriting(
      post('/api/patients', { ...patient, birthDate: '1990-01-01', address: { city: 'Goma', country: 'CD', zip: 1 } }),
      400,
      'address.zip',
    );
    await refusedWithoutWriting(
      post('/api/patients', { ...patient, birthDate: '1990-01-01', emergencyContacts: [{ name: 'Jean', phone: 'call me' }] }),
      400,
      'emergencyContacts.0.phone',
    );
  });

  it('an edit to a future birth date leaves the record and its version as they were', async () => {
    const { rows } = await ctx.sql.query('SELECT version, birth_date::text AS b FROM patients WHERE id = $1', [
      ctx.ids.kinPatient,
    ]);
    await refusedWithoutWriting(
      post(`/api/patients/${ctx.ids.kinPatient}`, { version: rows[0].version, birthDate: '2999-01-01' }, 'PATCH'),
      400,
      'birthDate',
    );
    const after = await ctx.sql.query('SELECT version, birth_date::text AS b FROM patients WHERE id = $1', [ctx.ids.kinPatient]);
    expect(after.rows[0]).toEqual(rows[0]);
  });

  it('front desk: a closed service point, a transfer to where the ticket is, a display of another clinic', async () => {
    const sp = async (code: string, active: boolean) =>
      (
        await ctx.sql.query<{ id: string }>(
          `INSERT INTO service_points (clinic_id, code, name, kind, ticket_prefix, active) VALUES ($1, $2, $2, 'other', 'B', $3) RETURNING id`,
          [ctx.ids.kin, code, active],
        )
      ).rows[0]!.id;
    const closed = await sp('BAD-CLOSED', false);
    const open = await sp('BAD-OPEN', true);
    await refusedWithoutWriting(
      post('/api/visits/walk-in', { patientId: ctx.ids.kinPatient, servicePointId: closed, priority: 'normal' }),
      400,
      'servicePointId',
    );
    const walkIn = await post('/api/visits/walk-in', { patientId: ctx.ids.kinPatient, servicePointId: open, priority: 'normal' });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    await refusedWithoutWriting(
      post(`/api/queue/tickets/${walkIn.json().ticket.id}/transfer`, { servicePointId: open }),
      400,
      'servicePointId',
    );
    const goma = await ctx.sql.query<{ id: string }>(`SELECT id FROM service_points WHERE clinic_id = $1 LIMIT 1`, [ctx.ids.gom]);
    await refusedWithoutWriting(
      post('/api/display-tokens', { name: 'TV', servicePointIds: [open, goma.rows[0]!.id] }),
      400,
      'servicePointIds.1',
    );
  });

  it('merging a patient into themself', async () => {
    await refusedWithoutWriting(
      post(`/api/patients/${ctx.ids.kinPatient}/merge`, { duplicateId: ctx.ids.kinPatient }),
      400,
      'duplicateId',
    );
  });

  it('an invitation to an unknown clinic, an unknown role, the patient role, or a taken email', async () => {
    const base = { email: 'new.staff@sanita.test', displayName: 'New Staff' };
    await refusedWithoutWriting(
      post('/api/admin/users', { ...base, memberships: [{ clinicId: anyUuid, role: 'nurse' }] }),
      400,
      'memberships.0.clinicId',
    );
    await refusedWithoutWriting(
      post('/api/admin/users', {
        ...base,
        memberships: [
          { clinicId: ctx.ids.kin, role: 'nurse' },
          { clinicId: ctx.ids.kin, role: 'wizard' },
        ],
      }),
      400,
      'memberships.1.role',
    );
    await refusedWithoutWriting(
      post('/api/admin/users', { ...base, memberships: [{ clinicId: ctx.ids.kin, role: 'patient' }] }),
      400,
      'memberships.0.role',
    );
    await refusedWithoutWriting(post('/api/admin/users', { ...base, email: 'not an email', memberships: [] }), 400, 'email');
    const taken = await refusedWithoutWriting(
      post('/api/admin/users', { ...base, email: 'doctor@sanita.test', memberships: [{ clinicId: ctx.ids.kin, role: 'nurse' }] }),
      409,
      'email',
    );
    expect(taken.json().error.code).toBe('EMAIL_TAKEN');
  });

  it('memberships with an unknown clinic or the patient role leave the user’s roles as they were', async () => {
    const nurse = ctx.ids.users['nurse@sanita.test']!;
    const roles = async () =>
      (await ctx.sql.query('SELECT clinic_id, role_id FROM memberships WHERE user_id = $1 ORDER BY 1, 2', [nurse])).rows;
    const was = await roles();
    await refusedWithoutWriting(
      post(
        `/api/admin/users/${nurse}/memberships`,
        {
          memberships: [
            { clinicId: ctx.ids.gom, role: 'nurse' },
            { clinicId: anyUuid, role: 'nurse' },
          ],
        },
        'PUT',
      ),
      400,
      'memberships.1.clinicId',
    );
    await refusedWithoutWriting(
      post(`/api/admin/users/${nurse}/memberships`, { memberships: [{ clinicId: ctx.ids.kin, role: 'patient' }] }, 'PUT'),
      400,
      'memberships.0.role',
    );
    expect(await roles()).toEqual(was);
  });

  it('deactivating yourself', async () => {
    await refusedWithoutWriting(post(`/api/admin/users/${admin.userId}`, { active: false }, 'PATCH'), 400, 'active');
    expect((await admin.req('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('a role given a permission that does not exist keeps its permissions', async () => {
    const doctorPerms = async () =>
      (await ctx.sql.query(`SELECT permission_id FROM role_permissions WHERE role_id = 'doctor' ORDER BY 1`)).rows;
    const was = await doctorPerms();
    await refusedWithoutWriting(
      post('/api/admin/roles/doctor', { permissions: ['patients:read', 'patients:teleport'], requireMfa: false }, 'PUT'),
      400,
      'permissions.1',
    );
    await refusedWithoutWriting(
      post('/api/admin/roles/doctor', { permissions: ['patients:read', 'patients:read'], requireMfa: false }, 'PUT'),
      400,
      'permissions',
    );
    expect(await doctorPerms()).toEqual(was);
    const unknown = await post('/api/admin/roles/wizard', { permissions: [], requireMfa: false }, 'PUT');
    expect(unknown.statusCode).toBe(404);
  });

  it('self-registration with a weak password, an unknown clinic or a future birth date creates neither account nor patient', async () => {
    const body = {
      email: 'bad.register@example.cd',
      password: 'Strong-enough-2026',
      givenName: 'Ana',
      familyName: 'Kabongo',
      birthDate: '1990-01-01',
      sex: 'female',
      clinicId: ctx.ids.kin,
    };
    await refusedWithoutWriting(post('/api/auth/register', { ...body, password: '12345678' }), 400, 'password');
    await refusedWithoutWriting(post('/api/auth/register', { ...body, clinicId: anyUuid }), 400, 'clinicId');
    await refusedWithoutWriting(post('/api/auth/register', { ...body, birthDate: '2999-01-01' }), 400, 'birthDate');
    await refusedWithoutWriting(post('/api/auth/register', { ...body, email: 'nope' }), 400, 'email');
    // the same phone rule as a patient record: a number needs a digit
    await refusedWithoutWriting(post('/api/auth/register', { ...body, phone: '------' }), 400, 'phone');
  });

  it('a search query that is too long, a bad cursor, or a bad date', async () => {
    const r1 = await admin.req('GET', `/api/patients?q=${'a'.repeat(201)}`);
    expect400Naming(r1, 'querystring.q');
    const r2 = await admin.req('GET', '/api/patients?q=Mbuyi&cursor=-1');
    expect400Naming(r2, 'querystring.cursor');
    const r3 = await admin.req('GET', '/api/patients?birthDate=14/03/1987');
    expect400Naming(r3, 'querystring.birthDate');
    const r4 = await admin.req('GET', '/api/patients?q=Mbuyi&limit=0');
    expect400Naming(r4, 'querystring.limit');
    // each issue says which rule failed and its bound, so that a client can say it in its own language
    const issue = (res: LightMyRequestResponse) => (res.json().error.details as { code?: string; params?: unknown }[])[0];
    expect(issue(r1)).toMatchObject({ code: 'maxLength', params: { limit: 200 } });
    expect(issue(r2)).toMatchObject({ code: 'pattern' });
    expect(issue(r3)).toMatchObject({ code: 'format', params: { format: 'date' } });
    expect(issue(r4)).toMatchObject({ code: 'minimum', params: { limit: 1 } });
  });

  it('scheduling: overlapping or reversed hours, unknown visit types, leave ending before it starts, a taken code', async () => {
    const doctor = (
      await ctx.sql.query<{ id: string }>('SELECT id FROM practitioners WHERE user_id = $1', [
        ctx.ids.users['doctor@sanita.test'],
      ])
    ).rows[0]!.id;
    const t = (over: Record<string, unknown>) => ({ weekday: 1, startTime: '08:00', endTime: '12:00', slotMinutes: 20, ...over });
    const put = (templates: unknown[]) =>
      post(`/api/practitioners/${doctor}/templates`, { clinicId: ctx.ids.kin, templates }, 'PUT');
    await refusedWithoutWriting(put([t({}), t({ startTime: '11:00', endTime: '13:00' })]), 400, 'templates.1.startTime');
    await refusedWithoutWriting(put([t({ startTime: '12:00', endTime: '08:00' })]), 400, 'templates.0.endTime');
    await refusedWithoutWriting(put([t({ visitTypeIds: [anyUuid] })]), 400, 'templates.0.visitTypeIds.0');
    await refusedWithoutWriting(put([t({})].map((x) => ({ ...x, weekday: 0 }))), 400, 'templates.0.weekday');
    await refusedWithoutWriting(
      post('/api/availability/exceptions', {
        practitionerId: doctor,
        kind: 'leave',
        startsAt: '2031-01-02T10:00:00Z',
        endsAt: '2031-01-02T10:00:00Z',
      }),
      400,
      'endsAt',
    );
    await refusedWithoutWriting(
      post('/api/practitioners', { displayName: 'Dr Fee', clinicIds: [ctx.ids.kin], feeAmount: 12 }),
      400,
      'feeCurrency',
    );
    await refusedWithoutWriting(post('/api/specialties', { code: 'cardiology', name: 'C', nameFr: 'C' }), 409, 'code');
    const vt = (await ctx.sql.query<{ id: string }>(`SELECT id FROM visit_types WHERE code = 'consultation'`)).rows[0]!.id;
    const tooLong = await admin.req(
      'GET',
      `/api/practitioners/${doctor}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${vt}&from=2031-01-01&to=2031-02-15`,
    );
    expect(tooLong.statusCode).toBe(400);
    expect(fieldsOf(tooLong)).toContain('to');
  });
  it('appointments: a time outside the hours, a practitioner of another clinic, a blank reason, a reversed range', async () => {
    const one = async (q: string) => (await ctx.sql.query<{ id: string }>(q)).rows[0]!.id;
    const ngoy = await one(`SELECT id FROM practitioners WHERE display_name = 'Dr Patrice Ngoy'`);
    const paluku = await one(`SELECT id FROM practitioners WHERE display_name = 'Dr Kahindo Paluku'`);
    const vt = await one(`SELECT id FROM visit_types WHERE code = 'consultation'`);
    const book = (over: Record<string, unknown>) =>
      post('/api/appointments', {
        patientId: ctx.ids.kinPatient,
        practitionerId: ngoy,
        visitTypeId: vt,
        startsAt: '2031-03-04T07:00:00Z',
        ...over,
      });
    await refusedWithoutWriting(book({ startsAt: '2031-03-04T02:00:00Z' }), 409, 'startsAt');
    await refusedWithoutWriting(book({ practitionerId: paluku }), 400, 'practitionerId');
    await refusedWithoutWriting(book({ practitionerId: anyUuid }), 400, 'practitionerId');
    await refusedWithoutWriting(book({ visitTypeId: anyUuid }), 400, 'visitTypeId');
    const booked = await book({});
    expect(booked.statusCode, booked.body).toBe(201);
    const id = booked.json<{ id: string }>().id;
    await refusedWithoutWriting(post(`/api/appointments/${id}/cancel`, { reason: '   ' }), 400, 'reason');
    await refusedWithoutWriting(
      post(`/api/appointments/${id}/reschedule`, { startsAt: '2031-03-04T23:00:00Z' }),
      409,
      'startsAt',
    );
    const kept = await ctx.sql.query<{ status: string }>('SELECT status FROM appointments WHERE id = $1', [id]);
    expect(kept.rows[0]!.status).toBe('booked');
    await refusedWithoutWriting(
      post('/api/waitlist', { patientId: ctx.ids.kinPatient, visitTypeId: vt, earliest: '2031-03-10', latest: '2031-03-01' }),
      400,
      'latest',
    );
    const tooLong = await admin.req('GET', '/api/appointments?from=2031-01-01&to=2031-03-01', undefined, {
      'x-clinic-id': ctx.ids.kin,
    });
    expect(tooLong.statusCode).toBe(400);
    expect(fieldsOf(tooLong)).toContain('to');
  });

  it('letters: a kind’s missing fields, another kind’s fields, a sick note ending before it starts or too long, an encounter of nobody', async () => {
    const url = `/api/patients/${ctx.ids.kinPatient}/letters`;
    await refusedWithoutWriting(post(url, { kind: 'sick_note' }), 400, 'restFrom');
    await refusedWithoutWriting(post(url, { kind: 'referral', recipient: 'Cardiology' }), 400, 'reason');
    await refusedWithoutWriting(post(url, { kind: 'medical_certificate', body: 'Fit', restFrom: '2026-12-07' }), 400, 'restFrom');
    await refusedWithoutWriting(post(url, { kind: 'sick_note', restFrom: '2026-12-07', restTo: '2026-12-01' }), 400, 'restTo');
    await refusedWithoutWriting(post(url, { kind: 'sick_note', restFrom: '2026-01-01', restTo: '2026-12-31' }), 400, 'restTo');
    await refusedWithoutWriting(post(url, { kind: 'sick_note', restFrom: '2026-02-30', restTo: '2026-03-01' }), 400, 'restFrom');
    await refusedWithoutWriting(
      post(url, { kind: 'medical_certificate', body: 'Fit', encounterId: '00000000-0000-4000-8000-000000000000' }),
      400,
      'encounterId',
    );
  });

  it('vitals: no measure, a time in the future or before birth, an impossible BMI, a bad value, a bad cursor', async () => {
    const url = `/api/patients/${ctx.ids.kinPatient}/vitals`;
    await refusedWithoutWriting(post(url, {}), 400, 'body');
    await refusedWithoutWriting(post(url, { note: 'only a note', onOxygen: true }), 400, 'body');
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await refusedWithoutWriting(post(url, { heartRate: 80, takenAt: future }), 400, 'takenAt');
    await refusedWithoutWriting(post(url, { heartRate: 80, takenAt: '1880-06-01T10:00:00Z' }), 400, 'takenAt');
    await refusedWithoutWriting(post(url, { heartRate: 80, takenAt: '2026-02-30T10:00:00Z' }), 400, 'takenAt');
    await refusedWithoutWriting(post(url, { weightKg: 450, heightCm: 25 }), 400, 'heightCm');
    await refusedWithoutWriting(post(url, { spo2: 101 }), 400, 'spo2');
    await refusedWithoutWriting(post(url, { heartRate: 80.5 }), 400, 'heartRate');
    await refusedWithoutWriting(post(url, { consciousness: 'alert' }), 400, 'consciousness');
    await refusedWithoutWriting(post(url, { spo2: 95, spo2Scale: 3 }), 400, 'spo2Scale');
    const cursor = await admin.req('GET', `${url}?cursor=not-a-cursor`, undefined, { 'x-clinic-id': ctx.ids.kin });
    expect400Naming(cursor, 'querystring.cursor');
  });

  it('prescriptions: a frequency field of another kind, a dose of 4 decimals, an unknown formulary item, no name; nothing written', async () => {
    const { rows } = await ctx.sql.query<{ id: string }>(
      `INSERT INTO encounters (clinic_id, patient_id, type, status, started_by) VALUES ($1, $2, 'outpatient', 'in_progress', $3) RETURNING id`,
      [ctx.ids.kin, ctx.ids.kinPatient, admin.userId],
    );
    const url = `/api/encounters/${rows[0]!.id}/prescriptions`;
    const item = {
      name: 'Paracetamol',
      dose: { amount: 500, unit: 'mg' },
      frequency: { kind: 'times_per_day', times: 3, asNeeded: false },
      durationDays: 5,
      quantity: 15,
      quantityUnit: 'tablet',
    };
    const one = (extra: Record<string, unknown>) => post(url, { items: [{ ...item, ...extra }] });
    await refusedWithoutWriting(
      one({ frequency: { kind: 'times_per_day', times: 3, hours: 8, asNeeded: false } }),
      400,
      'items.0.frequency.hours',
    );
    await refusedWithoutWriting(one({ frequency: { kind: 'pattern', asNeeded: false } }), 400, 'items.0.frequency.pattern');
    await refusedWithoutWriting(one({ frequency: { kind: 'once', asNeeded: true } }), 400, 'items.0.frequency.maxPerDay');
    await refusedWithoutWriting(one({ dose: { amount: 0.0005, unit: 'mg' } }), 400, 'items.0.dose.amount');
    await refusedWithoutWriting(one({ formularyItemId: anyUuid }), 400, 'items.0.formularyItemId');
    await refusedWithoutWriting(one({ name: '   ' }), 400, 'items.0.name');
    const reported = `/api/patients/${ctx.ids.kinPatient}/reported-medications`;
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await refusedWithoutWriting(post(reported, { name: 'Aspirin', since: tomorrow }), 400, 'since');
    await refusedWithoutWriting(
      post(
        '/api/formulary/' + anyUuid + '/clinic',
        { brandNames: [], price: '10.00', currency: null, inStockList: false },
        'PUT',
      ),
      400,
      'currency',
    );
    await refusedWithoutWriting(
      post('/api/formulary', { name: 'X', genericName: 'Y', atc: ['N02'], rxnorm: 'abc' }),
      400,
      'rxnorm',
    );
  });

  it('lab catalogue: a unit that is not UCUM, reversed or overlapping ranges, a panel of a panel, a taken code; nothing written', async () => {
    const test = (extra: Record<string, unknown>) => ({
      code: 'BAD-IN',
      name: 'Bad input analyte',
      kind: 'test',
      specimenType: 'serum',
      resultType: 'numeric',
      unit: 'mmol/L',
      turnaroundHours: 4,
      requiresVerification: false,
      ...extra,
    });
    const range = { sex: null, ageMinDays: 0, ageMaxDays: null, low: 1, high: 2, criticalLow: null, criticalHigh: null };
    const unit = await refusedWithoutWriting(post('/api/lab/tests', test({ unit: 'mmol/litre' })), 400, 'unit');
    expect(unit.json().error.code).toBe('LAB_UNIT_INVALID');
    await refusedWithoutWriting(post('/api/lab/tests', test({ ranges: [{ ...range, low: 3 }] })), 400, 'ranges.0.high');
    await refusedWithoutWriting(
      post('/api/lab/tests', test({ ranges: [{ ...range, criticalHigh: 1.5 }] })),
      400,
      'ranges.0.criticalHigh',
    );
    await refusedWithoutWriting(
      post(
        '/api/lab/tests',
        test({
          ranges: [
            { ...range, ageMaxDays: 400 },
            { ...range, ageMinDays: 365 },
          ],
        }),
      ),
      400,
      'ranges.1.ageMinDays',
    );
    await refusedWithoutWriting(post('/api/lab/tests', test({ resultType: 'coded', unit: null, answers: [] })), 400, 'answers');
    const bmp = (await ctx.sql.query<{ id: string }>(`SELECT id FROM lab_tests WHERE code = 'BMP'`)).rows[0]!.id;
    await refusedWithoutWriting(
      post('/api/lab/tests', test({ kind: 'panel', unit: null, memberIds: [bmp] })),
      400,
      'memberIds.0',
    );
    await refusedWithoutWriting(post('/api/lab/tests', test({ code: 'K' })), 409, 'code');
    const k = (await ctx.sql.query<{ id: string }>(`SELECT id FROM lab_tests WHERE code = 'K'`)).rows[0]!.id;
    await refusedWithoutWriting(post(`/api/lab/tests/${k}`, { version: 1, code: 'KALIUM' }, 'PATCH'), 400, 'code');
    await refusedWithoutWriting(post(`/api/lab/tests/${k}/price`, { price: '-1' }, 'PUT'), 400, 'price');
  });

  it('immunizations: an unknown CVX code, a day in the future or before birth, no lot for a vaccine given here; nothing written', async () => {
    const url = `/api/patients/${ctx.ids.kinPatient}/immunizations`;
    const given = { cvxCode: '03', occurredOn: '2024-05-02', lotNumber: 'L1' };
    await refusedWithoutWriting(post(url, { ...given, cvxCode: '9999' }), 400, 'cvxCode');
    await refusedWithoutWriting(post(url, { ...given, cvxCode: 'MMR' }), 400, 'cvxCode');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await refusedWithoutWriting(post(url, { ...given, occurredOn: tomorrow }), 400, 'occurredOn');
    await refusedWithoutWriting(post(url, { ...given, occurredOn: '1801-01-01' }), 400, 'occurredOn');
    await refusedWithoutWriting(post(url, { cvxCode: '03', occurredOn: '2024-05-02' }), 400, 'lotNumber');
    await refusedWithoutWriting(post(url, { ...given, site: 'left_ear' }), 400, 'site');
    await refusedWithoutWriting(post(url, { ...given, doseNumber: 0 }), 400, 'doseNumber');
  });

  it('inventory: an unknown item, a zero adjustment, a lot named twice or of another clinic, a non-medication with a formulary product; nothing written', async () => {
    const item = (await post('/api/inventory/items', { kind: 'consumable', name: 'Bad input gloves', unit: 'pair' })).json<{
      id: string;
    }>();
    const received = await post('/api/inventory/lots', {
      itemId: item.id,
      lotNumber: 'BI-1',
      expiresOn: '2099-01-01',
      quantity: 5,
      unitCost: '1.5',
    });
    const lotId = received.json<{ lot: { id: string } }>().lot.id;
    const receipt = { itemId: anyUuid, lotNumber: 'X', expiresOn: '2099-01-01', quantity: 1, unitCost: '1' };
    await refusedWithoutWriting(post('/api/inventory/lots', receipt), 400, 'itemId');
    await refusedWithoutWriting(
      post('/api/inventory/lots', { ...receipt, itemId: item.id, unitCost: '1.23456' }),
      400,
      'unitCost',
    );
    await refusedWithoutWriting(post('/api/inventory/lots', { ...receipt, itemId: item.id, unitCost: '-1' }), 400, 'unitCost');
    await refusedWithoutWriting(post(`/api/inventory/lots/${lotId}/adjust`, { quantity: 0, reason: 'x' }), 400, 'quantity');
    await refusedWithoutWriting(post(`/api/inventory/lots/${lotId}/adjust`, { quantity: -1, reason: '   ' }), 400, 'reason');
    const twice = {
      toClinicId: ctx.ids.gom,
      lines: [
        { lotId, quantity: 1 },
        { lotId, quantity: 1 },
      ],
    };
    await refusedWithoutWriting(post('/api/inventory/transfers', twice), 400, 'lines');
    await refusedWithoutWriting(
      post('/api/inventory/transfers', { ...twice, lines: [{ lotId: anyUuid, quantity: 1 }] }),
      400,
      'lines/0/lotId',
    );
    await refusedWithoutWriting(
      post('/api/inventory/stock-takes', {
        lines: [
          { lotId, counted: 1 },
          { lotId: anyUuid, counted: 1 },
        ],
      }),
      400,
      'lines/1/lotId',
    );
    await refusedWithoutWriting(post('/api/inventory/reservations', { lotId: anyUuid, quantity: 1 }), 400, 'lotId');
    await refusedWithoutWriting(
      post('/api/inventory/items', { kind: 'optical_frame', name: 'Frame', unit: 'frame', formularyItemId: anyUuid }),
      400,
      'formularyItemId',
    );
  });

  it('pharmacy: an item named twice or not of the prescription, a product that is no medication of the inventory; nothing written', async () => {
    const { id, itemIds } = await signedPrescription(ctx.sql, {
      patientId: ctx.ids.kinPatient,
      clinicId: ctx.ids.kin,
      prescriberId: ctx.ids.users['doctor@sanita.test']!,
      items: [{ code: 'who-eml:paracetamol-500mg-tablet', quantity: 10 }],
    });
    const url = `/api/pharmacy/prescriptions/${id}/dispenses`;
    const line = { prescriptionItemId: itemIds[0], quantity: 1 };
    await refusedWithoutWriting(post(url, { items: [line, line] }), 400, 'items/1/prescriptionItemId');
    await refusedWithoutWriting(
      post(url, { items: [{ ...line, prescriptionItemId: anyUuid }] }),
      400,
      'items/0/prescriptionItemId',
    );
    await refusedWithoutWriting(post(url, { items: [{ ...line, inventoryItemId: anyUuid }] }), 400, 'items/0/inventoryItemId');
    await refusedWithoutWriting(post(url, { items: [] }), 400, 'items');
  });

  it('encounters: none or two of ticket, appointment and patient, a bad cursor; nothing written', async () => {
    await refusedWithoutWriting(post('/api/encounters', {}), 400, 'body');
    await refusedWithoutWriting(post('/api/encounters', { reason: 'Cough', type: 'emergency' }), 400, 'body');
    await refusedWithoutWriting(post('/api/encounters', { ticketId: anyUuid, patientId: ctx.ids.kinPatient }), 400, 'patientId');
    const url = `/api/patients/${ctx.ids.kinPatient}/encounters`;
    const cursor = await admin.req('GET', `${url}?cursor=not-a-cursor`, undefined, { 'x-clinic-id': ctx.ids.kin });
    expect400Naming(cursor, 'querystring.cursor');
  });

  it('problems, allergies and history: rules the schema cannot state, refused naming the field, nothing written', async () => {
    const base = `/api/patients/${ctx.ids.kinPatient}`;
    await refusedWithoutWriting(post(`${base}/problems`, {}), 400, 'description');
    await refusedWithoutWriting(post(`${base}/problems`, { code: 'not a code' }), 400, 'code');
    await refusedWithoutWriting(
      post(`${base}/problems`, {
        description: 'Gout',
        onsetDate: '2020-05-01',
        status: 'resolved',
        resolutionDate: '2020-04-01',
      }),
      400,
      'resolutionDate',
    );
    await refusedWithoutWriting(post(`${base}/allergies`, { severity: 'severe' }), 400, 'substance');
    await refusedWithoutWriting(post(`${base}/allergies`, { substanceCode: 'kryptonite' }), 400, 'substanceCode');
    await refusedWithoutWriting(post(`${base}/history`, { kind: 'family', condition: 'Asthma' }), 400, 'relation');
    await refusedWithoutWriting(post(`${base}/history`, { kind: 'social', tobacco: 'never', packYears: 2 }), 400, 'packYears');
  });
});

describe('consultation notes: rules the schema cannot state, refused naming the field, nothing written', () => {
  const call = (method: string, url: string, payload?: unknown) =>
    admin.req(method, url, payload, { 'x-clinic-id': ctx.ids.kin });
  it('two primaries, a code twice, an unknown code, a bad eye value, signing without a primary diagnosis, a bad cursor', async () => {
    const { rows } = await ctx.sql.query<{ id: string }>(
      `INSERT INTO encounters (clinic_id, patient_id, type, status, started_by) VALUES ($1, $2, 'outpatient', 'in_progress', $3) RETURNING id`,
      [ctx.ids.kin, ctx.ids.kinPatient, admin.userId],
    );
    const url = `/api/encounters/${rows[0]!.id}/note`;
    const note = (diagnoses: unknown[], sections: Record<string, unknown> = {}) => ({
      version: 0,
      template: 'ophthalmology',
      sections: { subjective: 'Blurred vision', objective: '', assessment: 'Myopia', plan: 'Glasses', ...sections },
      patientSummary: null,
      diagnoses,
    });
    const start = await counts();
    const refused = async (method: string, u: string, payload: unknown, status: number, field: string) => {
      const r = await call(method, u, payload);
      expect(r.statusCode, r.body).toBe(status);
      expect(fieldsOf(r), r.body).toContain(field);
    };
    const primary = { code: 'H52.13', rank: 'primary' };
    await refused('PUT', url, note([primary, { code: 'H40.9', rank: 'primary' }]), 400, 'diagnoses.1.rank');
    await refused('PUT', url, note([primary, { ...primary, rank: 'secondary' }]), 400, 'diagnoses.1.code');
    await refused('PUT', url, note([{ code: 'Z99.999', rank: 'primary' }]), 400, 'diagnoses.0.code');
    await refused('PUT', url, note([primary], { eyes: { right: { iop: 95 }, left: {} } }), 400, 'sections.eyes.right.iop');
    await refused(
      'PUT',
      url,
      note([primary], { eyes: { right: { visualAcuity: '6-9' }, left: {} } }),
      400,
      'sections.eyes.right.visualAcuity',
    );
    await refused('POST', `${url}/sign`, { version: 0 }, 400, 'sections');
    await refused('POST', '/api/note-shortcuts', { name: '.vitals', text: 'Built in' }, 400, 'name');
    expect(await counts()).toEqual(start);
    const saved = await call('PUT', url, note([{ code: 'H52.13', rank: 'secondary' }]));
    expect(saved.statusCode, saved.body).toBe(200);
    await refused('POST', `${url}/sign`, { version: 1 }, 400, 'diagnoses');
    const cursor = await call('GET', `/api/patients/${ctx.ids.kinPatient}/notes?cursor=not-a-cursor`);
    expect400Naming(cursor, 'querystring.cursor');
  });
});

describe('document uploads (multipart/form-data, outside the JSON body tests above)', () => {
  const upload = (url: string, parts: Parameters<typeof multipartBody>[0]) => {
    const { payload, headers } = multipartBody(parts);
    return admin.req('POST', url, payload, { ...headers, 'x-clinic-id': ctx.ids.kin });
  };
  const pdf = { name: 'file', value: tinyPdf(), filename: 'a.pdf', contentType: 'application/pdf' };
  const staff = () => `/api/patients/${ctx.ids.kinPatient}/documents`;

  it('no file, an unknown field, a bad category or title, a renamed executable, JSON → 4xx naming it, nothing written', async () => {
    const start = await counts();
    const cases: [Promise<LightMyRequestResponse>, number, string][] = [
      [upload(staff(), [{ name: 'title', value: 'x' }]), 400, 'file'],
      [upload(staff(), [{ name: 'definitelyNotAField', value: '1' }, pdf]), 400, 'definitelyNotAField'],
      [upload(staff(), [{ name: 'category', value: 'no-such-value' }, pdf]), 400, 'category'],
      [upload(staff(), [{ name: 'title', value: 'x'.repeat(201) }, pdf]), 400, 'title'],
      [upload(staff(), [{ name: 'sharedWithPatient', value: 'maybe' }, pdf]), 400, 'sharedWithPatient'],
      [upload(staff(), [{ ...pdf, value: Buffer.from('MZ\x90\x00 not a pdf at all') }]), 415, 'file'],
      [upload(staff(), [pdf, { ...pdf, name: 'file' }]), 400, 'file'],
      [admin.req('POST', staff(), { title: 'x' }, { 'x-clinic-id': ctx.ids.kin }), 415, 'body'],
      [upload('/api/portal/documents', [{ name: 'category', value: 'lab_report' }, pdf]), 400, 'category'],
    ];
    for (const [res, status, field] of cases) {
      const r = await res;
      expect(r.statusCode, r.body).toBe(status);
      expect(fieldsOf(r), r.body).toContain(field);
    }
    expect(await counts()).toEqual(start);
  });
});
