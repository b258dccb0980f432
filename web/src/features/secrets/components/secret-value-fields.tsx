import type { SecretKind } from '@/api/types';
import type { ValueInputProps } from '../lib/value-draft';
import { FileSecretInput } from './file-input';
import { SecretValueInput } from './secret-value-input';
import { SshCredentialInput } from './ssh-credential-input';
import { SshKeyInput } from './ssh-key-input';

/** The value inputs for `kind`; create and replace share them. `label` names a plain value. */
export function SecretValueFields({ kind, label, ...props }: ValueInputProps & { kind: SecretKind; label: string }) {
  switch (kind) {
    case 'ssh_key':
      return <SshKeyInput {...props} />;
    case 'ssh_credential':
      return <SshCredentialInput {...props} />;
    case 'file':
      return <FileSecretInput {...props} />;
    default:
      return (
        <SecretValueInput kind={kind} label={label} value={props.draft.value} error={props.errors.value} onChange={(value) => props.onChange({ value })} />
      );
  }
}
