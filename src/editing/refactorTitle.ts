// The title of the refactor review diff: what was asked and, once the request settled, what it cost.

import { refactorPresets } from './prompts';

const longestInstruction = 40;

/** "math.ts: Refactor: Simplify — $0.0012"; the cost part is left out when there is none to show. */
export function refactorReviewTitle(fileName: string, instruction: string, costText: string | undefined): string {
  const preset = refactorPresets.find(candidate => candidate.instruction === instruction);
  const what = preset?.label ?? shorten(instruction.trim());
  return `${fileName}: Refactor: ${what}${costText ? ` — ${costText}` : ''}`;
}

/** Cut at a word boundary so the title never ends in half a word. */
function shorten(instruction: string): string {
  if (instruction.length <= longestInstruction) return instruction;
  const cut = instruction.slice(0, longestInstruction - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > longestInstruction / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
