// EXPLAIN's text format (what psql prints) reads into the same plan as FORMAT JSON of the same statement,
// on PostgreSQL 18 (PGlite): node types, relations, indexes, estimates, tree shape, subplans, buffers, settings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { analyzePlan } from '../../../src/core/plan/analyze';
import type { PlanAnalysis } from '../../../src/core/plan/types';

let db: PGlite;

before(async () => {
  db = await PGlite.create();
  await db.exec(`
    create table users(id int primary key, name text, org int);
    insert into users select g, 'u' || g, g % 100 from generate_series(1, 5000) g;
    create table orders(id int primary key, user_id int, total numeric, status text);
    insert into orders select g, g % 5000 + 1, g % 1000, case when g % 50 = 0 then 'open' else 'closed' end from generate_series(1, 20000) g;
    create index orders_user_id_idx on orders(user_id);
    create table "Odd Name"("my col" int);
    insert into "Odd Name" select g from generate_series(1, 100) g;
    analyze;
  `);
});
after(async () => {
  await db?.close();
});

async function both(sql: string, options: string): Promise<[PlanAnalysis, PlanAnalysis, string]> {
  const text = (await db.query<{ 'QUERY PLAN': string }>(`explain (${options}) ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
  const json = (await db.query<{ 'QUERY PLAN': unknown }>(`explain (${options}, format json) ${sql}`)).rows[0]!['QUERY PLAN'];
  // As psql shows it: header, dashes, one leading space, footer.
  const psql = ` QUERY PLAN\n${'-'.repeat(40)}\n${text.split('\n').map((l) => ` ${l}`).join('\n')}\n(${text.split('\n').length} rows)\n`;
  return [analyzePlan(psql), analyzePlan(json), text];
}

const shape = (a: PlanAnalysis) => a.nodes.map((n) => ({
  id: n.id, parentId: n.parentId, nodeType: n.nodeType, label: n.label, relation: n.relation, schema: n.schema, alias: n.alias,
  indexName: n.indexName, relationship: n.relationship, subplanName: n.subplanName, joinType: n.joinType,
  startupCost: n.startupCost, totalCost: n.totalCost, estimated: n.rows.estimated, filter: n.filter, indexCond: n.indexCond,
  hashCond: n.hashCond, sortKey: n.sortKey,
}));

const QUERIES = [
  `select u.name, count(*) from users u join orders o on o.user_id = u.id where o.status = 'open' group by u.name order by 2 desc limit 10`,
  `select * from orders o where o.total > (select avg(total) from orders) and exists (select 1 from users u where u.id = o.user_id and u.org = 3)`,
  `with big as materialized (select * from orders where total > 900) select * from big b join users u on u.id = b.user_id`,
  `select * from orders where user_id = 42 or user_id in (select id from users where org = 7 and name like 'u1%')`,
  `select "my col" from "Odd Name" where "my col" = 3 union all select id from users where id < 3`,
];

test('estimated plans: text and JSON give the same nodes', async () => {
  for (const sql of QUERIES) {
    const [fromText, fromJson, raw] = await both(sql, 'costs, verbose');
    assert.deepEqual(shape(fromText), shape(fromJson), `${sql}\n${raw}`);
  }
});

test('EXPLAIN ANALYZE with buffers: rows, loops, buffers, sort and hash details and totals come through', async () => {
  for (const sql of QUERIES) {
    const [fromText, fromJson, raw] = await both(sql, 'analyze, buffers, verbose, settings');
    assert.deepEqual(shape(fromText), shape(fromJson), `${sql}\n${raw}`);
    assert.equal(fromText.analyzed, true);
    assert.equal(fromText.timed, true);
    assert.equal(fromText.hasBuffers, fromJson.hasBuffers, raw);
    assert.ok(fromText.executionTime! > 0 && fromText.planningTime !== null, raw);
    for (const [i, n] of fromText.nodes.entries()) {
      const j = fromJson.nodes[i]!;
      assert.equal(n.loops, j.loops, `${n.label}\n${raw}`);
      assert.equal(n.rows.actual, j.rows.actual, `${n.label}\n${raw}`);
      assert.equal(n.removed.filter, j.removed.filter, `${n.label}\n${raw}`);
      assert.equal(n.sort?.method ?? null, j.sort?.method ?? null, `${n.label}\n${raw}`);
      assert.equal(n.hash?.buckets ?? null, j.hash?.buckets ?? null, `${n.label}\n${raw}`);
      assert.equal(n.buffers === null, j.buffers === null, `${n.label}\n${raw}`);
    }
    assert.deepEqual(fromText.settings, fromJson.settings);
  }
});

test('text lines that are not a plan are refused with the line', () => {
  assert.throws(() => analyzePlan('QUERY PLAN\n-----\nhello: there\n'), /line 1 is neither a plan node nor JSON/);
});
