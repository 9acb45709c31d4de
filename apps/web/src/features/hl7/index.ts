import { IconArrowsExchange, IconFlask2 } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { MessagePage } from './routes/MessagePage.tsx';
import { MessagesPage } from './routes/MessagesPage.tsx';
import { UnmatchedPage } from './routes/UnmatchedPage.tsx';

// HL7 v2 interface: the message log (search, status, parsed segments by field position, raw text and
// ACK, replay) and the lab's queue of unmatched results (resolve by order or patient, map a sender's codes).
export const hl7 = defineFeature({
  name: 'hl7',
  routes: [
    {
      path: 'hl7/messages',
      component: MessagesPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['hl7:read'],
      titleKey: 'hl7:log.title',
    },
    {
      path: 'hl7/messages/:id',
      component: MessagePage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['hl7:read'],
      titleKey: 'hl7:log.title',
    },
    {
      path: 'hl7/unmatched',
      component: UnmatchedPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['hl7:read'],
      titleKey: 'hl7:unmatched.title',
    },
  ],
  navigation: [
    {
      section: 'clinic',
      order: 96,
      to: '/hl7/unmatched',
      labelKey: 'hl7:nav.unmatched',
      icon: IconFlask2,
      permission: 'hl7:manage',
    },
    {
      section: 'admin',
      order: 80,
      to: '/hl7/messages',
      labelKey: 'hl7:nav.log',
      icon: IconArrowsExchange,
      permission: 'hl7:read',
    },
  ],
  strings,
});
