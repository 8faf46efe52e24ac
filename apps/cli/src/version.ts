/** Replaced by the bundler (`tools/scripts/bundle-app.mjs`) with the package version. */
declare const NMFLEET_VERSION: string;

/** The version printed by `nmfleet --version`; `0.0.0-dev` when running unbundled (tests). */
export const VERSION: string = typeof NMFLEET_VERSION === 'string' ? NMFLEET_VERSION : '0.0.0-dev';
