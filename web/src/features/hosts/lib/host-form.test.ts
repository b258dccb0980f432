import { describe, expect, it } from 'vitest';
import { makeHost } from '../components/test-helpers';
import { formToCreate, formToUpdate, hostToForm } from './host-form';

describe('host form ↔ API', () => {
  it('creates with lower-cased labels, null for unset fields and the default method as null', () => {
    const form = { ...hostToForm(makeHost()), name: ' web-02 ', os: ' Linux ', environment: '', check_method: 'default' as const };
    expect(formToCreate(form)).toMatchObject({ name: 'web-02', os: 'linux', environment: null, check_method: null, credential: null, port: 22 });
  });

  it('sends only changes with the version; clearing detaches and goes back to the default method', () => {
    const host = makeHost({ check_method: 'ssh', credential_id: 'c1', credential_name: 'deploy', version: 7 });
    expect(formToUpdate(host, hostToForm(host))).toEqual({ version: 7 });
    const edited = { ...hostToForm(host), credential: '', check_method: 'default' as const, environment: 'Stage', tags: [] };
    expect(formToUpdate(host, edited)).toEqual({ version: 7, credential: '', clear_check_method: true, environment: 'stage', tags: {} });
  });
});
