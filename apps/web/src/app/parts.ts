import { FEATURES } from '../features/index.ts';
import type { Permission } from '../lib/auth/permissions.ts';

const byOrder = <T extends { order: number }>(a: T, b: T) => a.order - b.order;

/** Every feature's parts of the patient's chart that this user may see, in their declared order. */
export function chartParts(can: (permission: Permission) => boolean) {
  const allowed = <T extends { permission?: Permission }>(part: T) => !part.permission || can(part.permission);
  const all = FEATURES.flatMap((f) => (f.chart ? [f.chart] : []));
  return {
    sections: all
      .flatMap((c) => c.sections ?? [])
      .filter(allowed)
      .sort(byOrder),
    summary: all
      .flatMap((c) => c.summary ?? [])
      .filter(allowed)
      .sort(byOrder),
    timeline: new Map(
      all
        .flatMap((c) => c.timeline ?? [])
        .filter(allowed)
        .sort(byOrder)
        .map((k) => [k.kind, k]),
    ),
    banner: all
      .flatMap((c) => c.banner ?? [])
      .filter(allowed)
      .sort(byOrder),
  };
}

/** Every feature's panels of the home page that this user may see, in their declared order. */
export function homeParts(can: (permission: Permission) => boolean) {
  return FEATURES.flatMap((f) => f.home ?? [])
    .filter((part) => can(part.permission))
    .sort(byOrder);
}

/** Every feature's controls of the application header that this user may see, in their declared order. */
export function headerParts(can: (permission: Permission) => boolean) {
  return FEATURES.flatMap((f) => f.header ?? [])
    .filter((part) => can(part.permission))
    .sort(byOrder);
}

/** Every feature's panels of the consultation page that this user may see, in their declared order. */
export function consultationPanels(can: (permission: Permission) => boolean) {
  return FEATURES.flatMap((f) => f.consultation?.panels ?? [])
    .filter((part) => can(part.permission))
    .sort(byOrder);
}
