import { parseArgs } from 'node:util';
import { formatState, type NetworkState } from '@nmfleet/model';
import { BackendError, createNetworkManagerBackend, type NetworkBackend } from '@nmfleet/nm-backend';
import type { CliIo } from '../cli-io.js';
import { EXIT_CODES_HELP, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { UsageError, type CommandModule } from './command.js';

const USAGE = `Usage: nmfleet show [options] [IFNAME]

Prints the host's network as NetworkManager and the kernel report it, in the shape
\`nmstatectl show\` prints: interfaces, routes (every table), route rules, DNS and
hostname. IFNAME limits interfaces to that name (shell-style * and ? allowed).
NetworkManager is reached on the system bus, or on DBUS_SYSTEM_BUS_ADDRESS when set
(\`ip netns exec NS env DBUS_SYSTEM_BUS_ADDRESS=… nmfleet show\`).

Options:
  -r, --running-config  configuration only: no running routes or DNS, no dynamic
                        addresses, no MTU range
  -s, --show-secrets    include secrets instead of hiding them
      --json            print JSON instead of YAML
  -h, --help            show this help

${EXIT_CODES_HELP}`;

/** How commands reach the host; tests pass a simulated host instead. */
export type ConnectBackend = () => Promise<NetworkBackend>;

/** The real NetworkManager on the system bus (`DBUS_SYSTEM_BUS_ADDRESS` when set). */
export const connectNetworkManager: ConnectBackend = () => createNetworkManagerBackend();

/**
 * Runs `work` against a backend and turns a {@link BackendError} into the CLI's
 * exit codes: an unreachable NetworkManager is an I/O error (2), anything else a
 * failed operation (1).
 */
export async function withBackend(connect: ConnectBackend, io: CliIo, work: (backend: NetworkBackend) => Promise<number>): Promise<number> {
  let backend: NetworkBackend | undefined;
  try {
    backend = await connect();
    return await work(backend);
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    const where = error.details.where ? ` (at ${error.details.where})` : '';
    io.stderr(`nmfleet: ${error.message}${where}\n`);
    return error.kind === 'unavailable' ? EXIT_USAGE : EXIT_INVALID;
  } finally {
    await backend?.close();
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** `nmfleet show`, reading the host through `connect`. */
export function createShowCommand(connect: ConnectBackend = connectNetworkManager): CommandModule {
  return {
    name: 'show',
    summary: 'print the host network state (nmstatectl show)',
    usage: USAGE,
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: {
          'running-config': { type: 'boolean', short: 'r', default: false },
          'show-secrets': { type: 'boolean', short: 's', default: false },
          json: { type: 'boolean', default: false },
        },
        allowPositionals: true,
      });
      if (positionals.length > 1) throw new UsageError('expected at most one IFNAME');
      return withBackend(connect, io, async (backend) => {
        let state = await backend.show({ runningConfig: values['running-config'], showSecrets: values['show-secrets'] });
        const filter = positionals[0];
        if (filter !== undefined) {
          const pattern = globToRegExp(filter);
          const tree = state as unknown as { interfaces?: { name: string }[] };
          state = { ...state, interfaces: (tree.interfaces ?? []).filter((i) => pattern.test(i.name)) } as unknown as NetworkState;
        }
        io.stdout(values.json ? `${JSON.stringify(state, null, 2)}\n` : formatState(state));
        return EXIT_OK;
      });
    },
  };
}

export const showCommand = createShowCommand();
