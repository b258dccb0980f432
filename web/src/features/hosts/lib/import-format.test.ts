import { describe, expect, it } from 'vitest';
import { formatFromFileName } from './import-format';

describe('formatFromFileName', () => {
  it('detects the format from the extension', () => {
    expect(formatFromFileName('hosts.csv')).toBe('csv');
    expect(formatFromFileName('Inventory.YML')).toBe('yaml');
    expect(formatFromFileName('hosts.yaml')).toBe('yaml');
    expect(formatFromFileName('hosts.json')).toBe('json');
    expect(formatFromFileName('prod.ini')).toBe('ansible_ini');
    expect(formatFromFileName('ansible.cfg')).toBe('ansible_ini');
    expect(formatFromFileName('hosts')).toBe('ansible_ini');
    expect(formatFromFileName('notes.txt')).toBeNull();
  });
});
