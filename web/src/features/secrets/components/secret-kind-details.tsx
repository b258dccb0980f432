import type { Secret } from '@/api/types';
import { CredentialDetails } from './credential-details';
import { FileDetails } from './file-details';
import { SshKeyDetails } from './ssh-key-details';

/** The non-secret metadata that some kinds carry; nothing for plain values. */
export function SecretKindDetails({ secret }: { secret: Secret }) {
  switch (secret.kind) {
    case 'ssh_key':
      return <SshKeyDetails secret={secret} />;
    case 'ssh_credential':
      return <CredentialDetails secret={secret} />;
    case 'file':
      return <FileDetails secret={secret} />;
    default:
      return null;
  }
}
