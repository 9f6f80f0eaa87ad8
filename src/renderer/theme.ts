import { createTheme, darken, Modal, Notification, type CSSVariablesResolver } from '@mantine/core';

// Dense but calm: a neutral slate palette, one teal accent, small radii and compact controls.
export const theme = createTheme({
  primaryColor: 'teal',
  // Shade 9 carries white text at 5:1. autoContrast picks black or white text for every other
  // filled colour (Mantine's luminance threshold gives 4.5:1 either way), but it decides with the
  // light scheme's shade, so both schemes use the same one.
  primaryShade: 9,
  autoContrast: true,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
  headings: { fontWeight: '600' },
  fontSizes: { xs: '0.75rem', sm: '0.8125rem', md: '0.875rem', lg: '1rem', xl: '1.125rem' },
  components: {
    Button: { defaultProps: { size: 'sm' } },
    TextInput: { defaultProps: { size: 'sm' } },
    Select: { defaultProps: { size: 'sm', allowDeselect: false } },
    Badge: { defaultProps: { radius: 'sm', variant: 'light' } },
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'md' } },
    // Descriptions under the input, so inputs side by side line up whether or not they have one.
    InputWrapper: { defaultProps: { inputWrapperOrder: ['label', 'input', 'description', 'error'] } },
    // The close button is an icon: screen readers need its name.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } } }),
  },
});

/**
 * WCAG AA (4.5:1) for the small text this dense UI is full of, where Mantine's defaults fall
 * short (axe-core finds 3.3:1 and less): dimmed text, error messages, and the text of "light"
 * variants (nav links, badges, alerts) on their tinted backgrounds, hovered or not.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {
    // With shade 9 as the filled colour Mantine hovers to the lighter shade 8 (3.9:1 under white text): hover darker instead.
    '--mantine-primary-color-filled-hover': darken(t.colors[t.primaryColor]![9], 0.2),
    [`--mantine-color-${t.primaryColor}-filled-hover`]: darken(t.colors[t.primaryColor]![9], 0.2),
  },
  light: {
    // Between gray-6 (3.3:1 on white) and gray-7 (too dark to read as secondary): 5.4:1.
    '--mantine-color-dimmed': '#636b73',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    ...Object.fromEntries(Object.entries(t.colors).map(([name, shades]) => [`--mantine-color-${name}-light-color`, darken(shades[9], 0.3)])),
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
  },
});
