// The manifest and the code must agree: setting defaults, command ids, activation, engines.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { settingDefaults, keyRoutingSettings } from '../../src/config/settingDefaults';
import { repoRoot } from '../fakes/repoRoot';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const properties: Record<string, { default: unknown; scope?: string }> = manifest.contributes.configuration.properties;

describe('package.json manifest', () => {
  it('declares exactly the settings the code has defaults for, with equal defaults', () => {
    const declared = Object.keys(properties).sort();
    const inCode = Object.keys(settingDefaults).map(name => `byok.${name}`).sort();
    assert.deepEqual(declared, inCode);
    for (const [name, value] of Object.entries(settingDefaults)) {
      assert.deepEqual(properties[`byok.${name}`]?.default, value, `default of byok.${name}`);
    }
  });

  it('gives every key-routing setting application scope, so a workspace cannot redirect a key', () => {
    for (const name of keyRoutingSettings) assert.equal(properties[`byok.${name}`]?.scope, 'application', `byok.${name}`);
  });

  it('contributes exactly the commands of the command table', () => {
    const source = fs.readFileSync(path.join(repoRoot, 'src/commands/index.ts'), 'utf8');
    const table = source.slice(source.indexOf('export const commandTable'), source.indexOf('export function commandHandlers'));
    const inTable = [...table.matchAll(/^\s*'(byok\.[A-Za-z]+)':/gm)].map(match => match[1]).sort();
    const contributed = manifest.contributes.commands.map((command: { command: string }) => command.command).sort();
    assert.ok(inTable.length >= 10, 'the command table was parsed');
    assert.deepEqual(contributed, inTable);
  });

  it('activates lazily and pins @types/vscode to the engine floor', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    const floor = manifest.engines.vscode.replace(/^\^/, '');
    assert.equal(manifest.devDependencies['@types/vscode'], floor);
    assert.ok(Number(floor.split('.')[1]) >= 101, 'engines.vscode >= 1.101 (Node 22 extension host)');
    assert.equal(manifest.main, './dist/extension.js');
  });

  it('every menu and keybinding names a contributed command', () => {
    const ids = new Set(manifest.contributes.commands.map((command: { command: string }) => command.command));
    const menus = Object.values(manifest.contributes.menus).flat() as { command: string }[];
    for (const entry of [...menus, ...manifest.contributes.keybindings]) assert.ok(ids.has(entry.command), entry.command);
  });
});
