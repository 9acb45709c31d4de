import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { DisplayBoardPage } from './routes/DisplayBoardPage.tsx';

export const display = defineFeature({
  name: 'display',
  routes: [
    // A waiting-room TV authenticates with its display token, never a staff session.
    { path: 'display', component: DisplayBoardPage, access: 'public', layout: 'none', titleKey: 'display:display.title' },
  ],
  navigation: [],
  strings,
});
