// Prints vitest's JSON results as the one closing line CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs';

let results;
try {
  results = JSON.parse(readFileSync(process.argv[2], 'utf8'));
} catch (error) {
  console.log(`no test results (${error.message})`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const failedSuites = results.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
const passed = results.numPassedTests;
const failed = results.numFailedTests + failedSuites;
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || !passed ? 1 : 0);
