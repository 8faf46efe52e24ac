// A test process that starts a service (sleep) in an attached scope and prints its PID
// and folder. On a line from stdin it ends the way argv[2] says (exit or throw); with
// "wait" it runs until signalled.
import { ServiceScope } from '../service-scope.js';

const scope = new ServiceScope('owner-spec');
const service = scope.spawn({ name: 'sleeper', command: 'sleep', args: ['300'], logFile: `${scope.dir}/sleep.log` });
process.stdout.write(`${JSON.stringify({ pid: service.pid, dir: scope.dir })}\n`);
const how = process.argv[2];
setInterval(() => undefined, 1_000);
process.stdin.once('data', () => {
  if (how === 'exit') process.exit(0);
  if (how === 'throw') throw new Error('the test process crashed');
});
