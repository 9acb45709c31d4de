import { useState } from 'react';
import { Badge, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RELATIONSHIPS } from '@sanita/contracts/claims';
import { ChartCard } from '../../../components/ChartCard.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import type { ChartPartProps } from '../../../app/feature.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import {
  useAddCoverage,
  useCoverages,
  useEligibility,
  useEndCoverage,
  usePayers,
  usePayer,
  type Coverage,
  type CoverageInput,
} from '../api/claims.ts';

/** A coverage's member id, relationship to the subscriber and validity, on one dimmed line. */
export function CoverageMemberLine({ c }: { c: Pick<Coverage, 'memberId' | 'relationship' | 'validFrom' | 'validTo'> }) {
  const { t } = useTranslation('claims');
  const f = useFormatters();
  return (
    <Text size="xs" c="dimmed">
      {t('coverage.member', { id: c.memberId })} · {t(`coverage.relationships.${c.relationship}`)} ·{' '}
      {c.validTo
        ? t('coverage.validity', { from: f.date(c.validFrom), to: f.date(c.validTo) })
        : t('coverage.openEnded', { from: f.date(c.validFrom) })}
    </Text>
  );
}

/** Whether the patient is covered today, as a badge (check-in, the patient page). */
export function EligibilityBadge({ patientId }: { patientId: string }) {
  const { t } = useTranslation('claims');
  const el = useEligibility(patientId);
  if (!el.data || !el.data.coverages.length) return null;
  return (
    <Badge color={el.data.eligible ? 'green' : 'red'} variant="light">
      {el.data.eligible ? t('coverage.eligible') : t('coverage.notEligible')}
    </Badge>
  );
}

/**
 * The front desk's answer at check-in, one compact badge: covered today (by which payer), not covered
 * (and why), or no coverage recorded. Nothing for a user who may not read coverages (coverage:read).
 */
export function CheckInEligibility({ patientId }: { patientId: string }) {
  const { can } = useAuth();
  if (!can('coverage:read')) return null;
  return <CheckInEligibilityBadge patientId={patientId} />;
}

function CheckInEligibilityBadge({ patientId }: { patientId: string }) {
  const { t } = useTranslation('claims');
  const el = useEligibility(patientId);
  if (el.isPending)
    return (
      <Text size="xs" c="dimmed">
        {t('checkIn.checking')}
      </Text>
    );
  if (el.isError)
    return (
      <Badge color="gray" variant="outline" data-testid="check-in-eligibility">
        {t('checkIn.unknown')}
      </Badge>
    );
  const d = el.data;
  if (!d.coverages.length)
    return (
      <Badge color="gray" variant="light" data-testid="check-in-eligibility">
        {t('checkIn.none')}
      </Badge>
    );
  const ok = d.coverages.find((c) => c.eligible);
  if (ok)
    return (
      <Badge
        color="green"
        variant="light"
        data-testid="check-in-eligibility"
        title={t('coverage.copay', { copay: `${ok.copay} ${ok.currency}`, percent: ok.coinsurancePercent })}
      >
        {t('checkIn.eligible', { payer: ok.coverage.payer.name })}
      </Badge>
    );
  const first = d.coverages[0]!;
  const reason = first.reason ? t(`coverage.reason.${first.reason}`, { defaultValue: first.reason }) : t('checkIn.noReason');
  return (
    <Badge color="red" variant="light" data-testid="check-in-eligibility">
      {t('checkIn.notEligible', { payer: first.coverage.payer.name, reason })}
    </Badge>
  );
}

/** The patient's coverages and eligibility today, with adding and ending one (coverage:write). */
export function CoveragePanel({ patient }: ChartPartProps) {
  const { t } = useTranslation('claims');
  const { can } = useAuth();
  const coverages = useCoverages(patient.id);
  const el = useEligibility(patient.id);
  const end = useEndCoverage(patient.id);
  const [adding, setAdding] = useState(false);
  const byCoverage = new Map((el.data?.coverages ?? []).map((c) => [c.coverage.id, c]));
  return (
    <ChartCard title={t('coverage.title')} testId="coverage-panel">
      {coverages.isError ? (
        <QueryError error={coverages.error} onRetry={() => void coverages.refetch()} />
      ) : (
        <Stack gap="xs">
          <Group gap="xs">
            <EligibilityBadge patientId={patient.id} />
          </Group>
          {coverages.data && !coverages.data.data.length && (
            <Text size="sm" c="dimmed">
              {t('coverage.none')}
            </Text>
          )}
          {coverages.data?.data.map((c) => {
            const e = byCoverage.get(c.id);
            return (
              <Stack key={c.id} gap={0}>
                <Group gap="xs" justify="space-between">
                  <Text size="sm" fw={600}>
                    {t('coverage.plan', { payer: c.payer.name, plan: c.plan.name })}
                  </Text>
                  {e && !e.eligible && e.reason && (
                    <Badge color="gray" variant="outline" size="sm">
                      {t(`coverage.reason.${e.reason}`, { defaultValue: e.reason })}
                    </Badge>
                  )}
                </Group>
                <CoverageMemberLine c={c} />
                {e && (
                  <Text size="xs">
                    {t('coverage.copay', { copay: `${e.copay} ${e.currency}`, percent: e.coinsurancePercent })}
                    {e.remainingAnnual !== null &&
                      ` · ${t('coverage.remaining', { amount: e.remainingAnnual, currency: e.currency })}`}
                  </Text>
                )}
                {can('coverage:write') && c.active && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    w="fit-content"
                    loading={end.isPending}
                    onClick={() =>
                      end.mutate(
                        { id: c.id, version: c.version },
                        { onSuccess: () => notifySuccess(t('coverage.ended')), onError: (err) => notifyError(err, t) },
                      )
                    }
                  >
                    {t('coverage.end')}
                  </Button>
                )}
              </Stack>
            );
          })}
          {can('coverage:write') &&
            (adding ? (
              <AddCoverage patientId={patient.id} onDone={() => setAdding(false)} />
            ) : (
              <Button size="compact-sm" variant="default" w="fit-content" onClick={() => setAdding(true)}>
                {t('coverage.add')}
              </Button>
            ))}
        </Stack>
      )}
    </ChartCard>
  );
}

function AddCoverage({ patientId, onDone }: { patientId: string; onDone: () => void }) {
  const { t } = useTranslation('claims');
  const payers = usePayers();
  const [payerId, setPayerId] = useState('');
  const payer = usePayer(payerId || null);
  const add = useAddCoverage(patientId);
  const [v, setV] = useState<CoverageInput>({
    planId: '',
    memberId: '',
    relationship: 'self',
    validFrom: new Date().toISOString().slice(0, 10),
  });
  const plans = payer.data?.plans.filter((p) => p.active) ?? [];
  return (
    <Stack
      gap="xs"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(
          { ...v, validTo: v.validTo || null, subscriberName: v.subscriberName || null },
          {
            onSuccess: () => {
              notifySuccess(t('coverage.saved'));
              onDone();
            },
            onError: (err) => notifyError(err, t),
          },
        );
      }}
    >
      <NativeSelect
        label={t('claim.coverage')}
        value={payerId}
        onChange={(e) => {
          setPayerId(e.currentTarget.value);
          setV((x) => ({ ...x, planId: '' }));
        }}
        data={[{ value: '', label: '—' }, ...(payers.data?.data ?? []).map((p) => ({ value: p.id, label: p.name }))]}
        required
      />
      <NativeSelect
        label={t('coverage.planLabel')}
        value={v.planId}
        onChange={(e) => setV((x) => ({ ...x, planId: e.currentTarget.value }))}
        data={[{ value: '', label: '—' }, ...plans.map((p) => ({ value: p.id, label: p.name }))]}
        required
      />
      <TextInput
        label={t('coverage.memberId')}
        value={v.memberId}
        onChange={(e) => setV((x) => ({ ...x, memberId: e.currentTarget.value }))}
        required
      />
      <TextInput
        label={t('coverage.subscriber')}
        value={v.subscriberName ?? ''}
        onChange={(e) => setV((x) => ({ ...x, subscriberName: e.currentTarget.value }))}
      />
      <NativeSelect
        label={t('coverage.relationship')}
        value={v.relationship}
        onChange={(e) => setV((x) => ({ ...x, relationship: e.currentTarget.value as CoverageInput['relationship'] }))}
        data={RELATIONSHIPS.map((r) => ({ value: r, label: t(`coverage.relationships.${r}`) }))}
      />
      <Group grow>
        <TextInput
          type="date"
          label={t('coverage.validFrom')}
          value={v.validFrom}
          onChange={(e) => setV((x) => ({ ...x, validFrom: e.currentTarget.value }))}
          required
        />
        <TextInput
          type="date"
          label={t('coverage.validTo')}
          value={v.validTo ?? ''}
          onChange={(e) => setV((x) => ({ ...x, validTo: e.currentTarget.value || null }))}
        />
      </Group>
      <Group>
        <Button type="submit" size="compact-sm" loading={add.isPending} disabled={!v.planId || !v.memberId}>
          {t('coverage.save')}
        </Button>
        <Button size="compact-sm" variant="default" onClick={onDone}>
          {t('actions.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
