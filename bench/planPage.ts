// The benchmark's page for our panel: the same raw EXPLAIN JSON file PEV2 reads, analysed in the browser and
// shown through the app's own message path, so both sides start from the same input.
import { analyzePlan } from '../src/core/plan/analyze';
import { encodeMessage } from '../src/core/plan/wire';
import '../src/webview/main';

void fetch(document.body.dataset['plan'] ?? '').then((r) => r.text()).then((raw) => {
  const plan = analyzePlan(raw);
  // What the extension host posts (src/vscode/explain/panel.ts): the packed message as one string.
  window.postMessage(encodeMessage({ type: 'show', title: 'EXPLAIN plan', plan }), '*');
}, (e: Error) => console.error(`could not read the plan file: ${e.message}`));
