// Which stored keys are old enough to suggest rotating (`byok.keys.rotateAfterDays`). Pure: the
// notifier decides when to ask and remembers whom it reminded this session.

import { daysSince } from '../config/keyDates';

export interface RotationCandidate {
  providerId: string;
  setOn: string;
  ageDays: number;
}

export function keysDueForRotation(options: {
  providerIds: readonly string[];
  setOn: (providerId: string) => string | undefined;
  rotateAfterDays: number;
  now: Date;
  alreadyReminded: ReadonlySet<string>;
}): RotationCandidate[] {
  if (!(options.rotateAfterDays > 0)) return [];
  const due: RotationCandidate[] = [];
  for (const providerId of options.providerIds) {
    if (options.alreadyReminded.has(providerId)) continue;
    const setOn = options.setOn(providerId);
    const ageDays = setOn === undefined ? undefined : daysSince(setOn, options.now);
    if (setOn !== undefined && ageDays !== undefined && ageDays >= options.rotateAfterDays) due.push({ providerId, setOn, ageDays });
  }
  return due;
}
