import { runCli } from './cli.js';
import { processIo } from './cli-io.js';

// The entry point of the bundle (dist/main.mjs), run by bin/nmfleet.mjs.

// A reader that stops early (`nmfleet ... | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
} catch (error) {
  process.stderr.write(`nmfleet: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 70;
}
