#!/bin/sh
set -eu
install -d -o deploy -g deploy -m 0700 /home/deploy/.ssh
printf '%s\n' "$AUTHORIZED_KEY" > /home/deploy/.ssh/authorized_keys
chown deploy:deploy /home/deploy/.ssh/authorized_keys
chmod 0600 /home/deploy/.ssh/authorized_keys
exec /usr/sbin/sshd -D -e -o PasswordAuthentication=no
