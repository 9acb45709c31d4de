import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CURRENCY_MINOR_UNITS, ITEM_KINDS } from '@sanita/contracts/billing';
import { PayerInput as PayerInputSchema, PlanInput as PlanInputSchema } from '@sanita/contracts/claims';
import { ApiError } from '../../../lib/api/errors.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { formErrors, issueMessage, issuesByField, schemaIssues } from '../../../lib/validation.ts';
import {
  useCreatePayer,
  useCreatePlan,
  useUpdatePayer,
  useUpdatePlan,
  type Payer,
  type PayerInput,
  type Plan,
  type PlanInput,
} from '../api/claims.ts';
import { amountScale, formToRules, rulesToForm, type RulesForm } from '../lib/claims.ts';

/** A field the API names (`rules.excludedCodes.3`) as the form's field that shows it (`rules.excludedCodes`). */
const formField = (field: string) => field.replace(/(\.\d+)+$/, '');

/**
 * The API's 400 issues at their fields; anything the form has no field for (a stale version, a
 * conflict) as a toast.
 */
function placeErrors<V>(form: UseFormReturnType<V>, err: unknown, t: TFunction, fields: readonly string[]) {
  const issues = err instanceof ApiError ? issuesByField(err.fieldIssues) : [];
  const placed = issues.filter((i) => fields.includes(formField(i.field)));
  for (const issue of placed)
    form.setFieldError(
      formField(issue.field),
      // the service's own refusal of a code already used has no code of the schema's: said in the user's language
      issue.message === 'is taken' ? t('payerForm.codeTaken') : issueMessage(issue, t),
    );
  if (!placed.length || placed.length < issues.length) notifyError(err, t);
}

// ------------------------------------------------------------------ payer

interface PayerValues {
  code: string;
  name: string;
  email: string;
  phone: string;
  active: boolean;
}
const PAYER_FIELDS = ['code', 'name', 'email', 'phone', 'active'] as const;

const payerBody = (v: PayerValues): PayerInput => ({
  code: v.code.trim(),
  name: v.name.trim(),
  email: v.email.trim() || null,
  phone: v.phone.trim() || null,
});

/** Adds a payer (no `payer`) or edits one: code, name, contact, and whether it is active. */
export function PayerFormModal({ payer, opened, onClose }: { payer: Payer | null; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('claims');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={payer ? t('payerForm.editTitle', { name: payer.name }) : t('payerForm.addTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {opened && <PayerForm payer={payer} onDone={onClose} />}
    </Modal>
  );
}

function PayerForm({ payer, onDone }: { payer: Payer | null; onDone: () => void }) {
  const { t } = useTranslation('claims');
  const create = useCreatePayer();
  const update = useUpdatePayer();
  const form = useForm<PayerValues>({
    initialValues: {
      code: payer?.code ?? '',
      name: payer?.name ?? '',
      email: payer?.email ?? '',
      phone: payer?.phone ?? '',
      active: payer?.active ?? true,
    },
    validate: (v) => formErrors(schemaIssues(PayerInputSchema, payerBody(v)), t),
  });
  const submit = form.onSubmit((v) => {
    const body = payerBody(v);
    const onError = (err: unknown) => placeErrors(form, err, t, PAYER_FIELDS);
    const onSuccess = () => {
      notifySuccess(t('payerForm.saved', { name: body.name }));
      onDone();
    };
    if (payer)
      update.mutate({ id: payer.id, body: { ...body, active: v.active, version: payer.version } }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label={t('payerForm.code')} required maxLength={20} data-autofocus {...form.getInputProps('code')} />
          <TextInput label={t('payerForm.name')} required maxLength={200} {...form.getInputProps('name')} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label={t('payerForm.email')} type="email" maxLength={254} {...form.getInputProps('email')} />
          <TextInput label={t('payerForm.phone')} type="tel" maxLength={32} {...form.getInputProps('phone')} />
        </Group>
        {payer && <Switch label={t('payerForm.active')} {...form.getInputProps('active', { type: 'checkbox' })} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {t('payerForm.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// ------------------------------------------------------------------ plan

interface PlanValues {
  code: string;
  name: string;
  currency: string;
  active: boolean;
  rules: RulesForm;
}
const PLAN_FIELDS = [
  'code',
  'name',
  'currency',
  'active',
  'rules',
  'rules.coveredKinds',
  'rules.excludedCodes',
  'rules.copay',
  'rules.coinsurancePercent',
  'rules.annualLimit',
  'rules.perClaimLimit',
  'rules.approvalThreshold',
] as const;
const CURRENCIES = Object.keys(CURRENCY_MINOR_UNITS);

const planBody = (v: PlanValues): PlanInput => ({
  code: v.code.trim(),
  name: v.name.trim(),
  currency: v.currency,
  rules: formToRules(v.rules, v.currency),
});

/** Adds a plan to a payer (no `plan`) or edits one: its coverage rules, in the plan's currency. */
export function PlanFormModal({
  payerId,
  plan,
  opened,
  onClose,
}: {
  payerId: string;
  plan: Plan | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('claims');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={plan ? t('planForm.editTitle', { name: plan.name }) : t('planForm.addTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {opened && <PlanForm payerId={payerId} plan={plan} onDone={onClose} />}
    </Modal>
  );
}

function PlanForm({ payerId, plan, onDone }: { payerId: string; plan: Plan | null; onDone: () => void }) {
  const { t } = useTranslation('claims');
  const create = useCreatePlan();
  const update = useUpdatePlan();
  const form = useForm<PlanValues>({
    initialValues: {
      code: plan?.code ?? '',
      name: plan?.name ?? '',
      currency: plan?.currency ?? 'CDF',
      active: plan?.active ?? true,
      rules: plan
        ? rulesToForm(plan.rules)
        : {
            coveredKinds: ['consultation', 'lab_test'],
            excludedCodes: '',
            copay: 0,
            coinsurancePercent: 0,
            annualLimit: '',
            perClaimLimit: '',
            approvalThreshold: '',
          },
    },
    validate: (v) => formErrors(schemaIssues(PlanInputSchema, planBody(v)), t, { rename: formField }),
  });
  const currency = form.getValues().currency;
  const scale = amountScale(currency);
  const amountProps = {
    min: 0,
    decimalScale: scale,
    allowDecimal: scale > 0,
    allowNegative: false,
    rightSection: <Text size="xs">{currency}</Text>,
    rightSectionWidth: 44,
  };
  const submit = form.onSubmit((v) => {
    const body = planBody(v);
    const onError = (err: unknown) => placeErrors(form, err, t, PLAN_FIELDS);
    const onSuccess = () => {
      notifySuccess(t('planForm.saved', { name: body.name }));
      onDone();
    };
    if (plan) update.mutate({ id: plan.id, body: { ...body, active: v.active, version: plan.version } }, { onSuccess, onError });
    else create.mutate({ payerId, body }, { onSuccess, onError });
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label={t('planForm.code')} required maxLength={20} data-autofocus {...form.getInputProps('code')} />
          <TextInput label={t('planForm.name')} required maxLength={200} {...form.getInputProps('name')} />
          <Select
            label={t('planForm.currency')}
            required
            allowDeselect={false}
            data={CURRENCIES}
            {...form.getInputProps('currency')}
          />
        </Group>
        <Checkbox.Group
          label={t('payers.covered')}
          description={t('planForm.coveredHelp')}
          {...form.getInputProps('rules.coveredKinds')}
        >
          <Group gap="md" mt={6}>
            {ITEM_KINDS.map((k) => (
              <Checkbox key={k} value={k} label={t(`payers.kinds.${k}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Textarea
          label={t('payers.excluded')}
          description={t('planForm.excludedHelp')}
          autosize
          minRows={2}
          maxRows={6}
          {...form.getInputProps('rules.excludedCodes')}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <NumberInput
            label={t('planForm.copay')}
            description={t('planForm.copayHelp')}
            {...amountProps}
            {...form.getInputProps('rules.copay')}
          />
          <NumberInput
            label={t('planForm.coinsurance')}
            description={t('planForm.coinsuranceHelp')}
            min={0}
            max={100}
            decimalScale={3}
            allowNegative={false}
            rightSection={<Text size="xs">%</Text>}
            rightSectionWidth={32}
            {...form.getInputProps('rules.coinsurancePercent')}
          />
          <NumberInput
            label={t('payers.threshold')}
            description={t('planForm.emptyNoLimit')}
            {...amountProps}
            {...form.getInputProps('rules.approvalThreshold')}
          />
          <NumberInput
            label={t('payers.annualLimit')}
            description={t('planForm.emptyNoLimit')}
            {...amountProps}
            {...form.getInputProps('rules.annualLimit')}
          />
          <NumberInput
            label={t('planForm.perClaimLimit')}
            description={t('planForm.emptyNoLimit')}
            {...amountProps}
            {...form.getInputProps('rules.perClaimLimit')}
          />
        </SimpleGrid>
        {plan && <Switch label={t('planForm.active')} {...form.getInputProps('active', { type: 'checkbox' })} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {t('planForm.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
