import { createTheme, DEFAULT_THEME, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

// Mantine's stock palettes put filled and "light" text at shade 6, which fails WCAG AA contrast for
// most hues. These palettes keep shades 8 and 9 dark enough for white text (≥ 4.5:1) and for text on
// their own tinted backgrounds.
const brand: MantineColorsTuple = [
  '#e6f3f4',
  '#cce6e8',
  '#9acdd1',
  '#66b3b9',
  '#3c9ea5',
  '#218e96',
  '#13818a',
  '#0e7880',
  '#0b6e74',
  '#085d62',
];
const green: MantineColorsTuple = [
  '#ebfbee',
  '#d3f9d8',
  '#b2f2bb',
  '#8ce99a',
  '#69db7c',
  '#51cf66',
  '#40c057',
  '#2f9e44',
  '#237a35',
  '#1b5e2a',
];
const red: MantineColorsTuple = [
  '#fff5f5',
  '#ffe3e3',
  '#ffc9c9',
  '#ffa8a8',
  '#ff8787',
  '#ff6b6b',
  '#fa5252',
  '#e03131',
  '#c92a2a',
  '#a51d1d',
];
const orange: MantineColorsTuple = [
  '#fff4e6',
  '#ffe8cc',
  '#ffd8a8',
  '#ffc078',
  '#ffa94d',
  '#ff922b',
  '#fd7e14',
  '#d9480f',
  '#b04a0a',
  '#8a3a08',
];

export const theme = createTheme({
  primaryColor: 'brand',
  primaryShade: { light: 8, dark: 6 },
  colors: { brand, green, orange, red },
  defaultRadius: 'sm',
  fontFamily: 'Inter, -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: {
    fontWeight: '600',
    sizes: { h1: { fontSize: '1.5rem', lineHeight: '1.3' }, h2: { fontSize: '1.15rem' }, h3: { fontSize: '1rem' } },
  },
  focusRing: 'auto',
  cursorType: 'pointer',
  // a user who asked their system for less motion gets modals, menus and popovers without animation
  respectReducedMotion: true,
  components: {
    Table: { defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm' } },
    // The required mark is drawn by CSS (global.css) outside the label's text, so that a field is
    // named exactly "Password", not "Password *", for screen readers and for tests alike.
    TextInput: { defaultProps: { withAsterisk: false } },
    PasswordInput: { defaultProps: { withAsterisk: false } },
    NativeSelect: { defaultProps: { withAsterisk: false } },
    Select: { defaultProps: { withAsterisk: false } },
    Textarea: { defaultProps: { withAsterisk: false } },
    Badge: { defaultProps: { radius: 'sm', tt: 'none' } },
    Paper: { defaultProps: { withBorder: true, radius: 'md' } },
    Tooltip: { defaultProps: { openDelay: 300 } },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
  };
  for (const color of [...Object.keys(DEFAULT_THEME.colors), 'brand']) {
    light[`--mantine-color-${color}-light-color`] = `var(--mantine-color-${color}-9)`;
  }
  return { variables: {}, light, dark: {} };
};
