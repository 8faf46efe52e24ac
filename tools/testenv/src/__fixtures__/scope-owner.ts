// A test process that starts a service (sleep) in an attached scope, prints its
// PID and folder, then ends the way argv[2] says: exit, throw, or wait to be signalled.
import { ServiceScope } from '../service-scope.js';

const scope = new ServiceScope('owner-spec');
const service = scope.spawn({ name: 'sleeper', command: 'sleep', args: ['300'], logFile: `${scope.dir}/sleep.log` });
process.stdout.write(`${JSON.stringify({ pid: service.pid, dir: scope.dir })}\n`);
const how = process.argv[2];
if (how === 'exit') process.exit(0);
if (how === 'throw') throw new Error('the test process crashed');
setInterval(() => undefined, 1_000);
