/**
 * Helpers for tests of the ledger and of code that moves money through it:
 * `@modelfaucet/ledger/testing`. Never imported by production code.
 */
export {
  expectReconciled,
  newDeveloper,
  newUser,
  storedRow,
  uniqueId,
  usageHold,
  usageSplit,
} from "./ledger-fixtures.js";
