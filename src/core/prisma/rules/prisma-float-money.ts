import { finding } from '../../findings/types';
import type { Finding } from '../../findings/types';
import type { PrismaRule } from '../rule';
import type { PrismaField, PrismaFile } from '../parse';
import type { TextEdit } from '../../findings/types';

/** `Float` → `Decimal`, and ` @db.Decimal(12, 2)` after the type's `?`/`[]` unless a native type is already set. */
function decimalEdits(file: PrismaFile, f: PrismaField, hasDb: boolean): TextEdit[] {
  const edits: TextEdit[] = [{ range: f.typeRange, newText: 'Decimal' }];
  if (!hasDb) {
    const end = file.lines.offsetAt(f.typeRange.end);
    const mod = /^(\[\]|\?)?/.exec(file.text.slice(end))![0];
    const at = file.lines.positionAt(end + mod.length);
    edits.push({ range: { start: at, end: at }, newText: ' @db.Decimal(12, 2)' });
  }
  return edits;
}

const MONEY = new Set(['price', 'prices', 'amount', 'amounts', 'cost', 'costs', 'balance', 'total', 'subtotal', 'fee', 'fees', 'tax', 'vat', 'salary', 'wage', 'revenue', 'payment', 'discount', 'refund', 'charge', 'credit', 'debit', 'budget', 'money', 'cash', 'payout', 'tip', 'income', 'expense', 'spend', 'profit']);

/** `unitPrice`, `total_amount`, `TAX` → their lower-case words. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

export const isMoneyName = (name: string): boolean => words(name).some((w) => MONEY.has(w));

export const rule: PrismaRule = {
  id: 'prisma-float-money',
  severity: 'warning',
  category: 'prisma',
  summary: 'Float used for a money-like field (price, amount, total …)',
  docs: `## prisma-float-money

**What it finds:** a \`Float\` field whose name says money: price, amount, cost, balance, total, subtotal, fee,
tax, discount, refund, payment, salary, revenue, …

**Why it matters:** \`Float\` is \`double precision\` in PostgreSQL, a binary floating point type: 0.1 + 0.2 is
0.30000000000000004, and sums of many prices drift by cents. Money needs exact arithmetic.

**How to fix:** use \`Decimal\` (PostgreSQL \`numeric\`; Prisma Client returns a \`Prisma.Decimal\`), with an explicit
precision, or store integer cents in an \`Int\`/\`BigInt\`:
\`\`\`prisma
model Order {
  id    Int     @id
  total Decimal @db.Decimal(12, 2)
}
\`\`\`
The quick fix changes the type to \`Decimal @db.Decimal(12, 2)\`; check the code that reads the field.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const schema of ctx.schemas) {
      for (const m of schema.models.values()) {
        for (const f of m.model.fields) {
          if (f.type !== 'Float' || !isMoneyName(f.name)) continue;
          const hasDb = f.attributes.some((a) => a.group === 'db');
          out.push(
            finding(rule, m.file.path, f.typeRange,
              `${m.model.name}.${f.name} looks like money but is a Float (double precision): binary floating point cannot hold most decimal amounts exactly, so sums drift by cents. Use Decimal or integer cents.`,
              {
                fixes: [{
                  title: `Change ${f.name} to Decimal${hasDb ? '' : ' @db.Decimal(12, 2)'}`,
                  edits: [{ file: m.file.path, edits: decimalEdits(m.file, f, hasDb) }],
                  isPreferred: true,
                }],
              }),
          );
        }
      }
    }
    return out;
  },
};
