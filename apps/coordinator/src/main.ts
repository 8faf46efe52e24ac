import { createLogger, runMain, stopOnSignals } from '@nmfleet/telemetry';
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
  stopOnSignals(logger, () => coordinator.stop());
}

runMain('nmfleet-coordinator', main);
