import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '@cur/runtime';
import { createMaskingPolicy, parsePolicyOverrides } from '@cur/policy';
import { PluginRegistry, createColumnMasker, loadModulePlugin, startCommandPlugin, type KeyRing } from '../../src/index';
import { maskingRuntime } from '../helpers/masking-runtime';

const example = fileURLToPath(new URL('../../examples/plugins/bank-cipher.mjs', import.meta.url));
let runtime: Runtime;
let keyRing: KeyRing;
beforeAll(async () => ({ runtime, keyRing } = await maskingRuntime()));
afterAll(() => runtime.close());

const names = ['王小明', '陳美麗', '王小明', null, ''];

describe('the example bank plug-in', () => {
  it('masks and unmasks as a JavaScript module, chosen per column by the policy file', async () => {
    // Prepare
    const policy = createMaskingPolicy(
      parsePolicyOverrides([{ dataset: 'customer_profile', columns: { cust_name: { method: 'plugin', params: { plugin: 'bank-cipher' } } } }]),
    );
    const plugins = new PluginRegistry().register(await loadModulePlugin(example));
    const treatment = policy.treatmentFor('DE', 'customer_profile', 'cust_name');

    // Act
    const masker = createColumnMasker(treatment, policy.keyGroupFor('customer_profile', 'cust_name'), { keyRing, plugins });
    const { tokens, keyVersion } = await masker.mask(names);

    // Assess
    expect(tokens[0]).toMatch(/^bk_/);
    expect(tokens[2]).toBe(tokens[0]);
    expect(tokens[3]).toBeNull();
    expect(await masker.unmask(tokens, keyVersion)).toEqual(names);
  });

  it('gives the same tokens as an external command speaking JSON lines', async () => {
    const module = await loadModulePlugin(example);
    const command = startCommandPlugin({ name: 'bank-cipher', command: [process.execPath, example], reversible: true });
    try {
      const viaModule = await module.createMasker({ keyGroup: 'person_name', keyRing, params: {} }).mask(names);
      const commandMasker = command.createMasker({ keyGroup: 'person_name', keyRing, params: {} });
      const viaCommand = await commandMasker.mask(names);
      expect(viaCommand.tokens).toEqual(viaModule.tokens);
      expect(await commandMasker.unmask(viaCommand.tokens, viaCommand.keyVersion)).toEqual(names);
    } finally {
      await command.close();
    }
  });

  it('reports a plug-in that refuses, dies or is missing without echoing values', async () => {
    const command = startCommandPlugin({ name: 'bank-cipher', command: [process.execPath, example], reversible: true });
    try {
      const masker = command.createMasker({ keyGroup: 'person_name', keyRing, params: {} });
      const version = await keyRing.activeVersion('person_name');
      const refused = masker.unmask(['not-a-bank-token-王小明'], version);
      await expect(refused).rejects.toMatchObject({ code: 'PLUGIN_FAILED' });
      await expect(refused).rejects.not.toThrow(/王小明/);
    } finally {
      await command.close();
    }
    const missing = startCommandPlugin({ name: 'ghost', command: ['/nonexistent/bank-cipher'], reversible: true });
    await expect(missing.createMasker({ keyGroup: 'person_name', keyRing, params: {} }).mask(['x'])).rejects.toMatchObject({ code: 'PLUGIN_FAILED' });
    await missing.close();
    expect(() => createColumnMasker({ method: 'plugin', params: { plugin: 'unregistered' } }, 'person_name', { keyRing })).toThrow(/no masking plug-in named 'unregistered'/);
  });
});
