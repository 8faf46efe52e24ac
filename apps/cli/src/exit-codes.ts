/**
 * Exit codes of every `nmfleet` command:
 * - 0: success (every file valid, output written);
 * - 1: invalid input or a failed check (the problems are on stderr);
 * - 2: usage errors (unknown command or option, missing argument) and I/O errors
 *   (unreadable file).
 */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  invalid input or a failed check (problems are printed on stderr)
  2  usage error (unknown command or option, missing argument) or I/O error (unreadable file)`;
