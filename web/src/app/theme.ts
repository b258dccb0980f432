import { Badge, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    // Badges ellipsize by default, which lets auto-layout tables squeeze them to "OPERAT…".
    Badge: Badge.extend({ styles: { label: { overflow: 'visible' } } }),
  },
});

/** Persisted by Mantine's localStorage color scheme manager under this key. */
export const COLOR_SCHEME_KEY = 'itmgr.color-scheme';
