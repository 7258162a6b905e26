import type { PrismaRule } from '../rule';
import { rule as rlsMissing } from './prisma-rls-missing';
import { rule as unindexedRelation } from './prisma-unindexed-relation';
import { rule as cascadeDeleteUnindexed } from './prisma-cascade-delete-unindexed';
import { rule as missingId } from './prisma-missing-id';
import { rule as floatMoney } from './prisma-float-money';
import { rule as datetimeWithoutTimezone } from './prisma-datetime-without-timezone';
import { rule as intId } from './prisma-int-id';
import { rule as rlsWithoutPolicy } from './prisma-rls-without-policy';
import { rule as implicitManyToMany } from './prisma-implicit-many-to-many';
import { rule as policyColumnUnindexed } from './prisma-policy-column-unindexed';

/** Every Prisma rule, in report order. */
export const prismaRules: readonly PrismaRule[] = [rlsMissing, unindexedRelation, cascadeDeleteUnindexed, missingId, floatMoney, datetimeWithoutTimezone, intId, rlsWithoutPolicy, implicitManyToMany, policyColumnUnindexed];
