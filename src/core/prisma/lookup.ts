import { containsPosition } from '../sql/positions';
import type { Position } from '../sql/positions';
import type { PrismaFile } from './parse';
import { buildSchemas, type ResolvedModel } from './schema';

/**
 * The model named at `pos` in `path`: its own name in `model X {`, or a field type that is a model (`author User`),
 * resolved across the files of the same schema. For hovers.
 */
export function modelAtPosition(files: PrismaFile[], path: string, pos: Position): ResolvedModel | undefined {
  const file = files.find((f) => f.path === path);
  if (!file) return undefined;
  const schema = buildSchemas(files.filter((f) => !f.parseError)).find((s) => s.files.includes(file));
  if (!schema) return undefined;
  for (const m of file.models) {
    if (containsPosition(m.nameRange, pos)) return schema.models.get(m.name);
    if (!containsPosition(m.range, pos)) continue;
    for (const f of m.fields) if (containsPosition(f.typeRange, pos)) return schema.models.get(f.type);
  }
  return undefined;
}
