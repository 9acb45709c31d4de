import { useState } from 'react';
import { Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useAddMember, usePayer, usePayers, type Plan, type PlanRules } from '../api/claims.ts';
import { PayerFormModal, PlanFormModal } from '../components/PayerForms.tsx';

/** Administration: the payers, their plans with their coverage rules, and their insurer reviewers. */
export function PayersPage() {
  const { t } = useTranslation('claims');
  const payers = usePayers();
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader
        title={t('payers.title')}
        description={t('payers.subtitle')}
        actions={
          can('claims:manage') && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
              {t('payerForm.addTitle')}
            </Button>
          )
        }
      />
      <PayerFormModal payer={null} opened={adding} onClose={() => setAdding(false)} />
      {payers.isError ? (
        <QueryError error={payers.error} onRetry={() => void payers.refetch()} />
      ) : !payers.data ? (
        <Skeleton h={200} />
      ) : (
        <Stack gap="md">
          {payers.data.data.length === 0 && <EmptyState title={t('payerForm.empty')} description={t('payerForm.emptyHint')} />}
          {payers.data.data.map((p) => (
            <PayerCard key={p.id} id={p.id} />
          ))}
        </Stack>
      )}
    </>
  );
}

function RulesText({ r, currency }: { r: PlanRules; currency: string }) {
  const { t } = useTranslation('claims');
  const amount = (v: string | null) => (v === null ? t('payers.noLimit') : `${v} ${currency}`);
  return (
    <Stack gap={2}>
      <Text size="sm">
        {t('payers.covered')}: {r.coveredKinds.map((k) => t(`payers.kinds.${k}`)).join(', ') || '—'}
      </Text>
      {r.excludedCodes.length > 0 && (
        <Text size="sm">
          {t('payers.excluded')}: {r.excludedCodes.join(', ')}
        </Text>
      )}
      <Text size="sm">
        {t('payers.copay')} {amount(r.copay)} · {t('payers.coinsurance')} {r.coinsurancePercent} % · {t('payers.annualLimit')}{' '}
        {amount(r.annualLimit)} · {t('payers.perClaimLimit')} {amount(r.perClaimLimit)} · {t('payers.threshold')}{' '}
        {amount(r.approvalThreshold)}
      </Text>
    </Stack>
  );
}

function PayerCard({ id }: { id: string }) {
  const { t } = useTranslation('claims');
  const { can } = useAuth();
  const payer = usePayer(id);
  const add = useAddMember();
  const [userId, setUserId] = useState('');
  const [editing, setEditing] = useState(false);
  // the plan being edited, or 'new' while adding one
  const [planForm, setPlanForm] = useState<Plan | 'new' | null>(null);
  if (!payer.data) return <Skeleton h={120} />;
  const p = payer.data;
  const manage = can('claims:manage');
  return (
    <Paper withBorder p="md" component="section" aria-label={p.name}>
      <Group gap="sm" mb="xs">
        <Title order={2} size="h4">
          {p.name}
        </Title>
        <Badge variant="light">{p.code}</Badge>
        {!p.active && <Badge color="gray">{t('payers.inactive')}</Badge>}
        {(p.email || p.phone) && (
          <Text size="xs" c="dimmed">
            {[p.email, p.phone].filter(Boolean).join(' · ')}
          </Text>
        )}
        {manage && (
          <Group gap="xs" ml="auto">
            <Button
              size="compact-sm"
              variant="default"
              leftSection={<IconPencil size={14} aria-hidden />}
              onClick={() => setEditing(true)}
              aria-label={t('payerForm.editTitle', { name: p.name })}
            >
              {t('payerForm.edit')}
            </Button>
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconPlus size={14} aria-hidden />}
              onClick={() => setPlanForm('new')}
              aria-label={t('planForm.addFor', { name: p.name })}
            >
              {t('planForm.addTitle')}
            </Button>
          </Group>
        )}
      </Group>
      <PayerFormModal payer={p} opened={editing} onClose={() => setEditing(false)} />
      <PlanFormModal
        key={planForm === null ? 'closed' : planForm === 'new' ? 'new' : planForm.id}
        payerId={p.id}
        plan={planForm === 'new' ? null : planForm}
        opened={planForm !== null}
        onClose={() => setPlanForm(null)}
      />
      <Title order={3} size="h6" mb={4}>
        {t('payers.plans')}
      </Title>
      {p.plans.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('planForm.none')}
        </Text>
      )}
      <Table mb="sm">
        <Table.Tbody>
          {p.plans.map((pl) => (
            <Table.Tr key={pl.id}>
              <Table.Td w={220}>
                <Text size="sm" fw={600}>
                  {pl.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {pl.code} · {pl.currency} {!pl.active && `· ${t('payers.inactive')}`}
                </Text>
              </Table.Td>
              <Table.Td>
                <RulesText r={pl.rules} currency={pl.currency} />
              </Table.Td>
              {manage && (
                <Table.Td w={1} style={{ whiteSpace: 'nowrap' }}>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    leftSection={<IconPencil size={14} aria-hidden />}
                    onClick={() => setPlanForm(pl)}
                    aria-label={t('planForm.editTitle', { name: pl.name })}
                  >
                    {t('planForm.edit')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={3} size="h6" mb={4}>
        {t('payers.members')}
      </Title>
      {p.members.length ? (
        p.members.map((m) => (
          <Text size="sm" key={m.id}>
            {m.name} · {m.email}
          </Text>
        ))
      ) : (
        <Text size="sm" c="dimmed">
          {t('payers.noMembers')}
        </Text>
      )}
      {manage && (
        <Group mt="xs" align="flex-end">
          <TextInput label={t('payers.addMember')} value={userId} onChange={(e) => setUserId(e.currentTarget.value)} w={360} />
          <Button
            variant="default"
            disabled={!userId.trim()}
            loading={add.isPending}
            onClick={() =>
              add.mutate(
                { payerId: p.id, userId: userId.trim() },
                {
                  onSuccess: () => {
                    setUserId('');
                    notifySuccess(t('payers.memberAdded'));
                  },
                  onError: (err) => notifyError(err, t),
                },
              )
            }
          >
            {t('payers.add')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
