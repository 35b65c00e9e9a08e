// Runs INSIDE the real VS Code extension host (code-server test mode or @vscode/test-electron):
// `vscode` here is the real API. Proves the extension loads from extensionDevelopmentPath,
// activates, contributes its commands, and that a test can run its own fake HTTP server in the host.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';

const EXTENSION_ID = 'byok-ai.byok-ai';

describe('foundation: BYOK AI in the extension host', () => {
  it('runs with the test environment from the harness', () => {
    assert.equal(process.env.BYOK_TEST, '1', 'extensionEnvironment BYOK_TEST=1 reaches the extension host');
    assert.ok(vscode.version, 'the vscode API is available');
  });

  it('is installed from the development path and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers the BYOK AI: New Chat command (byok.newChat)', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate(); // not relying on the test before it
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('byok.newChat'), 'byok.newChat is registered');
  });

  it('a fake provider server started inside the host answers on 127.0.0.1', async () => {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model' }], path: req.url }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/v1/models`);
      const body = (await res.json()) as { data: { id: string }[]; path: string };
      assert.equal(body.data[0]?.id, 'fake-model');
      assert.equal(body.path, '/v1/models');
    } finally {
      server.close();
    }
  });
});
