import { createLogger } from '@nmfleet/telemetry';
import { ConfigError, loadCoordinatorConfig, type CoordinatorConfig } from './config.js';
import { startCoordinator } from './coordinator.js';

async function main(): Promise<void> {
  let config: CoordinatorConfig;
  try {
    config = loadCoordinatorConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`nmfleet-coordinator: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ name: 'coordinator', level: config.logLevel });
  const coordinator = await startCoordinator(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    coordinator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`nmfleet-coordinator: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
