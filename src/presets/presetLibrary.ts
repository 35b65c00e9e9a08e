// Reads the presets from their places — built-in, the user's folder in the extension's global
// storage, `.byok/prompts` and (read-only) `.github/prompts` in each workspace folder — on first
// use, never at activation. File watchers made on that first read drop the cache when a preset
// file changes; the next use reads again. Watchers can miss events (remote and network file
// systems, folders outside the workspace), so each use also compares the preset folders'
// modification times — three stats — and reads again when a file was added or removed.
// Problems in a preset file show as diagnostics on it.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../log';
import type { PresetSummary } from '../webview/protocol';
import { builtInPresets } from './builtins';
import { parsePresetFile } from './frontMatter';
import { presetNameFromFile } from './names';
import { describeSource, resolvePresets, type OfferedPreset } from './resolve';
import { presetSourceLabels, type Preset, type PresetProblem, type PresetSource } from './types';
import { unknownVariables } from './variables';

export const workspacePresetFolder = '.byok/prompts';
export const githubPresetFolder = '.github/prompts';
const presetGlob = '*.prompt.md';

export interface PresetLibraryOptions {
  /** The extension's global storage; user presets live in its `presets` folder. */
  globalStorage: vscode.Uri;
  hiddenBuiltIns(): string[];
  onDidChangeSettings: vscode.Event<void>;
  log: Log;
}

export class PresetLibrary implements vscode.Disposable {
  private cache: Promise<OfferedPreset[]> | undefined;
  /** The preset folders' modification times when the cache was read. */
  private cacheStamp: string | undefined;
  private watchers: vscode.Disposable[] | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the offered presets may have changed (a file, trust or the hidden list). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('byok-presets');
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly options: PresetLibraryOptions) {
    // Listeners only: nothing is read until a preset is used or a preset file is opened.
    this.disposables = [
      this.changeEmitter, this.diagnostics,
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => { this.disposeWatchers(); this.invalidate(); }),
      options.onDidChangeSettings(() => { if (this.cache) this.invalidate(); }),
      vscode.workspace.onDidOpenTextDocument(document => this.checkDocument(document)),
      vscode.workspace.onDidChangeTextDocument(event => this.checkDocument(event.document)),
      vscode.workspace.onDidCloseTextDocument(document => { if (!this.isPresetFile(document.uri)) return; void this.checkFileOnDisk(document.uri); }),
    ];
  }

  dispose(): void {
    this.disposeWatchers();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  get userFolder(): vscode.Uri {
    return vscode.Uri.joinPath(this.options.globalStorage, 'presets');
  }

  /** The offered presets, one per name, sorted by name. Reads the files on the first call after a change. */
  async list(): Promise<OfferedPreset[]> {
    const stamp = await this.folderStamp();
    if (this.cache && stamp !== this.cacheStamp) this.cache = undefined;
    this.cacheStamp = stamp;
    this.cache ??= this.load().catch(error => {
      this.options.log.error('presets: reading failed', error);
      this.cache = undefined;
      return resolvePresets(builtInPresets, { trusted: false, hiddenBuiltIns: this.options.hiddenBuiltIns() });
    });
    return this.cache;
  }

  /** Modification times of every preset folder; a file added or removed changes its folder's. */
  private async folderStamp(): Promise<string> {
    const folders = [this.userFolder];
    if (vscode.workspace.isTrusted) {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        folders.push(vscode.Uri.joinPath(folder.uri, workspacePresetFolder), vscode.Uri.joinPath(folder.uri, githubPresetFolder));
      }
    }
    const times = await Promise.all(folders.map(folder => vscode.workspace.fs.stat(folder).then(stat => stat.mtime, () => -1)));
    return times.join(',');
  }

  async find(name: string): Promise<OfferedPreset | undefined> {
    const wanted = name.toLowerCase();
    return (await this.list()).find(preset => preset.name.toLowerCase() === wanted);
  }

  async summaries(): Promise<PresetSummary[]> {
    return (await this.list()).map(summaryOf);
  }

  invalidate(): void {
    this.cache = undefined;
    this.changeEmitter.fire();
  }

  private async load(): Promise<OfferedPreset[]> {
    // A watcher on a folder that does not exist yet never fires: make the user's folder first.
    await vscode.workspace.fs.createDirectory(this.userFolder).then(undefined, error => this.options.log.warn(`presets: cannot create the user preset folder: ${String(error)}`));
    this.watch();
    const trusted = vscode.workspace.isTrusted;
    const read: Preset[] = [...builtInPresets];
    read.push(...await this.readFolder(this.userFolder, 'user'));
    if (trusted) {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        read.push(...await this.readFolder(vscode.Uri.joinPath(folder.uri, workspacePresetFolder), 'workspace'));
        read.push(...await this.readFolder(vscode.Uri.joinPath(folder.uri, githubPresetFolder), 'github'));
      }
    }
    return resolvePresets(read, { trusted, hiddenBuiltIns: this.options.hiddenBuiltIns() });
  }

  private async readFolder(folder: vscode.Uri, source: PresetSource): Promise<Preset[]> {
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(folder);
    } catch {
      return [];
    }
    const presets: Preset[] = [];
    for (const [fileName, type] of entries) {
      const fallbackName = presetNameFromFile(fileName);
      if (type !== vscode.FileType.File || !fallbackName) continue;
      const uri = vscode.Uri.joinPath(folder, fileName);
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const { preset, problems } = parsePresetFile(text, fallbackName);
        this.report(uri, problems, preset?.body);
        if (preset) presets.push({ ...preset, source, location: uri.toString() });
        else this.options.log.warn(`presets: skipped ${path.basename(uri.path)}: ${problems.map(problem => problem.message).join(' ')}`);
      } catch (error) {
        this.options.log.warn(`presets: could not read ${path.basename(uri.path)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return presets;
  }

  private watch(): void {
    if (this.watchers) return;
    const patterns: vscode.RelativePattern[] = [new vscode.RelativePattern(this.userFolder, presetGlob)];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      patterns.push(new vscode.RelativePattern(folder, `${workspacePresetFolder}/${presetGlob}`));
      patterns.push(new vscode.RelativePattern(folder, `${githubPresetFolder}/${presetGlob}`));
    }
    this.watchers = patterns.flatMap(pattern => {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const changed = (uri: vscode.Uri): void => {
        if (!this.cache) return;
        this.options.log.info(`presets: ${path.basename(uri.path)} changed; reading the presets again on next use`);
        this.invalidate();
      };
      return [watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(uri => { this.diagnostics.delete(uri); changed(uri); })];
    });
  }

  private disposeWatchers(): void {
    for (const disposable of this.watchers?.splice(0) ?? []) disposable.dispose();
    this.watchers = undefined;
  }

  /** Whether `uri` is a `.prompt.md` file in one of the preset folders. */
  isPresetFile(uri: vscode.Uri): boolean {
    if (!presetNameFromFile(path.basename(uri.path))) return false;
    const folder = path.posix.dirname(uri.path);
    if (folder === this.userFolder.path) return true;
    return (vscode.workspace.workspaceFolders ?? []).some(workspace =>
      folder === path.posix.join(workspace.uri.path, workspacePresetFolder) || folder === path.posix.join(workspace.uri.path, githubPresetFolder));
  }

  /** The schema check of an open preset file, as the user types. */
  private checkDocument(document: vscode.TextDocument): void {
    if (!this.isPresetFile(document.uri)) return;
    const { preset, problems } = parsePresetFile(document.getText(), presetNameFromFile(path.basename(document.uri.path)) ?? '');
    this.report(document.uri, problems, preset?.body, document.getText());
  }

  private async checkFileOnDisk(uri: vscode.Uri): Promise<void> {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const { preset, problems } = parsePresetFile(text, presetNameFromFile(path.basename(uri.path)) ?? '');
      this.report(uri, problems, preset?.body, text);
    } catch {
      this.diagnostics.delete(uri);
    }
  }

  private report(uri: vscode.Uri, problems: PresetProblem[], body: string | undefined, text?: string): void {
    const diagnostics = problems.map(problem => {
      const range = new vscode.Range(problem.line, 0, problem.line, 1_000);
      const diagnostic = new vscode.Diagnostic(range, problem.message, problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'BYOK AI preset';
      return diagnostic;
    });
    if (problems.some(problem => problem.severity === 'error')) {
      diagnostics.push(Object.assign(new vscode.Diagnostic(new vscode.Range(0, 0, 0, 3), 'This preset is skipped until the errors are fixed.', vscode.DiagnosticSeverity.Information), { source: 'BYOK AI preset' }));
    }
    if (body !== undefined) {
      const lines = text?.split(/\r?\n/);
      for (const name of unknownVariables(body)) {
        const line = Math.max(0, lines?.findIndex(each => each.includes(`\${${name}}`)) ?? 0);
        const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, 1_000),
          `Unknown variable \${${name}}: running this preset shows an error instead of sending.`, vscode.DiagnosticSeverity.Warning);
        diagnostic.source = 'BYOK AI preset';
        diagnostics.push(diagnostic);
      }
    }
    this.diagnostics.set(uri, diagnostics);
  }
}

export function summaryOf(preset: OfferedPreset): PresetSummary {
  return {
    name: preset.name, description: preset.description, argumentHint: preset.argumentHint, source: preset.source,
    sourceLabel: describeSource(preset, presetSourceLabels), mode: preset.mode,
  };
}
