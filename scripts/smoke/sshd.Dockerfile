# A managed server for scripts/compose-smoke.sh: OpenSSH and Python (for Ansible modules), with a
# user `deploy` who logs in with the key given in AUTHORIZED_KEY at run time.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssh-server python3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --shell /bin/bash deploy \
 && mkdir -p /run/sshd \
 && ssh-keygen -A
COPY sshd-entrypoint.sh /usr/local/bin/sshd-entrypoint
EXPOSE 22
CMD ["sshd-entrypoint"]
