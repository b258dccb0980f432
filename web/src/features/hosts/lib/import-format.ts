import type { InventoryFormat } from '@/api/types';

/** Guesses the format from a file name (.csv, .json, .yaml/.yml, .ini/.cfg or an Ansible `hosts` file). */
export function formatFromFileName(name: string): InventoryFormat | null {
  const lower = name.toLowerCase();
  const base = lower.split(/[\\/]/).pop() ?? lower;
  if (base.endsWith('.csv')) return 'csv';
  if (base.endsWith('.json')) return 'json';
  if (base.endsWith('.yaml') || base.endsWith('.yml')) return 'yaml';
  if (base.endsWith('.ini') || base.endsWith('.cfg') || base === 'hosts' || base === 'inventory') return 'ansible_ini';
  return null;
}

/** Examples shown in the format help (kept short; the server documents every column). */
export const FORMAT_EXAMPLES: Record<InventoryFormat, string> = {
  csv: `name,address,port,os,environment,description,tags,credential,check_method
web-01,10.0.0.11,22,linux,prod,Front end,role=web;team=ops,deploy,tcp
db-01,db1.example.com,,linux,prod,,role=db,,`,
  json: `[
  {"name": "web-01", "address": "10.0.0.11", "port": 22, "os": "linux",
   "environment": "prod", "tags": {"role": "web"}, "credential": "deploy"},
  {"name": "db-01", "address": "db1.example.com"}
]`,
  yaml: `- name: web-01
  address: 10.0.0.11
  port: 22
  environment: prod
  tags: {role: web}
- name: db-01
  address: db1.example.com`,
  ansible_ini: `[web]
web-01 ansible_host=10.0.0.11 ansible_port=22
web-02 ansible_host=10.0.0.12

[db]
db-01 ansible_host=db1.example.com`,
  ansible_yaml: `all:
  children:
    web:
      hosts:
        web-01:
          ansible_host: 10.0.0.11
          ansible_port: 22
    db:
      hosts:
        db-01:
          ansible_host: db1.example.com`,
};
