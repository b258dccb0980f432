import type { ReactNode } from 'react';
import type { TargetSpec } from '@/api/types';

/** A targets editor with a live host count, supplied by the app (it lives in the runs feature). */
export type TargetsSlotProps = { value: TargetSpec; onChange: (spec: TargetSpec) => void; error?: string | null };
export type TargetsSlot = (props: TargetsSlotProps) => ReactNode;
