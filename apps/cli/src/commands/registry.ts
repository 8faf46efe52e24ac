import { createApplyCommand } from './apply.js';
import type { CommandModule } from './command.js';
import { createCommitCommand } from './commit.js';
import { demoCorpusCommand } from './demo-corpus.js';
import { diffCommand } from './diff.js';
import { formatCommand } from './format.js';
import { gcCommand } from './gc.js';
import { planCommand } from './plan.js';
import { policyCommand } from './policy.js';
import { grCommand, revertCommand } from './revert.js';
import { createRollbackCommand } from './rollback.js';
import { createShowCommand } from './show.js';
import { validateCommand } from './validate.js';
import { verifyCommand } from './verify.js';

/**
 * Every `nmfleet` subcommand, in the order `--help` lists them. A new command is a new
 * file in this folder plus one line here.
 */
export const COMMANDS: readonly CommandModule[] = [
  validateCommand,
  formatCommand,
  createShowCommand(),
  createApplyCommand(),
  createCommitCommand(),
  createRollbackCommand(),
  gcCommand,
  policyCommand,
  diffCommand,
  revertCommand,
  grCommand,
  planCommand,
  verifyCommand,
  demoCorpusCommand,
];
