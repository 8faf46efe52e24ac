import { DEMO_USAGE, DemoUsageError, parseDemoOptions, type DemoOptions } from './demo-options.js';
import { runDemo } from './run-demo.js';

/** `npm run demo`: see {@link DEMO_USAGE}. */
async function main(): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof DemoUsageError)) throw error;
    process.stderr.write(`demo: ${error.message}\n${DEMO_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(DEMO_USAGE);
    return 0;
  }
  const interrupted = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C does not wait for the graceful stop.
    if (interrupted.signal.aborted) process.exit(130);
    process.stderr.write(`\n[demo] ${signal}: stopping everything\n`);
    interrupted.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return runDemo(options, {
    out: { write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    log: (line) => process.stderr.write(`${line}\n`),
    interrupted: interrupted.signal,
  });
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
