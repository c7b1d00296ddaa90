// VS Code client for the dunderls language server (`dunderls server`, stdio).

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  type DocumentSelector,
  type Executable,
  LanguageClient,
  type LanguageClientOptions,
  ResponseError,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { distinctRules, explainFailureMarkdown, isPlausibleRuleCode, type RuleRef, DIAGNOSTIC_SOURCE } from './rules';
import { INSTALL_HINT, isNotFoundError, type Resolution, resolveServerCommand } from './serverPath';
import { configurationItem, mapSettings, readUserSettings, SECTION, type ServerSettings } from './settings';

const CLIENT_ID = 'dunderls';
const CLIENT_NAME = 'dunderls';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('dunderls');
const RULE_DOC_SCHEME = 'dunderls-rule';

/** Python files on disk, unsaved Python buffers and Python notebook cells. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { notebook: '*', language: 'python' },
];

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let traceOutput: vscode.OutputChannel;
/** Start/stop/restart are serialised through this chain. */
let lifecycle: Promise<void> = Promise.resolve();
const loggedWarnings = new Set<string>();
const ruleDocs = new Map<string, string>();
const ruleDocsChanged = new vscode.EventEmitter<vscode.Uri>();

function enqueue(task: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(task, task).catch((error: unknown) => {
    output.error(`dunderls: ${String(error)}`);
  });
  return lifecycle;
}

/** The mapped server settings for a scope; problems are logged once. */
function currentSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const { settings, warnings } = mapSettings(readUserSettings((key) => config.get(key)));
  for (const warning of warnings) {
    if (!loggedWarnings.has(warning)) {
      loggedWarnings.add(warning);
      output.warn(warning);
    }
  }
  return settings;
}

function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(p, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function resolveServer(): Resolution {
  return resolveServerCommand({
    configured: vscode.workspace.getConfiguration(SECTION).get<string>('path', ''),
    env: process.env,
    platform: process.platform,
    homedir: os.homedir(),
    workspaceFolders: workspaceFolderPaths(),
    isExecutable: isExecutableFile,
  });
}

async function showNotFound(detail: string): Promise<void> {
  output.error(`${detail} ${INSTALL_HINT}`);
  const openSettings = 'Open Settings';
  const showOutput = 'Show Output';
  const choice = await vscode.window.showErrorMessage(`dunderls: ${detail} ${INSTALL_HINT}`, openSettings, showOutput);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'dunderls.path');
  } else if (choice === showOutput) {
    output.show();
  }
}

function createClient(command: string): LanguageClient {
  const cwd = workspaceFolderPaths()[0];
  const executable: Executable = {
    command,
    args: ['server'],
    // No `transport`: stdio pipes are used either way, but `TransportKind.stdio`
    // would append `--stdio` to the command line, which `dunderls server` does
    // not take.
    options: cwd !== undefined ? { cwd } : {},
  };
  const serverOptions: ServerOptions = { run: executable, debug: executable };

  // `languageClient` is assigned right below; the middleware runs only after start().
  let languageClient: LanguageClient;
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    diagnosticCollectionName: CLIENT_ID,
    outputChannel: output,
    traceOutputChannel: traceOutput,
    // Sent with `initialize`; pyproject.toml key names, user-set keys only.
    initializationOptions: () => currentSettings(),
    // Makes the client send workspace/didChangeConfiguration when `dunderls.*`
    // changes; the middleware below replaces the raw payload with the mapped one.
    synchronize: { configurationSection: SECTION },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const defaults = await next(params, token);
          if (defaults instanceof ResponseError || !Array.isArray(defaults)) {
            return defaults;
          }
          return params.items.map((item, index) => {
            const scope =
              item.scopeUri !== undefined && item.scopeUri !== null
                ? languageClient.protocol2CodeConverter.asUri(item.scopeUri)
                : undefined;
            const ours = configurationItem(item.section, currentSettings(scope));
            return ours === undefined ? defaults[index] : ours;
          });
        },
        didChangeConfiguration: async (sections, next) => {
          if (sections === undefined || !sections.includes(SECTION)) {
            return next(sections);
          }
          const settings: Record<string, unknown> = {};
          for (const section of sections) {
            settings[section] =
              section === SECTION ? currentSettings() : vscode.workspace.getConfiguration().get(section);
          }
          await languageClient.sendNotification(DidChangeConfigurationNotification.type, { settings });
        },
      },
    },
  };
  languageClient = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  return languageClient;
}

async function startServer(): Promise<void> {
  const resolution = resolveServer();
  if (!resolution.ok) {
    void showNotFound(resolution.message);
    return;
  }
  output.info(`Starting ${resolution.command} server`);
  const newClient = createClient(resolution.command);
  client = newClient;
  try {
    await newClient.start();
    output.info(`dunderls server running (${resolution.command})`);
  } catch (error) {
    if (isNotFoundError(error)) {
      void showNotFound(`Could not start \`${resolution.command} server\`: ${String(error)}.`);
    } else {
      output.error(`dunderls server failed to start: ${String(error)}`);
      void vscode.window
        .showErrorMessage(`dunderls: the server failed to start: ${String(error)}`, 'Show Output')
        .then((choice) => choice && output.show());
    }
  }
}

async function stopServer(): Promise<void> {
  const old = client;
  client = undefined;
  if (old === undefined) {
    return;
  }
  try {
    if (old.state === State.Running) {
      await old.stop();
    }
  } catch (error) {
    output.warn(`Stopping the dunderls server: ${String(error)}`);
  }
  try {
    await old.dispose();
  } catch {
    // A client that never started cannot be stopped; nothing to clean up.
  }
}

function restartServer(): Promise<void> {
  return enqueue(async () => {
    await stopServer();
    await startServer();
  });
}

// ---------------------------------------------------------------- rule docs

function dunderlsDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  // Our own collection (push diagnostics, source may be unset) plus any
  // diagnostic that says it comes from dunderls (pull diagnostics).
  const own = client?.diagnostics?.get(uri) ?? [];
  const tagged = vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
  return [...own, ...tagged];
}

async function pickRuleAtCursor(): Promise<RuleRef | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor !== undefined) {
    const all = dunderlsDiagnostics(editor.document.uri);
    const position = editor.selection.active;
    let rules = distinctRules(all.filter((d) => d.range.contains(position)));
    if (rules.length === 0) {
      rules = distinctRules(all.filter((d) => d.range.start.line <= position.line && position.line <= d.range.end.line));
    }
    if (rules.length === 1) {
      return rules[0];
    }
    if (rules.length > 1) {
      const picked = await vscode.window.showQuickPick(
        rules.map((rule) => ({ label: rule.code, description: rule.href, rule })),
        { placeHolder: 'Several dunderls rules apply here: show the documentation of' },
      );
      return picked?.rule;
    }
  }
  const typed = await vscode.window.showInputBox({
    prompt: 'No dunderls diagnostic under the cursor. Rule code to explain:',
    placeHolder: 'rule code, e.g. the code shown in the Problems panel',
    validateInput: (text) => (text.trim() === '' || isPlausibleRuleCode(text) ? undefined : 'Not a rule code'),
  });
  return typed !== undefined && typed.trim() !== '' ? { code: typed.trim() } : undefined;
}

function runExplain(command: string, code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      ['explain', code],
      { timeout: 15_000, maxBuffer: 8 * 1024 * 1024, cwd: workspaceFolderPaths()[0], windowsHide: true },
      (error, stdout, stderr) => {
        if (error) {
          reject(Object.assign(error, { stderr: String(stderr) }));
        } else {
          resolve(String(stdout));
        }
      },
    );
  });
}

async function showMarkdown(code: string, markdown: string): Promise<void> {
  const uri = vscode.Uri.from({ scheme: RULE_DOC_SCHEME, path: `/${code}.md` });
  ruleDocs.set(uri.toString(), markdown);
  ruleDocsChanged.fire(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}

async function showRuleDocs(arg?: unknown): Promise<void> {
  const rule: RuleRef | undefined =
    typeof arg === 'string' && arg.trim() !== '' ? { code: arg.trim() } : await pickRuleAtCursor();
  if (rule === undefined) {
    return;
  }
  if (rule.href === undefined && !isPlausibleRuleCode(rule.code)) {
    void vscode.window.showErrorMessage(`dunderls: "${rule.code}" is not a rule code.`);
    return;
  }
  if (rule.href !== undefined) {
    const target = vscode.Uri.parse(rule.href);
    if (target.scheme === 'http' || target.scheme === 'https') {
      await vscode.env.openExternal(target);
    } else {
      await vscode.commands.executeCommand('vscode.open', target);
    }
    return;
  }
  const resolution = resolveServer();
  if (!resolution.ok) {
    await showNotFound(resolution.message);
    return;
  }
  try {
    const text = await runExplain(resolution.command, rule.code);
    await showMarkdown(rule.code, text.trim() === '' ? `# ${rule.code}\n\n_No documentation._\n` : text);
  } catch (error) {
    if (isNotFoundError(error)) {
      await showNotFound(`Could not run \`${resolution.command} explain\`: ${String(error)}.`);
      return;
    }
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const detail = stderr.trim() !== '' ? stderr : String(error);
    output.error(`dunderls explain ${rule.code} failed: ${detail}`);
    await showMarkdown(rule.code, explainFailureMarkdown(rule.code, detail));
  }
}

// ------------------------------------------------------------------ fix all

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== 'python') {
    void vscode.window.showInformationMessage('dunderls: open a Python file to fix.');
    return;
  }
  if (client === undefined || client.state !== State.Running) {
    void vscode.window.showWarningMessage('dunderls: the language server is not running (see "dunderls: Restart Server").');
    return;
  }
  const document = editor.document;
  const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
      'vscode.executeCodeActionProvider',
      document.uri,
      whole,
      FIX_ALL_KIND.value,
      100,
    )) ?? [];
  const fix = actions.find((action): action is vscode.CodeAction => {
    const kind = (action as vscode.CodeAction).kind;
    return kind !== undefined && FIX_ALL_KIND.contains(kind);
  });
  if (fix === undefined) {
    void vscode.window.setStatusBarMessage('dunderls: nothing to fix', 3000);
    return;
  }
  if (fix.edit !== undefined && !(await vscode.workspace.applyEdit(fix.edit))) {
    void vscode.window.showErrorMessage('dunderls: could not apply the fixes (the document changed?).');
    return;
  }
  if (fix.command !== undefined) {
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
  }
}

// --------------------------------------------------------------- lifecycle

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('dunderls', { log: true });
  traceOutput = vscode.window.createOutputChannel('dunderls Trace');
  context.subscriptions.push(output, traceOutput, ruleDocsChanged);

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOC_SCHEME, {
      onDidChange: ruleDocsChanged.event,
      provideTextDocumentContent: (uri) => ruleDocs.get(uri.toString()) ?? '',
    }),
    vscode.commands.registerCommand('dunderls.restart', () => restartServer()),
    vscode.commands.registerCommand('dunderls.showRuleDocs', (arg?: unknown) => showRuleDocs(arg)),
    vscode.commands.registerCommand('dunderls.fixAll', () => fixAll()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.path`)) {
        output.info('dunderls.path changed; restarting the server');
        void restartServer();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // Workspace-level `dunderls.path` applies only once the workspace is trusted.
      void restartServer();
    }),
  );

  // Not awaited: a server that hangs in `initialize` must not block activation
  // (and with it the commands, e.g. dunderls.restart).
  void enqueue(startServer);
}

export async function deactivate(): Promise<void> {
  await enqueue(stopServer);
}
