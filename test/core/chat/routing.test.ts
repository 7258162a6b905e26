import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentIdOfParticipant, chooseAgent, isRouterParticipant } from '../../../src/core/chat/routing';
import { answeredBy, listCatalog, mdText, stripAnsweredBy } from '../../../src/core/chat/listing';
import { makeAgent, makeCatalog } from '../../support/hand-made-agents';

const general = makeAgent({ id: 'database-engineer', name: 'Database Engineer' });
const rls = makeAgent({ id: 'rls-auditor', name: 'RLS Auditor' });
const planner = makeAgent({ id: 'query-planner', name: 'Query Planner' });
const router = { id: 'database-engineer.database-engineer', name: 'database-engineer' };

test('participant ids map to agent ids; the general participant is recognised by name or id', () => {
  assert.equal(agentIdOfParticipant('database-engineer.rls-auditor'), 'rls-auditor');
  assert.equal(agentIdOfParticipant('database-engineer.'), null);
  assert.equal(agentIdOfParticipant('other.rls-auditor'), null);
  assert.ok(isRouterParticipant(router));
  assert.ok(isRouterParticipant({ id: 'database-engineer' }));
  assert.ok(isRouterParticipant({ id: 'database-engineer.main', name: 'database-engineer' }));
  assert.ok(!isRouterParticipant({ id: 'database-engineer.rls-auditor', name: 'rls-auditor' }));
});

test('an agent participant answers as its own agent, whatever was chosen for the general one', () => {
  const catalog = makeCatalog([general, rls, planner]);
  const choice = chooseAgent({ participant: { id: 'database-engineer.rls-auditor', name: 'rls-auditor' }, catalog, chosenId: 'query-planner' });
  assert.equal(choice.agent?.id, 'rls-auditor');
  assert.equal(choice.agent && choice.reason, 'participant');
});

test('the general participant answers as the chosen agent, else the default', () => {
  const catalog = makeCatalog([rls, general, planner]);
  const chosen = chooseAgent({ participant: router, catalog, chosenId: 'query-planner' });
  assert.equal(chosen.agent?.id, 'query-planner');
  assert.equal(chosen.agent && chosen.reason, 'chosen');
  const fallback = chooseAgent({ participant: router, catalog });
  assert.equal(fallback.agent?.id, 'database-engineer');
  assert.equal(fallback.agent && fallback.reason, 'default');
});

test('a chosen agent that vanished falls back to the default with a note', () => {
  const catalog = makeCatalog([general, rls]);
  const choice = chooseAgent({ participant: router, catalog, chosenId: 'gone-agent' });
  assert.equal(choice.agent?.id, 'database-engineer');
  assert.match(choice.agent ? choice.note ?? '' : '', /'gone-agent', is no longer in the catalog/);
});

test('without a database-engineer agent the default is the first bundled agent', () => {
  const mine = makeAgent({ id: 'aaa-mine', source: 'workspace', file: '/ws/.claude/agents/aaa-mine.md' });
  const catalog = makeCatalog([mine, planner, rls]);
  assert.equal(chooseAgent({ participant: router, catalog }).agent?.id, 'query-planner');
});

test('missing catalog, empty catalog and unknown agents are problems, not throws', () => {
  const noCatalog = chooseAgent({ participant: router, catalog: undefined });
  assert.match(noCatalog.agent ? '' : noCatalog.problem, /catalog is not loaded/);
  const empty = chooseAgent({ participant: router, catalog: makeCatalog([]) });
  assert.match(empty.agent ? '' : empty.problem, /No agents are loaded/);
  const unknown = chooseAgent({ participant: { id: 'database-engineer.ghost' }, catalog: makeCatalog([rls]) });
  assert.match(unknown.agent ? '' : unknown.problem, /No agent 'ghost'/);
});

test('the catalog listing shows every definition with its source, what it shadows, and buttons for active ones', () => {
  const bundledRls = makeAgent({ id: 'rls-auditor', name: 'RLS Auditor', file: '/ext/agents/rls-auditor.md' });
  const workspaceRls = makeAgent({ id: 'rls-auditor', name: 'Our RLS Auditor', source: 'workspace', file: '/ws/.claude/agents/rls-auditor.md' });
  const userAgent = makeAgent({ id: 'my-helper', name: 'My *Helper*', source: 'user', file: '/home/u/.claude/agents/my-helper.md', warnings: [{ message: 'unknown key `colour`', line: 3 }] });
  const catalog = makeCatalog([
    { agent: bundledRls, active: false },
    { agent: workspaceRls, active: true, shadows: '/ext/agents/rls-auditor.md' },
    userAgent,
    planner,
  ]);
  const rows = listCatalog(catalog, { chosenId: 'query-planner', displayPath: (f) => f.replace(/^\/ws\//, '') });
  assert.deepEqual(rows.map((r) => [r.id, r.usable]), [
    ['query-planner', true],
    ['rls-auditor', false],
    ['rls-auditor', true],
    ['my-helper', true],
  ]);
  assert.match(rows[0]!.markdown, /answers on @database-engineer/);
  assert.match(rows[1]!.markdown, /— bundled/);
  assert.match(rows[1]!.markdown, /Shadowed by the workspace agent in `.claude\/agents\/rls-auditor.md`/);
  assert.match(rows[2]!.markdown, /Overrides `\/ext\/agents\/rls-auditor.md`/);
  assert.match(rows[3]!.markdown, /\*\*My \\\*Helper\\\*\*\* `my-helper` — user/);
  assert.match(rows[3]!.markdown, /1 problem\(s\) in this file: unknown key \\`colour\\`/);
  assert.equal(rows[2]!.buttonTitle, 'Use Our RLS Auditor');
});

test('the answered-by line names the agent and is removed again for history', () => {
  const footer = answeredBy(rls, ['chosen agent vanished']);
  assert.match(footer, /Answered by \*\*RLS Auditor\*\* \(bundled agent\)\*/, 'the name says rls-auditor already: named once');
  assert.match(answeredBy({ id: 'database-engineer', name: 'database-engineer', source: 'bundled' }), /\*\*database-engineer\*\* \(bundled agent\)/);
  assert.match(answeredBy({ id: 'dana', name: 'Our DBA', source: 'workspace' }), /\*\*Our DBA\*\* \(`dana`, workspace agent\)/, 'the id when the name does not say it');
  assert.match(footer, /\*chosen agent vanished\*/);
  assert.equal(stripAnsweredBy(`Use a policy.${footer}`), 'Use a policy.');
  assert.equal(stripAnsweredBy('no footer here'), 'no footer here');
  assert.equal(mdText('a_b [c](d) <e>'), 'a\\_b \\[c\\](d) \\<e\\>');
});
