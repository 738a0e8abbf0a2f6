/**
 * Applies a saved plan in a child process, so a test can kill it (SIGKILL) at any moment:
 *   tsx test/helpers/apply-child.ts PLAN.json quarantine|roll-forward CHECK_MS
 * In quarantine mode the check only waits CHECK_MS, standing in for the import smoke test.
 */
import { readFileSync } from 'node:fs';
import { applyPlan } from '../../src/apply/apply-plan.ts';
import type { Plan } from '../../src/plan/types.ts';

const [planFile = '', mode = 'quarantine', checkMs = '0'] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
const result = await applyPlan(plan, {
  verify: mode === 'quarantine',
  check: async () => {
    await new Promise((resolve) => setTimeout(resolve, Number(checkMs)));
    return { ok: true };
  },
});
process.stdout.write(`${result.outcome}\n`);
