import { useState } from 'react';
import { Button, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../lib/errors.ts';
import { notifySuccess } from '../../../lib/errors.ts';
import {
  usePatientSearch,
  useResolve,
  useTestSearch,
  type MessageSummary,
  type ResolveInput,
  type UnmappedCode,
} from '../api/hl7.ts';

type Target = 'asIs' | 'order' | 'patient';

/**
 * Resolving an unmatched result: the order (by its printed number) or the patient it belongs to, and a
 * catalogue test for each of the sender's codes without one. The server records the results or says
 * what is still missing.
 */
export function ResolveModal({
  message,
  unmapped,
  onClose,
}: {
  message: MessageSummary;
  unmapped: UnmappedCode[];
  onClose: () => void;
}) {
  const { t } = useTranslation('hl7');
  const matched = !!message.patient || !!message.orderId;
  const [target, setTarget] = useState<Target>(matched ? 'asIs' : 'order');
  const [orderNumber, setOrderNumber] = useState(message.placerOrderNumber ?? '');
  const [patientId, setPatientId] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, string | null>>({});
  const resolve = useResolve();
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    const body: ResolveInput = {};
    if (target === 'order' && orderNumber.trim()) body.orderNumber = orderNumber.trim();
    if (target === 'patient' && patientId) body.patientId = patientId;
    if (target !== 'asIs' && message.orderId === null && !body.orderNumber && !body.patientId && !message.patient) {
      setError(t(target === 'order' ? 'resolve.orderNumber' : 'resolve.patient'));
      return;
    }
    const mappings = unmapped
      .map((u) => ({ system: u.system, code: u.code, testId: tests[`${u.system}|${u.code}`] ?? '' }))
      .filter((m) => m.testId);
    if (mappings.length) body.mappings = mappings;
    setError(null);
    resolve.mutate(
      { id: message.id, body },
      {
        onSuccess: () => {
          notifySuccess(t('resolve.done'));
          onClose();
        },
        onError: (err) => setError(errorMessage(err, t)),
      },
    );
  };

  const identifier = message.patientIdentifier ?? '—';
  return (
    <Modal opened onClose={onClose} title={t('resolve.title', { control: message.controlId })} size="lg">
      <Stack gap="md">
        <Text size="sm">{t('resolve.intro', { patient: message.patientName ?? t('resolve.unknownPatient'), identifier })}</Text>
        <div>
          <Text size="sm" fw={500} mb={4} id="resolve-target">
            {t('resolve.target')}
          </Text>
          <SegmentedControl
            aria-labelledby="resolve-target"
            value={target}
            onChange={(v) => setTarget(v as Target)}
            data={[
              ...(matched ? [{ value: 'asIs', label: t('resolve.asIs') }] : []),
              { value: 'order', label: t('resolve.byOrder') },
              { value: 'patient', label: t('resolve.byPatient') },
            ]}
          />
          {target === 'asIs' && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('resolve.asIsHint')}
            </Text>
          )}
        </div>
        {target === 'order' && (
          <TextInput
            label={t('resolve.orderNumber')}
            description={t('resolve.orderNumberHint')}
            value={orderNumber}
            onChange={(e) => setOrderNumber(e.currentTarget.value)}
            maxLength={40}
            data-autofocus
          />
        )}
        {target === 'patient' && <PatientPicker value={patientId} onChange={setPatientId} />}
        {unmapped.length > 0 && (
          <Stack gap="xs">
            <div>
              <Text size="sm" fw={500}>
                {t('resolve.codes')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('resolve.codesHint')}
              </Text>
            </div>
            {unmapped.map((u) => (
              <TestPicker
                key={`${u.system}|${u.code}`}
                label={t('resolve.code', { code: u.code, system: u.system || '—', text: u.text || '—' })}
                value={tests[`${u.system}|${u.code}`] ?? null}
                onChange={(v) => setTests((s) => ({ ...s, [`${u.system}|${u.code}`]: v }))}
              />
            ))}
          </Stack>
        )}
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button onClick={submit} loading={resolve.isPending}>
            {t('resolve.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PatientPicker({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useTranslation('hl7');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const found = usePatientSearch(q);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const options = (found.data?.data ?? []).map((p) => ({
    value: p.id,
    label: `${p.givenName} ${p.familyName} · ${p.mrn} · ${p.birthDate}`,
  }));
  const data =
    value && labels[value] && !options.some((o) => o.value === value) ? [{ value, label: labels[value] }, ...options] : options;
  return (
    <Select
      label={t('resolve.patient')}
      placeholder={t('resolve.patientPlaceholder')}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      data={data}
      value={value}
      onChange={(v, option) => {
        if (v && option) setLabels((s) => ({ ...s, [v]: option.label }));
        onChange(v);
      }}
      nothingFoundMessage={q.length >= 2 && !found.isFetching ? '—' : undefined}
    />
  );
}

function TestPicker({ label, value, onChange }: { label: string; value: string | null; onChange: (id: string | null) => void }) {
  const { t, i18n } = useTranslation('hl7');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 200);
  const found = useTestSearch(q);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const options = (found.data?.data ?? []).map((x) => ({
    value: x.id,
    label: `${i18n.language === 'fr' && x.nameFr ? x.nameFr : x.name} · ${x.code}${x.loinc ? ` · LOINC ${x.loinc}` : ''}`,
  }));
  const data =
    value && labels[value] && !options.some((o) => o.value === value) ? [{ value, label: labels[value] }, ...options] : options;
  return (
    <Select
      label={label}
      placeholder={t('resolve.testPlaceholder')}
      aria-label={`${t('resolve.test')}: ${label}`}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      data={data}
      value={value}
      onChange={(v, option) => {
        if (v && option) setLabels((s) => ({ ...s, [v]: option.label }));
        onChange(v);
      }}
    />
  );
}
