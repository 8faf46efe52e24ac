import { describe, expect, it } from 'vitest';
import { invalidCorpus } from '../test/invalid-corpus.js';
import { findCachedNmstatectl } from '@nmfleet/testenv';
import { ORACLE_MISSING, pickNmstatectl, runNmstatectl } from '../test/nmstatectl-oracle.js';

const nmstatectl = pickNmstatectl(findCachedNmstatectl());
const skipNote = nmstatectl === undefined ? ` (skipped: ${ORACLE_MISSING})` : '';
const cases = invalidCorpus();

/** Whether nmstatectl refuses the document when reading it (`format`) or checking it offline (`validate`). */
function isRejectedByNmstate(binary: string, text: string): { rejected: boolean; reason: string } {
  const format = runNmstatectl(binary, 'format', text);
  if (!format.ok) return { rejected: true, reason: format.error };
  const validate = runNmstatectl(binary, 'validate', text);
  return { rejected: !validate.ok, reason: validate.error };
}

describe(`the bad-input corpus against nmstatectl${skipNote}`, () => {
  it.skipIf(nmstatectl === undefined).each(cases.map((c) => [c.file, c] as const))('%s', (_name, c) => {
    const verdict = isRejectedByNmstate(nmstatectl as string, c.text);
    // Every file we reject is rejected by nmstate too, except where we are stricter on purpose.
    expect({ rejected: verdict.rejected, reason: verdict.reason.split('\n')[0] }).toMatchObject({
      rejected: c.stricter === undefined,
    });
  });
});
