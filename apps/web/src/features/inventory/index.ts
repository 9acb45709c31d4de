import { IconBuildingWarehouse } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { InventoryPage } from './routes/InventoryPage.tsx';
import { ItemPage } from './routes/ItemPage.tsx';
import { StockTakePage } from './routes/StockTakePage.tsx';

// Inventory: the active clinic's stock per item (lots, ledger), receiving, adjusting, destroying, returning,
// recalling and transferring lots, stock takes, expiry and low-stock alerts, the valuation (screen and CSV),
// and the item catalogue with reorder levels.
export const inventory = defineFeature({
  name: 'inventory',
  routes: [
    {
      path: 'inventory',
      component: InventoryPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['inventory:read'],
      titleKey: 'inventory:title',
    },
    {
      path: 'inventory/items/:id',
      component: ItemPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['inventory:read'],
      titleKey: 'inventory:item.title',
    },
    {
      path: 'inventory/stock-take',
      component: StockTakePage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['inventory:manage'],
      titleKey: 'inventory:stockTake.title',
    },
  ],
  navigation: [
    {
      section: 'clinic',
      order: 95,
      to: '/inventory',
      labelKey: 'inventory:title',
      icon: IconBuildingWarehouse,
      permission: 'inventory:read',
    },
  ],
  strings,
});
