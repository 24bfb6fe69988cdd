import { describe, expect, it } from 'vitest';
import { renderLineageMermaid } from '../../src';
import { STEPS } from '../helpers/fixtures';

describe('Function: renderLineageMermaid', () => {
  it('draws the zones left to right, each dataset once, each hop labelled with its step', () => {
    // Act
    const mermaid = renderLineageMermaid(STEPS);

    // Assess
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    const order = ['landing', 'raw', 'transformed', 'consumption', 'mart', 'serving_store'].map((zone) => mermaid.indexOf(`subgraph ${zone}[`));
    expect(order.every((index, i) => index > 0 && (i === 0 || index > (order[i - 1] ?? 0)))).toBe(true);
    expect(mermaid).toContain('landing__customer_profile -->|mask| raw__customer_profile');
    expect(mermaid).toContain('raw__card_transaction -->|transform| transformed__transform_rejects');
    expect(mermaid).toContain('mart__segment_metrics_monthly -->|serving| serving_store__serving');
    expect(mermaid.match(/raw__customer_profile\[/g)).toHaveLength(1);
  });
});
