import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { json, makeHost, mockApi, previewOf } from '../test-helpers';
import { RuleEditor } from './rule-editor';

function Harness({ initial = '' }: { initial?: string }) {
  const [value, setValue] = useState(initial);
  return <RuleEditor value={value} onChange={setValue} />;
}

describe('RuleEditor', () => {
  beforeEach(() => signInForTests(['hosts:read', 'groups:manage']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('shows the live match count and the first hosts of a valid rule, debounced', async () => {
    const { find } = mockApi(({ url, body }) => {
      if (url.pathname !== '/api/v1/groups/preview') return undefined;
      const rule = (body as { rule: string }).rule;
      return json(200, previewOf({ rule, total: 3, hosts: [makeHost({ id: 'a', name: 'web-01' }), makeHost({ id: 'b', name: 'web-02' })] }));
    });
    renderWithProviders(<Harness />);
    expect(screen.getByText('Type a rule to see which hosts match')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('rule-input'), { target: { value: 'environment == "prod"', selectionStart: 21 } });
    const count = await screen.findByTestId('rule-match-count');
    expect(count).toHaveTextContent('3 host(s) match');
    expect(screen.getByText('web-02')).toBeInTheDocument();
    expect(screen.getByText('and 1 more')).toBeInTheDocument();
    expect(find('POST', '/api/v1/groups/preview').map((c) => c.body)).toEqual([{ rule: 'environment == "prod"', limit: 10 }]);
  });

  it('marks where the parser stopped and shows the message with line and column', async () => {
    mockApi(({ url }) =>
      url.pathname === '/api/v1/groups/preview'
        ? json(200, previewOf({ valid: false, error: { line: 2, column: 5, message: 'expected a value after ==' } }))
        : undefined,
    );
    renderWithProviders(<Harness initial={'name == "a"\nAND os =='} />);
    expect(await screen.findByTestId('rule-error')).toHaveTextContent('Line 2, column 5: expected a value after ==');
    const marker = screen.getByTestId('rule-error-marker');
    // line 2, column 5 is the "o" of "os" (offset 12 + 4)
    expect(marker).toHaveAttribute('data-offset', '16');
    expect(marker).toHaveTextContent('o');
    expect(screen.queryByTestId('rule-match-count')).not.toBeInTheDocument();
  });

  it('highlights tokens and completes tag keys with Tab', async () => {
    mockApi(({ url }) => (url.pathname === '/api/v1/groups/preview' ? json(200, previewOf({ total: 0 })) : undefined));
    renderWithProviders(<Harness />);
    const input = screen.getByTestId('rule-input');
    await waitFor(() => expect(input).toBeInTheDocument());
    // wait for the hints, then type
    await new Promise((r) => setTimeout(r, 20));
    await userEvent.type(input, 'tags.');
    expect(await screen.findByTestId('rule-suggestions')).toHaveTextContent('tags.role');
    await userEvent.keyboard('{Tab}');
    expect(input).toHaveValue('tags.role');
    await userEvent.type(input, ' == "x"');
    const layer = screen.getByTestId('rule-highlight');
    expect(layer.querySelector('[data-token="field"]')).toHaveTextContent('tags.role');
    expect(layer.querySelector('[data-token="operator"]')).toHaveTextContent('==');
    expect(layer.querySelector('[data-token="string"]')).toHaveTextContent('"x"');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('rule-suggestions')).not.toBeInTheDocument();
  });

  it('switches to the builder through the preview tree and writes builder edits back as canonical text', async () => {
    const { find } = mockApi(({ url, body }) => {
      if (url.pathname !== '/api/v1/groups/preview') return undefined;
      const b = body as { rule?: string; rule_json?: unknown };
      if (b.rule !== undefined) return json(200, previewOf({ rule: b.rule, rule_json: { field: 'environment', op: '==', value: 'prod' } as never, total: 1 }));
      return json(200, previewOf({ rule: 'environment == "prod" AND environment == ""', rule_json: b.rule_json as never, total: 0 }));
    });
    renderWithProviders(<Harness initial='environment == "prod"' />);
    await screen.findByTestId('rule-match-count');
    await userEvent.click(screen.getByText('Builder'));
    expect(await screen.findAllByTestId('builder-condition')).toHaveLength(1);
    expect(screen.getByTestId('builder-value')).toHaveValue('prod');
    await userEvent.click(screen.getByTestId('builder-add-condition'));
    expect(screen.getAllByTestId('builder-condition')).toHaveLength(2);
    await waitFor(() =>
      expect(find('POST', '/api/v1/groups/preview').at(-1)?.body).toEqual({
        rule_json: { and: [{ field: 'environment', op: '==', value: 'prod' }, { field: 'environment', op: '==', value: '' }] },
        limit: 10,
      }),
    );
    await waitFor(() => expect(screen.getByTestId('rule-canonical')).toHaveTextContent('environment == "prod" AND environment == ""'));
    await userEvent.click(screen.getByText('Text'));
    expect(screen.getByTestId('rule-input')).toHaveValue('environment == "prod" AND environment == ""');
  });
});
