// Types for scripts/layerRules.mjs (imported by test/unit/layerRules.test.ts).
export interface Violation {
  /** path relative to the checked root, with / separators */
  file: string;
  line: number;
  message: string;
}
export interface ModuleReference {
  specifier: string;
  line: number;
  typeOnly: boolean;
  kind: 'import' | 'export' | 'side-effect' | 'dynamic' | 'require' | 'import-equals';
}
export function maskSource(text: string): { code: string; bare: string };
export function parseImports(text: string): ModuleReference[];
export function checkLayerRules(root: string): Violation[];
export function formatViolations(violations: Violation[]): string;
