import type { Rule } from '../rule';
import { rule as rlsDisabled } from './rls-disabled';
import { rule as policyWithoutRls } from './policy-without-rls';
import { rule as rlsWithoutPolicy } from './rls-without-policy';
import { rule as policyAlwaysTrue } from './policy-always-true';
import { rule as policyUserMetadata } from './policy-user-metadata';
import { rule as authFunctionPerRow } from './auth-function-per-row';
import { rule as multiplePermissivePolicies } from './multiple-permissive-policies';
import { rule as securityDefinerSearchPath } from './security-definer-search-path';
import { rule as securityDefinerView } from './security-definer-view';
import { rule as policyColumnUnindexed } from './policy-column-unindexed';
import { rule as unindexedForeignKey } from './unindexed-foreign-key';
import { rule as duplicateIndex } from './duplicate-index';
import { rule as noPrimaryKey } from './no-primary-key';
import { rule as vectorColumnUnindexed } from './vector-column-unindexed';
import { rule as requireConcurrentIndex } from './require-concurrent-index';
import { rule as concurrentIndexInTransaction } from './concurrent-index-in-transaction';
import { rule as constraintMissingNotValid } from './constraint-missing-not-valid';
import { rule as addingRequiredColumn } from './adding-required-column';
import { rule as volatileDefaultRewrite } from './volatile-default-rewrite';
import { rule as changingColumnType } from './changing-column-type';
import { rule as banDropColumn } from './ban-drop-column';
import { rule as banDropTable } from './ban-drop-table';
import { rule as renamingColumn } from './renaming-column';
import { rule as renamingTable } from './renaming-table';
import { rule as preferTimestamptz } from './prefer-timestamptz';
import { rule as preferText } from './prefer-text';
import { rule as preferBigintId } from './prefer-bigint-id';
import { rule as preferIdentity } from './prefer-identity';
import { rule as requireLockTimeout } from './require-lock-timeout';
import { rule as statementAfterAccessExclusive } from './statement-after-access-exclusive';
import { rule as multipleAlterTable } from './multiple-alter-table';
import { rule as wideLockWindow } from './wide-lock-window';
import { rule as enumValueInSameTransaction } from './enum-value-in-same-transaction';
import { rule as enumValueRenamedOrRemoved } from './enum-value-renamed-or-removed';
import { rule as setNotNullExistingTable } from './set-not-null-existing-table';
import { rule as requireConcurrentIndexDrop } from './require-concurrent-index-drop';
import { rule as droppingNotNull } from './dropping-not-null';
import { rule as constraintBuildsIndex } from './constraint-builds-index';
import { rule as dmlWithoutWhere } from './dml-without-where';
import { rule as preferRobustStmts } from './prefer-robust-stmts';
import { rule as transactionNesting } from './transaction-nesting';
import { rule as dropDatabase } from './drop-database';
import { rule as truncateTable } from './truncate-table';
import { rule as uncommittedTransaction } from './uncommitted-transaction';
import { rule as blockingMaintenance } from './blocking-maintenance';
import { rule as securityDefinerDynamicSql } from './security-definer-dynamic-sql';
import { rule as securityDefinerUnqualifiedReference } from './security-definer-unqualified-reference';
import { rule as functionBodyUnknownReference } from './function-body-unknown-reference';
import { rule as unknownReference } from './unknown-reference';

/** Every rule, in the order they are documented: security, performance & schema, migration safety. */
export const allRules: readonly Rule[] = [
  rlsDisabled, policyWithoutRls, rlsWithoutPolicy, policyAlwaysTrue, policyUserMetadata, authFunctionPerRow,
  multiplePermissivePolicies, securityDefinerSearchPath, securityDefinerDynamicSql, securityDefinerUnqualifiedReference,
  securityDefinerView, policyColumnUnindexed, functionBodyUnknownReference, unknownReference,
  unindexedForeignKey, duplicateIndex, noPrimaryKey, vectorColumnUnindexed,
  requireConcurrentIndex, requireConcurrentIndexDrop, concurrentIndexInTransaction, transactionNesting, preferRobustStmts,
  requireLockTimeout, statementAfterAccessExclusive, multipleAlterTable, wideLockWindow,
  constraintMissingNotValid, constraintBuildsIndex, setNotNullExistingTable, droppingNotNull, addingRequiredColumn,
  volatileDefaultRewrite, changingColumnType, banDropColumn, banDropTable, renamingColumn, renamingTable,
  enumValueInSameTransaction, enumValueRenamedOrRemoved, dmlWithoutWhere, truncateTable, dropDatabase,
  uncommittedTransaction, blockingMaintenance,
  preferTimestamptz, preferText, preferBigintId, preferIdentity,
];
