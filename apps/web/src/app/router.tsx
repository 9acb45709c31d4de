import { createElement, useEffect, type ReactNode } from 'react';
import { createBrowserRouter, Outlet, useMatches, type RouteObject } from 'react-router';
import { useTranslation } from 'react-i18next';
import { NotFoundPage } from '../components/StatusPage.tsx';
import { FEATURES } from '../features/index.ts';
import { registerStrings } from '../lib/i18n/i18n.ts';
import type { FeatureRoute, RouteAccess, RouteLayout } from './feature.ts';
import { PublicOnly, RequireAuth, RequireMfaEnrolled, RequirePermission } from './guards.tsx';
import { AppLayout } from './layouts/AppLayout.tsx';
import { PublicLayout } from './layouts/PublicLayout.tsx';

// Each feature's strings are its own i18n namespace, there before the first render.
for (const feature of FEATURES) registerStrings(feature.name, feature.strings);

interface TitleHandle {
  titleKey?: string;
}

/** Each page gets its own document title, which screen readers announce on navigation. */
function Root() {
  const { t, i18n } = useTranslation();
  const matches = useMatches();
  const key = matches.map((m) => (m.handle as TitleHandle | undefined)?.titleKey).findLast(Boolean);
  useEffect(() => {
    document.title = key ? `${t(key)} · Sanita` : 'Sanita';
  }, [key, t, i18n.resolvedLanguage]);
  return <Outlet />;
}

function toRouteObject(route: FeatureRoute): RouteObject {
  const page = createElement(route.component);
  const element: ReactNode = route.anyOf ? <RequirePermission anyOf={route.anyOf}>{page}</RequirePermission> : page;
  const handle: TitleHandle = { titleKey: route.titleKey };
  return route.path === '' ? { index: true, element, handle } : { path: route.path, element, handle };
}

/** The features' routes with this access and layout, in the order the features list them. */
function routesOf(access: RouteAccess, layout: RouteLayout): RouteObject[] {
  return FEATURES.flatMap((f) => f.routes)
    .filter((r) => r.access === access && r.layout === layout)
    .map(toRouteObject);
}

export const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      {
        element: <PublicOnly />,
        children: [
          { element: <PublicLayout />, children: routesOf('publicOnly', 'public') },
          { element: <PublicLayout wide />, children: routesOf('publicOnly', 'publicWide') },
        ],
      },
      ...routesOf('public', 'none'),
      { element: <PublicLayout />, children: routesOf('public', 'public') },
      {
        element: <RequireAuth />,
        children: [
          { element: <PublicLayout wide />, children: routesOf('signedIn', 'publicWide') },
          {
            element: <RequireMfaEnrolled />,
            children: [
              {
                element: <AppLayout />,
                children: [...routesOf('enrolled', 'app'), { path: '*', element: <NotFoundPage /> }],
              },
            ],
          },
        ],
      },
    ],
  },
]);

// A combination of access and layout the tree above does not mount would silently drop a feature's route.
const MOUNTED: [RouteAccess, RouteLayout][] = [
  ['publicOnly', 'public'],
  ['publicOnly', 'publicWide'],
  ['public', 'none'],
  ['public', 'public'],
  ['signedIn', 'publicWide'],
  ['enrolled', 'app'],
];
for (const route of FEATURES.flatMap((f) => f.routes)) {
  if (!MOUNTED.some(([access, layout]) => route.access === access && route.layout === layout)) {
    throw new Error(`Route ${route.path}: access "${route.access}" with layout "${route.layout}" is not mounted`);
  }
}
