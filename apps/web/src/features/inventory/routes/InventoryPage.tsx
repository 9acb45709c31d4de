import { useState } from 'react';
import { Button, Tabs } from '@mantine/core';
import { IconClipboardCheck, IconTruckDelivery } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { AlertsPanel, CatalogPanel, StockPanel, ValuationPanel } from '../components/InventoryPanels.tsx';
import { ReceiveModal } from '../components/StockModals.tsx';

const TABS = ['stock', 'alerts', 'valuation', 'catalog'] as const;
type Tab = (typeof TABS)[number];

/** The active clinic's stock: per item, alerts, valuation and the item catalogue; receiving and stock takes. */
export function InventoryPage() {
  const { t } = useTranslation('inventory');
  const { can, activeClinic } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'stock';
  const [receiving, setReceiving] = useState(false);
  const manage = can('inventory:manage');
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('subtitle', { clinic: activeClinic?.name ?? '' })}
        actions={
          manage && (
            <>
              <Button
                variant="default"
                component={Link}
                to="/inventory/stock-take"
                leftSection={<IconClipboardCheck size={16} aria-hidden />}
              >
                {t('stockTake.title')}
              </Button>
              <Button onClick={() => setReceiving(true)} leftSection={<IconTruckDelivery size={16} aria-hidden />}>
                {t('receive.title')}
              </Button>
            </>
          )
        }
      />
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'stock' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="stock">{t('tabs.stock')}</Tabs.Tab>
          <Tabs.Tab value="alerts">{t('tabs.alerts')}</Tabs.Tab>
          <Tabs.Tab value="valuation">{t('tabs.valuation')}</Tabs.Tab>
          <Tabs.Tab value="catalog">{t('tabs.catalog')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="stock">
          <StockPanel />
        </Tabs.Panel>
        <Tabs.Panel value="alerts">
          <AlertsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="valuation">
          <ValuationPanel />
        </Tabs.Panel>
        <Tabs.Panel value="catalog">
          <CatalogPanel />
        </Tabs.Panel>
      </Tabs>
      {receiving && <ReceiveModal onClose={() => setReceiving(false)} />}
    </>
  );
}
