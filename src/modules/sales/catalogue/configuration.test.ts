import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../../../core/errors.js';
import { checkDefinition, componentsOf, requireValidConfiguration, validateConfiguration } from './configuration.js';
import { productDefinitionSchema } from './model.js';
import { customCable, pumpStation } from '../fixtures.js';

const cable = customCable.definition;
const valid = { length: 25, gauge: '12', jacket: 'LSZH', connectorA: 'M12' };

const violationsOf = (input: Record<string, unknown>) => {
  const r = validateConfiguration(cable, input);
  return r.ok ? [] : r.violations;
};

describe('validateConfiguration', () => {
  it('accepts a valid configuration and fills in defaults, leaving out options that do not apply', () => {
    const r = validateConfiguration(cable, valid);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.configuration).toEqual({ length: 25, gauge: '12', jacket: 'LSZH', armoured: false, connectorA: 'M12', connectorB: 'none', extras: [] });
    expect('armour' in r.configuration).toBe(false);
    expect(r.customised).toBe(true);
  });

  it('names the rule a configuration breaks, on the option it constrains', () => {
    const v = violationsOf({ length: 25, gauge: '6', jacket: 'LSZH' });
    expect(v).toEqual([{ option: 'gauge', rule: 'lszh-gauge', message: 'LSZH jackets are extruded only on 10–14 AWG conductors' }]);
  });

  it('reports every broken rule at once, each with its own code', () => {
    const v = violationsOf({ length: 250, gauge: '14', jacket: 'PUR', armoured: true, armour: 'SWA', connectorA: 'M12', connectorB: 'M12' });
    expect(v.map((x) => x.rule).sort()).toEqual(['long-run-gauge', 'pur-no-armour']);
    expect(v.find((x) => x.rule === 'pur-no-armour')!.option).toBe('armoured');
  });

  it('checks both ends of an end-specific rule', () => {
    expect(violationsOf({ length: 3, gauge: '8', connectorB: 'M12' }).map((x) => x.rule)).toEqual(['m12-gauge-b']);
    expect(violationsOf({ length: 3, gauge: '8', connectorA: 'M12', connectorB: 'M12' }).map((x) => x.rule)).toEqual(['m12-gauge-a', 'm12-gauge-b']);
  });

  it('rejects values outside a range, off the step, or of the wrong type', () => {
    expect(violationsOf({ length: 0.5, gauge: '10' })).toEqual([{ option: 'length', rule: 'option:number', message: 'Length must be between 1 and 500 m' }]);
    expect(violationsOf({ length: 2.25, gauge: '10' })[0].message).toBe('Length comes in steps of 0.5 m from 1');
    expect(violationsOf({ length: '25', gauge: '10' })[0].rule).toBe('option:number');
    expect(violationsOf({ length: 25, gauge: '10', armoured: 'yes' })[0].rule).toBe('option:boolean');
    expect(violationsOf({ length: 25, gauge: '11' })[0].message).toMatch(/11 is not offered for Conductor gauge/);
  });

  it('accepts numeric codes for choices given as numbers', () => {
    const r = validateConfiguration(cable, { length: 25, gauge: 12 });
    expect(r.ok && r.configuration.gauge).toBe('12');
  });

  it('requires options without a default, and dependent options once they apply', () => {
    expect(violationsOf({ gauge: '10' })).toEqual([{ option: 'length', rule: 'option:required', message: 'choose Length' }]);
    expect(violationsOf({ length: 5, gauge: '10', armoured: true })).toEqual([{ option: 'armour', rule: 'option:required', message: 'choose Armour' }]);
  });

  it('rejects a dependent option given when it does not apply, saying what it depends on', () => {
    expect(violationsOf({ length: 5, gauge: '10', armour: 'SWA' })).toEqual([{ option: 'armour', rule: 'option:unavailable', message: 'Armour applies only when armoured is true' }]);
  });

  it('rejects unknown options', () => {
    expect(violationsOf({ length: 5, gauge: '10', colour: 'red' })).toEqual([{ option: 'colour', rule: 'option:unknown', message: 'colour is not an option of this product' }]);
  });

  it('checks multiple choices for unknown codes, duplicates and bounds, and sorts them', () => {
    expect(violationsOf({ length: 5, gauge: '10', extras: ['boots', 'glitter'] })[0].message).toMatch(/glitter is not offered/);
    expect(violationsOf({ length: 5, gauge: '10', extras: ['boots', 'boots'] })[0].message).toMatch(/twice/);
    expect(violationsOf({ length: 5, gauge: '10', extras: 'boots' })[0].rule).toBe('option:choice');
    const r = validateConfiguration(cable, { length: 5, gauge: '10', extras: ['testcert', 'boots'] });
    expect(r.ok && r.configuration.extras).toEqual(['boots', 'testcert']);
  });

  it('calls a configuration of defaults only not customised', () => {
    const r = validateConfiguration(pumpStation.definition, { motor: '5' });
    expect(r.ok && r.customised).toBe(true); // motor has no default: the customer chose it
    const simple = productDefinitionSchema.parse({ options: [{ kind: 'choice', code: 'colour', label: 'Colour', default: 'grey', choices: [{ code: 'grey', label: 'Grey' }, { code: 'red', label: 'Red' }] }] });
    const plain = validateConfiguration(simple, {});
    expect(plain.ok && plain.customised).toBe(false);
    const red = validateConfiguration(simple, { colour: 'red' });
    expect(red.ok && red.customised).toBe(true);
  });

  it('never accepts a configuration that breaks a rule (property)', () => {
    const arb = fc.record({
      length: fc.integer({ min: 2, max: 1000 }).map((x) => x / 2),
      gauge: fc.constantFrom('6', '8', '10', '12', '14'),
      jacket: fc.constantFrom('PVC', 'LSZH', 'PUR'),
      armoured: fc.boolean(),
      connectorA: fc.constantFrom('none', 'N', 'M12', 'AND'),
      connectorB: fc.constantFrom('none', 'N', 'M12', 'AND'),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const input = c.armoured ? { ...c, armour: 'SWA' } : c;
        const r = validateConfiguration(cable, input);
        const thin = c.gauge === '12' || c.gauge === '14';
        const broken =
          (c.jacket === 'LSZH' && !['10', '12', '14'].includes(c.gauge)) ||
          ((c.connectorA === 'M12' || c.connectorB === 'M12') && !thin) ||
          (c.jacket === 'PUR' && c.armoured) ||
          (c.length >= 200 && thin);
        return r.ok === !broken;
      }),
      { numRuns: 500 },
    );
  });
});

describe('requireValidConfiguration', () => {
  it('throws a ValidationError with a field path per failing option and the rule in the message', () => {
    try {
      requireValidConfiguration(customCable, { length: 300, gauge: '14', jacket: 'LSZH', connectorA: 'M12' }, 'body/lines/2/configuration');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const e = err as ValidationError;
      expect(e.message).toContain('breaks rule long-run-gauge');
      expect(e.issues).toEqual([{ path: 'body/lines/2/configuration/gauge', message: 'runs of 200 m or more need 10 AWG or heavier (voltage drop) (rule long-run-gauge)' }]);
    }
  });
});

describe('checkDefinition', () => {
  it('passes the demo products', () => {
    expect(checkDefinition(cable)).toEqual([]);
    expect(checkDefinition(pumpStation.definition)).toEqual([]);
  });

  it('finds dangling references, forward availability, bad steps and bad defaults', () => {
    const def = productDefinitionSchema.parse({
      options: [
        { kind: 'choice', code: 'a', label: 'A', when: [{ option: 'b', in: [true] }], choices: [{ code: 'x', label: 'X' }], default: 'y' },
        { kind: 'boolean', code: 'b', label: 'B' },
        { kind: 'number', code: 'n', label: 'N', unit: 'm', min: 0, max: 10, step: 3 },
        { kind: 'boolean', code: 'b', label: 'B again' },
      ],
      rules: [{ code: 'r', kind: 'requires', when: [{ option: 'ghost', in: [1] }], then: [{ option: 'a', in: ['x'] }], message: 'm' }],
      components: [{ component: 'C1', per: 'b' }, { component: 'C2' }],
    });
    const paths = checkDefinition(def, new Set(['C1'])).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body/definition/options/0/when/0/option',
        'body/definition/options/0/default',
        'body/definition/options/2/step',
        'body/definition/options/3/code',
        'body/definition/rules/0/when/0/option',
        'body/definition/components/0/per',
        'body/definition/components/1/component',
      ]),
    );
  });
});

describe('componentsOf', () => {
  it('turns a configuration into the components it consumes, per unit ordered', () => {
    const r = validateConfiguration(cable, { length: 25, gauge: '12', jacket: 'LSZH', armoured: true, armour: 'SWA', connectorA: 'N', connectorB: 'N' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(componentsOf(cable, r.configuration, 4)).toEqual([
      { component: 'CU-12', quantity: 100 },
      { component: 'JKT-LSZH', quantity: 100 },
      { component: 'ARM-SWA', quantity: 100 },
      { component: 'CONN-N', quantity: 8 },
    ]);
  });

  it('counts a component used twice by one configuration (duty + standby pumps)', () => {
    const r = validateConfiguration(pumpStation.definition, { motor: '11', pumps: 'duty-standby' });
    expect(r.ok && componentsOf(pumpStation.definition, r.configuration, 1).find((c) => c.component === 'PUMP-HEAD')?.quantity).toBe(2);
  });
});
