// The Rulebook extension: starts `rulebook lsp` over stdio for .rules files.
// Highlighting comes from the TextMate grammars in grammars/ (copied from
// the repository's grammar/ folder by scripts/package-vscode).
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("rulebook");
  const command = config.get("path") || "rulebook";
  const args = ["lsp"];
  const policies = config.get("policies");
  if (policies) args.push("--policies", policies);
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "rulebook" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.rules") },
  };
  client = new LanguageClient("rulebook", "Rulebook", serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
