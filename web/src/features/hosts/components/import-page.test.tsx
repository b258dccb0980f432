import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportReport } from '@/api/types';
import { renderWithProviders } from '@/testing/render';
import { ImportPage } from './import-page';
import { json } from './test-helpers';

const preview: ImportReport = {
  applied: false,
  summary: { create: 1, update: 1, unchanged: 0, reject: 1 },
  lines: [
    { line: 2, name: 'web-01', action: 'create', changes: [], errors: {}, groups: ['web'] },
    { line: 3, name: 'db-01', action: 'update', changes: ['address', 'tags'], errors: {}, groups: [] },
    { line: 4, name: 'bad', action: 'reject', changes: [], errors: { address: "must not contain '@'" }, groups: [] },
  ],
};

describe('ImportPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('previews with a dry run, shows reject reasons, filters by action, then applies', async () => {
    const bodies: { format: string; content: string; dry_run: boolean }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const body = (await req.json()) as { format: string; content: string; dry_run: boolean };
        bodies.push(body);
        return json(200, body.dry_run ? preview : { ...preview, applied: true });
      }),
    );
    renderWithProviders(<ImportPage />);
    const content = 'name,address\nweb-01,10.0.0.1\ndb-01,db1\nbad,root@x';
    await userEvent.click(await screen.findByTestId('import-content'));
    await userEvent.paste(content);
    await userEvent.click(screen.getByTestId('import-preview'));

    const table = await screen.findByTestId('import-lines');
    expect(bodies[0]).toEqual({ format: 'csv', content, dry_run: true });
    expect(screen.getByTestId('import-count-reject')).toHaveTextContent('1');
    expect(within(screen.getByTestId('import-line-4')).getByText(/must not contain '@'/)).toBeInTheDocument();
    expect(within(screen.getByTestId('import-line-4')).getByText('Reject')).toBeInTheDocument();
    expect(within(screen.getByTestId('import-line-3')).getByText('Changes: address, tags')).toBeInTheDocument();
    expect(within(table).getByText('web')).toBeInTheDocument();

    await userEvent.click(within(screen.getByTestId('import-action-filter')).getByText('Reject (1)'));
    expect(screen.queryByTestId('import-line-2')).not.toBeInTheDocument();
    expect(screen.getByTestId('import-line-4')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('import-apply'));
    await screen.findByTestId('import-result');
    expect(bodies[1]).toEqual({ format: 'csv', content, dry_run: false });
    expect(screen.getByTestId('import-result')).toHaveTextContent('Imported 2 host(s)');
    expect(screen.getByTestId('import-to-list')).toHaveAttribute('href', '/hosts');
  });

  it('shows the server error when the file cannot be read', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(422, { code: 'validation_failed', message: 'line 1: unknown column "foo"', details: null })));
    renderWithProviders(<ImportPage />);
    await userEvent.click(await screen.findByTestId('import-content'));
    await userEvent.paste('foo\n1');
    await userEvent.click(screen.getByTestId('import-preview'));
    await waitFor(() => expect(screen.getByTestId('import-error')).toHaveTextContent('unknown column'));
  });
});
