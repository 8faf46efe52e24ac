import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateJournal } from './state-journal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'state-journal-'));
  dirs.push(dir);
  return dir;
}

describe('StateJournal', () => {
  it('loads nothing before the first append, then the state last appended', () => {
    const dir = tempDir();
    const journal = new StateJournal(dir, 'node-1');
    expect(journal.load()).toBeUndefined();
    journal.append(JSON.stringify({ mtu: 1 }));
    journal.append(JSON.stringify({ mtu: 2 }));
    journal.close();
    expect(new StateJournal(dir, 'node-1').load()).toEqual({ mtu: 2 });
    expect(new StateJournal(dir, 'node-2').load()).toBeUndefined();
  });

  it('skips a state equal to the last one, and a line a crash cut short', () => {
    const dir = tempDir();
    const journal = new StateJournal(dir, 'node-1');
    journal.append('{"mtu":1}');
    journal.append('{"mtu":1}');
    journal.close();
    const path = join(dir, 'node-1.states.jsonl');
    expect(readFileSync(path, 'utf8')).toBe('{"mtu":1}\n');
    appendFileSync(path, '{"mtu":2,"interf');
    expect(new StateJournal(dir, 'node-1').load()).toEqual({ mtu: 1 });
  });

  it('compacts the journal to its last state when loading', () => {
    const dir = tempDir();
    const journal = new StateJournal(dir, 'node-1');
    for (let mtu = 1; mtu <= 5; mtu += 1) journal.append(JSON.stringify({ mtu }));
    journal.close();
    const reloaded = new StateJournal(dir, 'node-1');
    expect(reloaded.load()).toEqual({ mtu: 5 });
    expect(readFileSync(join(dir, 'node-1.states.jsonl'), 'utf8')).toBe('{"mtu":5}\n');
    reloaded.append('{"mtu":5}');
    reloaded.append('{"mtu":6}');
    reloaded.close();
    expect(readFileSync(join(dir, 'node-1.states.jsonl'), 'utf8')).toBe('{"mtu":5}\n{"mtu":6}\n');
  });
});
