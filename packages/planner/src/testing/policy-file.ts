/* Test support for specs that read nmpolicy files; not exported from the package. */

/**
 * The `capture` section of an nmpolicy file or NNCP manifest: a mapping of names to expressions
 * written as plain, quoted or folded (`>-`) scalars, which is all the corpus
 * uses. Anything else fails loudly. (The model parses the `desiredState`.)
 */
export function readCaptureSection(text: string): Record<string, string> {
  const lines = text.split('\n');
  // Top level in an nmpolicy file, under `spec:` in a NodeNetworkConfigurationPolicy.
  const start = lines.findIndex((l) => /^ *capture:\s*$/.test(l));
  const out: Record<string, string> = {};
  if (start < 0) return out;
  const base = (lines[start] as string).indexOf('capture:');
  const entry = new RegExp(`^ {${base + 2}}([^\\s:][^:]*):\\s*(.*)$`);
  const continuation = new RegExp(`^ {${base + 3},}\\S`);
  for (let i = start + 1; i < lines.length; ) {
    const line = lines[i] as string;
    if (line.trim() === '' || line.trim().startsWith('#')) {
      i++;
      continue;
    }
    if (line.length - line.trimStart().length <= base) break;
    const m = entry.exec(line);
    if (!m) throw new Error(`Unsupported capture line: ${line}`);
    const [, name = '', rest = ''] = m;
    const more: string[] = [];
    i++;
    while (i < lines.length && (continuation.test(lines[i] as string) || (lines[i] as string).trim() === '')) {
      if ((lines[i] as string).trim() !== '') more.push((lines[i] as string).trim());
      i++;
    }
    let value: string;
    if (/^>-?$/.test(rest)) value = more.join(' ');
    else if (/^".*"$/.test(rest) || /^'.*'$/.test(rest)) value = rest.slice(1, -1).replaceAll("''", "'");
    else if (/^[|>]/.test(rest) || /^["']/.test(rest)) throw new Error(`Unsupported capture scalar: ${line}`);
    else value = [rest, ...more].join(' ').trim();
    out[name] = value;
  }
  return out;
}
