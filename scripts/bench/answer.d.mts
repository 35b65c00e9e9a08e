export function seededRandom(seed: number): () => number;
export function tokenize(text: string): string[];
export function makeAnswer(options: { tokens: number; seed?: number }): { text: string; deltas: string[] };
