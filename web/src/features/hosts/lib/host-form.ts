import type { CreateHostBody, Host, UpdateHostBody } from '@/api/types';
import { rowsToTags, tagsToRows } from '@/lib/tags';
import { normalizeLabel, type HostFormValues } from './validation';

export function hostToForm(h: Host): HostFormValues {
  return {
    name: h.name,
    address: h.address,
    port: h.port,
    os: h.os ?? '',
    environment: h.environment ?? '',
    description: h.description,
    tags: tagsToRows(h.tags),
    credential: h.credential_id ?? '',
    check_method: h.check_method ?? 'default',
    legacy_ssh: h.legacy_ssh,
    terminal_recording: h.terminal_recording,
  };
}

export function formToCreate(v: HostFormValues): CreateHostBody {
  return {
    name: v.name.trim(),
    address: v.address.trim(),
    port: v.port === '' ? null : Number(v.port),
    os: normalizeLabel(v.os) || null,
    environment: normalizeLabel(v.environment) || null,
    description: v.description.trim(),
    tags: rowsToTags(v.tags),
    credential: v.credential || null,
    check_method: v.check_method === 'default' ? null : v.check_method,
    legacy_ssh: v.legacy_ssh,
    terminal_recording: v.terminal_recording,
  };
}

/** Only the fields that changed, plus the version read. */
export function formToUpdate(host: Host, v: HostFormValues): UpdateHostBody {
  const next = formToCreate(v);
  const before = formToCreate(hostToForm(host));
  const body: UpdateHostBody = { version: host.version };
  if (next.name !== before.name) body.name = next.name;
  if (next.address !== before.address) body.address = next.address;
  if (next.port !== before.port) body.port = next.port ?? 22;
  if (next.os !== before.os) body.os = next.os ?? '';
  if (next.environment !== before.environment) body.environment = next.environment ?? '';
  if (next.description !== before.description) body.description = next.description;
  if (JSON.stringify(next.tags) !== JSON.stringify(before.tags)) body.tags = next.tags;
  if (next.credential !== before.credential) body.credential = next.credential ?? '';
  if (next.check_method !== before.check_method) {
    if (next.check_method) body.check_method = next.check_method;
    else body.clear_check_method = true;
  }
  if (next.legacy_ssh !== before.legacy_ssh) body.legacy_ssh = next.legacy_ssh;
  if (next.terminal_recording !== before.terminal_recording) body.terminal_recording = next.terminal_recording;
  return body;
}
