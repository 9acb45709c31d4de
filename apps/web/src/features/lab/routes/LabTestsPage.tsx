import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Drawer,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Timeline,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  CreateLabTestInput,
  RESULT_TYPES,
  SPECIMEN_TYPES,
  TEST_KINDS,
  UpdateLabTestInput,
  type ResultType,
  type SpecimenType,
  type TestKind,
} from '@sanita/contracts/lab';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/errors.ts';
import { issueMessage, schemaIssues } from '../../../lib/validation.ts';
import {
  useLabCatalogue,
  useLabSettings,
  useLabTestActions,
  useLabTestRevisions,
  useSaveLabSettings,
  type CodedAnswer,
  type LabTest,
  type ReferenceRange,
} from '../api/lab.ts';
import { withCode } from '../components/labels.ts';
import { TestPicker } from '../components/TestPicker.tsx';
import { ageWords, rangeParts } from '../lib/results.ts';

/**
 * The lab catalogue (/admin/lab-tests): search tests and panels, edit one (names, unit, specimen,
 * turnaround, verification, reference ranges by sex and age band, coded answers, panel members), withdraw
 * it, set this clinic's price, read its history; and the clinic's critical-value escalation minutes.
 */
export function LabTestsPage() {
  const { t } = useTranslation('lab');
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<'all' | TestKind>('all');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [debounced] = useDebouncedValue(q.trim(), 200);
  const found = useLabCatalogue({
    ...(debounced ? { q: debounced } : {}),
    ...(kind !== 'all' ? { kind } : {}),
    ...(includeInactive ? { includeInactive: true } : {}),
    limit: 200,
  });
  const [editing, setEditing] = useState<LabTest | 'new' | null>(null);
  const rows = found.data ?? [];

  return (
    <>
      <PageHeader
        title={t('admin.title')}
        description={t('admin.intro')}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
            {t('admin.add')}
          </Button>
        }
      />
      <Stack gap="sm">
        <SettingsCard />
        <Group gap="md" align="flex-end" wrap="wrap">
          <TextInput
            style={{ flex: 1, minWidth: 240 }}
            label={t('admin.search')}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            type="search"
            data-testid="lab-admin-search"
          />
          <SegmentedControl
            aria-label={t('admin.kind')}
            value={kind}
            onChange={(v) => setKind(v as 'all' | TestKind)}
            data={[{ value: 'all', label: t('admin.allKinds') }, ...TEST_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))]}
          />
          <Checkbox
            mb={8}
            label={t('admin.includeInactive')}
            checked={includeInactive}
            onChange={(e) => setIncludeInactive(e.currentTarget.checked)}
          />
        </Group>
        {found.isPending ? (
          <Skeleton h={200} />
        ) : found.isError ? (
          <QueryError error={found.error} onRetry={() => void found.refetch()} />
        ) : (
          <>
            <Text size="xs" c="dimmed" role="status">
              {t('admin.results', { count: rows.length })}
            </Text>
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover verticalSpacing={4} fz="sm" data-testid="lab-admin-table">
                <Table.Caption>{t('admin.caption')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('admin.columns.name')}</Table.Th>
                    <Table.Th>{t('admin.columns.kind')}</Table.Th>
                    <Table.Th>{t('admin.columns.specimen')}</Table.Th>
                    <Table.Th>{t('admin.columns.unit')}</Table.Th>
                    <Table.Th>{t('admin.columns.turnaround')}</Table.Th>
                    <Table.Th>{t('admin.columns.price')}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t('admin.columns.actions')}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((test) => (
                    <Table.Tr
                      key={test.id}
                      data-testid="lab-admin-row"
                      data-code={test.code}
                      style={test.active ? undefined : { opacity: 0.65 }}
                    >
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {withCode(test.name, test.code)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {[
                            test.nameFr,
                            test.loinc ? `LOINC ${test.loinc}` : null,
                            test.shipped ? t('admin.shipped') : t('admin.local'),
                          ]
                            .filter(Boolean)
                            .join(' · ')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {t(`kind.${test.kind}`)}
                        {test.kind === 'panel' && (
                          <Text size="xs" c="dimmed">
                            {test.members.map((m) => m.code).join(', ')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{t(`specimen.${test.specimenType}`)}</Table.Td>
                      <Table.Td>{test.unit ?? '—'}</Table.Td>
                      <Table.Td>{t('admin.hours', { count: test.turnaroundHours })}</Table.Td>
                      <Table.Td>{test.price ? `${test.price} ${test.currency ?? ''}` : '—'}</Table.Td>
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          {!test.active && (
                            <Badge size="xs" color="gray" variant="light">
                              {t('admin.withdrawn')}
                            </Badge>
                          )}
                          <Button
                            size="compact-sm"
                            variant="light"
                            onClick={() => setEditing(test)}
                            aria-label={t('admin.editOf', { name: test.name })}
                          >
                            {t('admin.edit')}
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        position="right"
        size="64rem"
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={editing === 'new' ? t('admin.addTitle') : editing ? t('admin.editTitle', { name: editing.name }) : ''}
      >
        {editing && (
          <TestEditor
            key={editing === 'new' ? 'new' : `${editing.id}-${editing.version}`}
            test={editing === 'new' ? null : editing}
            onDone={(saved) => setEditing(saved)}
          />
        )}
      </Drawer>
    </>
  );
}

/** The clinic's lab settings: minutes a critical value waits for acknowledgement before it escalates. */
function SettingsCard() {
  const { t } = useTranslation('lab');
  const settings = useLabSettings();
  const save = useSaveLabSettings();
  const [minutes, setMinutes] = useState<number | string | null>(null);
  const value = minutes ?? settings.data?.criticalEscalationMinutes ?? '';
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="lab-settings-title">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <div style={{ flex: 1, minWidth: 240 }}>
          <Title order={2} size="h5" id="lab-settings-title">
            {t('admin.settings.title')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('admin.settings.intro')}
          </Text>
        </div>
        {settings.isError ? (
          <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
        ) : (
          <>
            <NumberInput
              label={t('admin.settings.minutes')}
              min={1}
              max={1440}
              allowDecimal={false}
              w={200}
              value={value}
              onChange={setMinutes}
              disabled={settings.isPending}
              data-testid="lab-escalation-minutes"
            />
            <Button
              loading={save.isPending}
              disabled={minutes === null || typeof minutes !== 'number' || minutes < 1 || minutes > 1440}
              onClick={() =>
                typeof minutes === 'number' &&
                save.mutate(
                  { criticalEscalationMinutes: minutes },
                  {
                    onSuccess: () => {
                      setMinutes(null);
                      notifySuccess(t('admin.settings.saved'));
                    },
                    onError: (err) => notifyError(err, t),
                  },
                )
              }
            >
              {t('common.save')}
            </Button>
          </>
        )}
      </Group>
    </Paper>
  );
}

interface RangeRow {
  sex: '' | 'female' | 'male';
  ageMinDays: string;
  ageMaxDays: string;
  low: string;
  high: string;
  criticalLow: string;
  criticalHigh: string;
  normalCodes: string;
}

interface Form {
  code: string;
  loinc: string;
  name: string;
  nameFr: string;
  kind: TestKind;
  specimenType: SpecimenType;
  resultType: ResultType;
  unit: string;
  decimals: number | string;
  turnaroundHours: number | string;
  requiresVerification: boolean;
  answers: CodedAnswer[];
  members: { id: string; code: string; name: string }[];
  ranges: RangeRow[];
}

const num = (s: string) => (s.trim() === '' ? null : Number(s.trim().replace(',', '.')));
const str = (n: number | null) => (n === null ? '' : String(n));

function toRows(ranges: ReferenceRange[]): RangeRow[] {
  return ranges.map((r) => ({
    sex: r.sex ?? '',
    ageMinDays: String(r.ageMinDays),
    ageMaxDays: str(r.ageMaxDays),
    low: str(r.low),
    high: str(r.high),
    criticalLow: str(r.criticalLow),
    criticalHigh: str(r.criticalHigh),
    normalCodes: (r.normalCodes ?? []).join(', '),
  }));
}

function fromRows(rows: RangeRow[]): ReferenceRange[] {
  return rows.map((r) => {
    const codes = r.normalCodes
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    return {
      sex: r.sex === '' ? null : r.sex,
      ageMinDays: Number(r.ageMinDays || 0),
      ageMaxDays: num(r.ageMaxDays),
      low: num(r.low),
      high: num(r.high),
      criticalLow: num(r.criticalLow),
      criticalHigh: num(r.criticalHigh),
      ...(codes.length ? { normalCodes: codes } : {}),
    };
  });
}

function formOf(test: LabTest | null): Form {
  return {
    code: test?.code ?? '',
    loinc: test?.loinc ?? '',
    name: test?.name ?? '',
    nameFr: test?.nameFr ?? '',
    kind: test?.kind ?? 'test',
    specimenType: test?.specimenType ?? 'serum',
    resultType: test?.resultType ?? 'numeric',
    unit: test?.unit ?? '',
    decimals: test?.decimals ?? 1,
    turnaroundHours: test?.turnaroundHours ?? 24,
    requiresVerification: test?.requiresVerification ?? true,
    answers: test?.answers ?? [],
    members: test?.members ?? [],
    ranges: toRows(test?.ranges ?? []),
  };
}

function bodyOf(form: Form) {
  return {
    code: form.code.trim(),
    loinc: form.loinc.trim() || null,
    name: form.name.trim(),
    nameFr: form.nameFr.trim() || null,
    kind: form.kind,
    specimenType: form.specimenType,
    resultType: form.resultType,
    unit: form.unit.trim() || null,
    decimals: Number(form.decimals),
    answers:
      form.resultType === 'coded' ? form.answers.map((a) => ({ code: a.code.trim(), en: a.en.trim(), fr: a.fr.trim() })) : [],
    turnaroundHours: Number(form.turnaroundHours),
    requiresVerification: form.requiresVerification,
    memberIds: form.kind === 'panel' ? form.members.map((m) => m.id) : [],
    ranges: fromRows(form.ranges),
  };
}

/** Only what changed, for the PATCH (a shipped test keeps its code). */
function changes(before: ReturnType<typeof bodyOf>, after: ReturnType<typeof bodyOf>) {
  return Object.fromEntries(
    Object.entries(after).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof typeof before])),
  ) as Partial<ReturnType<typeof bodyOf>>;
}

function TestEditor({ test, onDone }: { test: LabTest | null; onDone: (saved: LabTest | null) => void }) {
  const { t } = useTranslation('lab');
  const actions = useLabTestActions();
  const [form, setForm] = useState<Form>(() => formOf(test));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const save = () => {
    const body = bodyOf(form);
    const initial = bodyOf(formOf(test));
    const payload = test ? { ...changes(initial, body), version: test.version } : body;
    const issues = schemaIssues(test ? UpdateLabTestInput : CreateLabTestInput, payload);
    if (issues.length) {
      setErrors(Object.fromEntries(issues.map((i) => [i.field.split('.')[0]!, issueMessage(i, t)])));
      setFailure(t('admin.fix'));
      return;
    }
    setErrors({});
    setFailure(null);
    const done = {
      onSuccess: (saved: LabTest) => {
        notifySuccess(t('admin.saved', { name: saved.name }));
        onDone(saved);
      },
      onError: (err: unknown) => setFailure(errorMessage(err, t)),
    };
    if (test) actions.update.mutate({ testId: test.id, body: payload as UpdateLabTestInput }, done);
    else actions.create.mutate(body, done);
  };

  const withdraw = (active: boolean) =>
    test &&
    actions.update.mutate(
      { testId: test.id, body: { active, version: test.version } },
      {
        onSuccess: (saved) => {
          notifySuccess(active ? t('admin.restored') : t('admin.withdrawnDone'));
          onDone(saved);
        },
        onError: (err) => setFailure(errorMessage(err, t)),
      },
    );

  return (
    <Tabs defaultValue="details" keepMounted={false}>
      <Tabs.List mb="sm">
        <Tabs.Tab value="details">{t('admin.tabs.details')}</Tabs.Tab>
        <Tabs.Tab value="ranges">{t('admin.tabs.ranges')}</Tabs.Tab>
        {test && <Tabs.Tab value="price">{t('admin.tabs.price')}</Tabs.Tab>}
        {test && <Tabs.Tab value="history">{t('admin.tabs.history')}</Tabs.Tab>}
      </Tabs.List>
      <Tabs.Panel value="details">
        <Stack gap="sm">
          <Group grow>
            <TextInput
              label={t('admin.fields.code')}
              value={form.code}
              disabled={!!test?.shipped}
              onChange={(e) => set('code', e.currentTarget.value)}
              error={errors.code}
              required
            />
            <TextInput
              label={t('admin.fields.loinc')}
              value={form.loinc}
              onChange={(e) => set('loinc', e.currentTarget.value)}
              error={errors.loinc}
              placeholder="2823-3"
            />
          </Group>
          <TextInput
            label={t('admin.fields.name')}
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={errors.name}
            required
            data-testid="lab-admin-name"
          />
          <TextInput
            label={t('admin.fields.nameFr')}
            value={form.nameFr}
            onChange={(e) => set('nameFr', e.currentTarget.value)}
            error={errors.nameFr}
          />
          <Group grow>
            <NativeSelect
              label={t('admin.fields.kind')}
              value={form.kind}
              disabled={!!test}
              onChange={(e) => set('kind', e.currentTarget.value as TestKind)}
              data={TEST_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            />
            <NativeSelect
              label={t('admin.fields.specimen')}
              value={form.specimenType}
              onChange={(e) => set('specimenType', e.currentTarget.value as SpecimenType)}
              data={SPECIMEN_TYPES.map((s) => ({ value: s, label: t(`specimen.${s}`) }))}
            />
            <NativeSelect
              label={t('admin.fields.resultType')}
              value={form.resultType}
              onChange={(e) => set('resultType', e.currentTarget.value as ResultType)}
              data={RESULT_TYPES.map((r) => ({ value: r, label: t(`resultType.${r}`) }))}
            />
          </Group>
          <Group grow>
            <TextInput
              label={t('admin.fields.unit')}
              description={t('admin.fields.unitHint')}
              value={form.unit}
              onChange={(e) => set('unit', e.currentTarget.value)}
              error={errors.unit}
            />
            <NumberInput
              label={t('admin.fields.decimals')}
              min={0}
              max={6}
              allowDecimal={false}
              value={form.decimals}
              onChange={(v) => set('decimals', v)}
              error={errors.decimals}
            />
            <NumberInput
              label={t('admin.fields.turnaround')}
              min={1}
              max={2160}
              allowDecimal={false}
              value={form.turnaroundHours}
              onChange={(v) => set('turnaroundHours', v)}
              error={errors.turnaroundHours}
            />
          </Group>
          <Switch
            label={t('admin.fields.verification')}
            checked={form.requiresVerification}
            onChange={(e) => set('requiresVerification', e.currentTarget.checked)}
          />
          {form.resultType === 'coded' && (
            <AnswersEditor answers={form.answers} onChange={(a) => set('answers', a)} error={errors.answers} />
          )}
          {form.kind === 'panel' && (
            <MembersEditor members={form.members} onChange={(m) => set('members', m)} error={errors.memberIds} />
          )}
        </Stack>
      </Tabs.Panel>
      <Tabs.Panel value="ranges">
        <RangesEditor
          rows={form.ranges}
          onChange={(r) => set('ranges', r)}
          coded={form.resultType === 'coded'}
          error={errors.ranges}
        />
      </Tabs.Panel>
      {test && (
        <Tabs.Panel value="price">
          <PriceEditor test={test} />
        </Tabs.Panel>
      )}
      {test && (
        <Tabs.Panel value="history">
          <History testId={test.id} />
        </Tabs.Panel>
      )}
      {failure && (
        <Alert color="red" variant="light" mt="sm" role="alert">
          {failure}
        </Alert>
      )}
      <Group justify="space-between" mt="md">
        {test ? (
          <Button
            variant="light"
            color={test.active ? 'red' : 'green'}
            onClick={() => withdraw(!test.active)}
            loading={actions.update.isPending}
          >
            {test.active ? t('admin.withdraw') : t('admin.restore')}
          </Button>
        ) : (
          <span />
        )}
        <Button onClick={save} loading={actions.create.isPending || actions.update.isPending} data-testid="lab-admin-save">
          {t('common.save')}
        </Button>
      </Group>
    </Tabs>
  );
}

const ANSWER_FIELDS = ['code', 'en', 'fr'] as const;

/** The last cell of an editable row: its remove button. */
function RemoveRowCell({ onRemove }: { onRemove: () => void }) {
  const { t } = useTranslation('lab');
  return (
    <Table.Td>
      <ActionIcon variant="subtle" color="red" aria-label={t('admin.remove')} onClick={onRemove}>
        <IconTrash size={14} aria-hidden />
      </ActionIcon>
    </Table.Td>
  );
}

function AnswersEditor({
  answers,
  onChange,
  error,
}: {
  answers: CodedAnswer[];
  onChange: (a: CodedAnswer[]) => void;
  error?: string;
}) {
  const { t } = useTranslation('lab');
  const patch = (i: number, p: Partial<CodedAnswer>) => onChange(answers.map((a, j) => (j === i ? { ...a, ...p } : a)));
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('admin.answers.title')}
      </Text>
      <Table verticalSpacing={2} fz="sm">
        <Table.Thead>
          <Table.Tr>
            {ANSWER_FIELDS.map((field) => (
              <Table.Th key={field}>{t(`admin.answers.${field}`)}</Table.Th>
            ))}
            <Table.Th>
              <VisuallyHidden>{t('admin.columns.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {answers.map((a, i) => (
            <Table.Tr key={i}>
              {ANSWER_FIELDS.map((field) => (
                <Table.Td key={field}>
                  <TextInput
                    size="xs"
                    aria-label={t(`admin.answers.${field}`)}
                    value={a[field]}
                    onChange={(e) => patch(i, { [field]: e.currentTarget.value })}
                  />
                </Table.Td>
              ))}
              <RemoveRowCell onRemove={() => onChange(answers.filter((_, j) => j !== i))} />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {error && (
        <Text size="xs" c="red.8">
          {error}
        </Text>
      )}
      <Button
        size="xs"
        variant="subtle"
        leftSection={<IconPlus size={14} aria-hidden />}
        onClick={() => onChange([...answers, { code: '', en: '', fr: '' }])}
        w="fit-content"
      >
        {t('admin.answers.add')}
      </Button>
    </Stack>
  );
}

function MembersEditor({
  members,
  onChange,
  error,
}: {
  members: Form['members'];
  onChange: (m: Form['members']) => void;
  error?: string;
}) {
  const { t } = useTranslation('lab');
  const move = (i: number, d: number) => {
    const next = [...members];
    const [m] = next.splice(i, 1);
    next.splice(i + d, 0, m!);
    onChange(next);
  };
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('admin.members.title')}
      </Text>
      {members.map((m, i) => (
        <Group key={m.id} gap="xs" wrap="nowrap">
          <Text size="sm" style={{ flex: 1 }}>
            {i + 1}. {m.name} ({m.code})
          </Text>
          <ActionIcon
            variant="subtle"
            aria-label={t('admin.members.up', { name: m.name })}
            disabled={i === 0}
            onClick={() => move(i, -1)}
          >
            <IconArrowUp size={14} aria-hidden />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            aria-label={t('admin.members.down', { name: m.name })}
            disabled={i === members.length - 1}
            onClick={() => move(i, 1)}
          >
            <IconArrowDown size={14} aria-hidden />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={t('admin.members.remove', { name: m.name })}
            onClick={() => onChange(members.filter((x) => x.id !== m.id))}
          >
            <IconTrash size={14} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      {error && (
        <Text size="xs" c="red.8">
          {error}
        </Text>
      )}
      <TestPicker
        label={t('admin.members.add')}
        chosen={new Set(members.map((m) => m.id))}
        onPick={(test) =>
          test.kind === 'test' &&
          !members.some((m) => m.id === test.id) &&
          onChange([...members, { id: test.id, code: test.code, name: test.name }])
        }
      />
    </Stack>
  );
}

function RangesEditor({
  rows,
  onChange,
  coded,
  error,
}: {
  rows: RangeRow[];
  onChange: (r: RangeRow[]) => void;
  coded: boolean;
  error?: string;
}) {
  const { t } = useTranslation('lab');
  const patch = (i: number, p: Partial<RangeRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...p } : r)));
  const cell = (i: number, key: keyof RangeRow, label: string) => (
    <Table.Td>
      <TextInput
        size="xs"
        aria-label={`${label} (${i + 1})`}
        value={rows[i]![key]}
        onChange={(e) => patch(i, { [key]: e.currentTarget.value })}
        inputMode="decimal"
      />
    </Table.Td>
  );
  const years = (days: string) => {
    const n = Number(days.trim());
    if (!days.trim() || !Number.isFinite(n)) return t('admin.ranges.noLimit');
    const { unit, count } = ageWords(n);
    return t(`admin.ranges.${unit}`, { count });
  };
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('admin.ranges.intro')}
      </Text>
      <Table.ScrollContainer minWidth={820}>
        <Table verticalSpacing={2} horizontalSpacing={4} fz="sm" data-testid="lab-admin-ranges">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.ranges.sex')}</Table.Th>
              <Table.Th>{t('admin.ranges.ageMin')}</Table.Th>
              <Table.Th>{t('admin.ranges.ageMax')}</Table.Th>
              {coded ? (
                <Table.Th>{t('admin.ranges.normalCodes')}</Table.Th>
              ) : (
                <>
                  <Table.Th>{t('admin.ranges.low')}</Table.Th>
                  <Table.Th>{t('admin.ranges.high')}</Table.Th>
                  <Table.Th>{t('admin.ranges.criticalLow')}</Table.Th>
                  <Table.Th>{t('admin.ranges.criticalHigh')}</Table.Th>
                </>
              )}
              <Table.Th>
                <VisuallyHidden>{t('admin.columns.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={i}>
                <Table.Td>
                  <NativeSelect
                    size="xs"
                    miw={96}
                    aria-label={`${t('admin.ranges.sex')} (${i + 1})`}
                    value={r.sex}
                    onChange={(e) => patch(i, { sex: e.currentTarget.value as RangeRow['sex'] })}
                    data={[
                      { value: '', label: t('admin.ranges.either') },
                      { value: 'female', label: t('sex.female') },
                      { value: 'male', label: t('sex.male') },
                    ]}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    aria-label={`${t('admin.ranges.ageMin')} (${i + 1})`}
                    value={r.ageMinDays}
                    onChange={(e) => patch(i, { ageMinDays: e.currentTarget.value })}
                    inputMode="numeric"
                    description={years(r.ageMinDays)}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    aria-label={`${t('admin.ranges.ageMax')} (${i + 1})`}
                    value={r.ageMaxDays}
                    onChange={(e) => patch(i, { ageMaxDays: e.currentTarget.value })}
                    inputMode="numeric"
                    description={years(r.ageMaxDays)}
                  />
                </Table.Td>
                {coded ? (
                  cell(i, 'normalCodes', t('admin.ranges.normalCodes'))
                ) : (
                  <>
                    {cell(i, 'low', t('admin.ranges.low'))}
                    {cell(i, 'high', t('admin.ranges.high'))}
                    {cell(i, 'criticalLow', t('admin.ranges.criticalLow'))}
                    {cell(i, 'criticalHigh', t('admin.ranges.criticalHigh'))}
                  </>
                )}
                <RemoveRowCell onRemove={() => onChange(rows.filter((_, j) => j !== i))} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length > 0 && (
        <Text size="xs" c="dimmed">
          {fromRows(rows)
            .map((r) => {
              const p = rangeParts(r);
              return [
                r.sex ? t(`sex.${r.sex}`) : t('admin.ranges.either'),
                p.normal,
                p.critical ? `(${t('entry.criticalRange', { limits: p.critical })})` : null,
              ]
                .filter(Boolean)
                .join(' ');
            })
            .join(' · ')}
        </Text>
      )}
      {error && (
        <Text size="xs" c="red.8">
          {error}
        </Text>
      )}
      <Button
        size="xs"
        variant="subtle"
        leftSection={<IconPlus size={14} aria-hidden />}
        w="fit-content"
        onClick={() =>
          onChange([
            ...rows,
            { sex: '', ageMinDays: '0', ageMaxDays: '', low: '', high: '', criticalLow: '', criticalHigh: '', normalCodes: '' },
          ])
        }
      >
        {t('admin.ranges.add')}
      </Button>
    </Stack>
  );
}

function PriceEditor({ test }: { test: LabTest }) {
  const { t } = useTranslation('lab');
  const { price } = useLabTestActions();
  const [value, setValue] = useState(test.price ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = (next: string | null) => {
    if (next !== null && !/^[0-9]{1,9}(\.[0-9]{1,2})?$/.test(next)) return setError(t('admin.price.invalid'));
    setError(null);
    price.mutate(
      { testId: test.id, price: next },
      { onSuccess: () => notifySuccess(t('admin.price.saved')), onError: (err) => setError(errorMessage(err, t)) },
    );
  };
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('admin.price.intro')}
      </Text>
      <Group align="flex-end">
        <TextInput
          label={t('admin.price.label', { currency: test.currency ?? '' })}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={error}
          inputMode="decimal"
          w={200}
        />
        <Button onClick={() => submit(value.trim().replace(',', '.'))} loading={price.isPending}>
          {t('common.save')}
        </Button>
        {test.price && (
          <Button variant="subtle" color="red" onClick={() => submit(null)} loading={price.isPending}>
            {t('admin.price.remove')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

function History({ testId }: { testId: string }) {
  const { t } = useTranslation('lab');
  const f = useFormatters();
  const history = useLabTestRevisions(testId);
  if (history.isPending) return <Skeleton h={120} />;
  if (history.isError) return <QueryError error={history.error} onRetry={() => void history.refetch()} />;
  if (history.data.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('admin.history.none')}
      </Text>
    );
  const revisions = [...history.data].sort((a, b) => b.version - a.version);
  return (
    <Timeline bulletSize={14} lineWidth={2} data-testid="lab-admin-history">
      {revisions.map((rev) => {
        const created = Object.values(rev.changes).every((c) => c.before === null || c.before === undefined);
        return (
          <Timeline.Item
            key={rev.version}
            title={t('admin.history.version', { version: rev.version, when: f.dateTime(rev.at), name: rev.by?.name ?? '—' })}
          >
            {created ? (
              <Text size="xs">{t('admin.history.created')}</Text>
            ) : (
              Object.entries(rev.changes).map(([field, c]) => (
                <Text key={field} size="xs" style={{ wordBreak: 'break-word' }}>
                  <b>{t(`admin.historyFields.${field}`, { defaultValue: field })}</b>: {historyValue(field, c.before, t)} →{' '}
                  {historyValue(field, c.after, t)}
                </Text>
              ))
            )}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

/** A revised field's value as people read it: ranges as '3.5–5.1 (critical ≥ 6.5)', yes/no, or the value. */
function historyValue(field: string, value: unknown, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('admin.history.yes') : t('admin.history.no');
  if (field === 'ranges' && Array.isArray(value)) {
    return (
      (value as ReferenceRange[])
        .map((r) => {
          const p = rangeParts({ ...r, criticalLow: r.criticalLow ?? null, criticalHigh: r.criticalHigh ?? null });
          return [r.sex ? t(`admin.history.sex.${r.sex}`) : null, p.normal, p.critical ? `(${p.critical})` : null]
            .filter(Boolean)
            .join(' ');
        })
        .join('; ') || '—'
    );
  }
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
