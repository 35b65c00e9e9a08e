// Model ids in presets follow the same rule as model ids in settings (they end up in request
// bodies and URL paths); kept here so the pure preset code does not import the settings module.

const modelIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;

export function isValidPresetModelId(model: string): boolean {
  return modelIdPattern.test(model) && !model.includes('..');
}

/** The file name of a preset called `name`. */
export function presetFileName(name: string): string {
  return `${name}.prompt.md`;
}

/** `review.prompt.md` → `review`; undefined for other files. */
export function presetNameFromFile(fileName: string): string | undefined {
  const match = /^(.+)\.prompt\.md$/i.exec(fileName);
  return match?.[1];
}
