import { useComputedColorScheme, useMantineColorScheme } from '@mantine/core';

export function useToggleColorScheme() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false });
  return () => setColorScheme(computed === 'dark' ? 'light' : 'dark');
}
