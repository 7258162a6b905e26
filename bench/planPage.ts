// The benchmark's page for our panel: the same raw EXPLAIN JSON PEV2 gets, analysed in the browser and shown
// through the app's own message path, so both sides start from the same input.
import { analyzePlan } from '../src/core/plan/analyze';
import '../src/webview/main';

const raw = document.getElementById('raw-plan')?.textContent ?? '';
const plan = analyzePlan(raw);
window.postMessage({ type: 'show', title: 'EXPLAIN plan', plan }, '*');
