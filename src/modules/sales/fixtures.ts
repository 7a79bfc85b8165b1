import { productDefinitionSchema, type CatalogueProduct } from './catalogue/model.js';

/**
 * The catalogue of the demo: a cable maker's custom power cable and an equipment maker's pump station,
 * built from components that come from our own plant or from subcontractors. Tests, the pricing bench and
 * seedSalesDemo all use these, so they exercise the same definitions a user sees.
 */

const GAUGES = ['6', '8', '10', '12', '14'];
const CONNECTORS = [
  { code: 'none', label: 'Bare end' },
  { code: 'N', label: 'N-type' },
  { code: 'M12', label: 'M12 circular' },
  { code: 'AND', label: 'Anderson power pole' },
];

export const customCable: CatalogueProduct = {
  code: 'CAB-CUSTOM',
  name: 'Custom power cable',
  kind: 'configurable',
  unit: 'each',
  definition: productDefinitionSchema.parse({
    options: [
      { kind: 'number', code: 'length', label: 'Length', unit: 'm', min: 1, max: 500, step: 0.5 },
      { kind: 'choice', code: 'gauge', label: 'Conductor gauge (AWG)', choices: GAUGES.map((g) => ({ code: g, label: `${g} AWG` })) },
      {
        kind: 'choice',
        code: 'jacket',
        label: 'Jacket',
        default: 'PVC',
        choices: [
          { code: 'PVC', label: 'PVC' },
          { code: 'LSZH', label: 'Low-smoke zero-halogen' },
          { code: 'PUR', label: 'Polyurethane (oil resistant)' },
        ],
      },
      { kind: 'boolean', code: 'armoured', label: 'Armoured', default: false },
      {
        kind: 'choice',
        code: 'armour',
        label: 'Armour',
        when: [{ option: 'armoured', in: [true] }],
        choices: [
          { code: 'SWA', label: 'Steel wire armour' },
          { code: 'BRAID', label: 'Steel braid' },
        ],
      },
      { kind: 'choice', code: 'connectorA', label: 'Connector, end A', default: 'none', choices: CONNECTORS },
      { kind: 'choice', code: 'connectorB', label: 'Connector, end B', default: 'none', choices: CONNECTORS },
      {
        kind: 'choice',
        code: 'extras',
        label: 'Extras',
        required: false,
        multiple: { min: 0, max: 3 },
        choices: [
          { code: 'boots', label: 'Strain-relief boots' },
          { code: 'labels', label: 'Printed labels' },
          { code: 'testcert', label: 'Test certificate' },
        ],
      },
    ],
    rules: [
      { code: 'lszh-gauge', kind: 'requires', when: [{ option: 'jacket', in: ['LSZH'] }], then: [{ option: 'gauge', in: ['10', '12', '14'] }], message: 'LSZH jackets are extruded only on 10–14 AWG conductors' },
      { code: 'm12-gauge-a', kind: 'requires', when: [{ option: 'connectorA', in: ['M12'] }], then: [{ option: 'gauge', in: ['12', '14'] }], message: 'M12 connectors take 12 or 14 AWG conductors only' },
      { code: 'm12-gauge-b', kind: 'requires', when: [{ option: 'connectorB', in: ['M12'] }], then: [{ option: 'gauge', in: ['12', '14'] }], message: 'M12 connectors take 12 or 14 AWG conductors only' },
      { code: 'pur-no-armour', kind: 'excludes', when: [{ option: 'jacket', in: ['PUR'] }], then: [{ option: 'armoured', in: [true] }], message: 'PUR-jacketed cable cannot be armoured' },
      { code: 'long-run-gauge', kind: 'requires', when: [{ option: 'length', min: 200 }], then: [{ option: 'gauge', in: ['6', '8', '10'] }], message: 'runs of 200 m or more need 10 AWG or heavier (voltage drop)' },
    ],
    components: [
      ...GAUGES.map((g) => ({ component: `CU-${g}`, per: 'length', when: [{ option: 'gauge', in: [g] }] })),
      ...['PVC', 'LSZH', 'PUR'].map((j) => ({ component: `JKT-${j}`, per: 'length', when: [{ option: 'jacket', in: [j] }] })),
      { component: 'ARM-SWA', per: 'length', when: [{ option: 'armour', in: ['SWA'] }] },
      { component: 'ARM-BRAID', per: 'length', when: [{ option: 'armour', in: ['BRAID'] }] },
      ...['N', 'M12', 'AND'].flatMap((c) => [
        { component: `CONN-${c}`, when: [{ option: 'connectorA', in: [c] }] },
        { component: `CONN-${c}`, when: [{ option: 'connectorB', in: [c] }] },
      ]),
    ],
    assemblyDays: 1,
  }),
};

export const pumpStation: CatalogueProduct = {
  code: 'PUMP-STATION',
  name: 'Packaged pump station',
  kind: 'configurable',
  unit: 'each',
  definition: productDefinitionSchema.parse({
    options: [
      { kind: 'choice', code: 'motor', label: 'Motor power', choices: [{ code: '5', label: '5.5 kW' }, { code: '11', label: '11 kW' }, { code: '22', label: '22 kW' }] },
      { kind: 'choice', code: 'pumps', label: 'Duty arrangement', default: 'single', choices: [{ code: 'single', label: 'Single pump' }, { code: 'duty-standby', label: 'Duty + standby' }] },
      { kind: 'choice', code: 'control', label: 'Controller', default: 'basic', choices: [{ code: 'basic', label: 'Basic starter panel' }, { code: 'vfd', label: 'Variable-speed drive' }, { code: 'scada', label: 'VFD with remote monitoring' }] },
      { kind: 'choice', code: 'frame', label: 'Frame', default: 'galv', choices: [{ code: 'galv', label: 'Galvanised steel' }, { code: 'ss316', label: 'Stainless 316' }] },
      { kind: 'number', code: 'cableLength', label: 'Supply cable', unit: 'm', min: 5, max: 100, step: 5, default: 10 },
    ],
    rules: [
      { code: 'big-motor-vfd', kind: 'requires', when: [{ option: 'motor', in: ['22'] }], then: [{ option: 'control', in: ['vfd', 'scada'] }], message: '22 kW motors need a variable-speed drive (starting current)' },
    ],
    components: [
      { component: 'MOTOR-5', when: [{ option: 'motor', in: ['5'] }] },
      { component: 'MOTOR-11', when: [{ option: 'motor', in: ['11'] }] },
      { component: 'MOTOR-22', when: [{ option: 'motor', in: ['22'] }] },
      { component: 'PUMP-HEAD' },
      { component: 'PUMP-HEAD', when: [{ option: 'pumps', in: ['duty-standby'] }] },
      { component: 'PANEL-BASIC', when: [{ option: 'control', in: ['basic'] }] },
      { component: 'PANEL-VFD', when: [{ option: 'control', in: ['vfd', 'scada'] }] },
      { component: 'TELEMETRY', when: [{ option: 'control', in: ['scada'] }] },
      { component: 'FRAME-GALV', when: [{ option: 'frame', in: ['galv'] }] },
      { component: 'FRAME-SS316', when: [{ option: 'frame', in: ['ss316'] }] },
      { component: 'CU-8', per: 'cableLength' },
    ],
    assemblyDays: 3,
  }),
};

export const commissioning: CatalogueProduct = {
  code: 'COMMISSIONING',
  name: 'On-site commissioning (1 day)',
  kind: 'simple',
  unit: 'day',
  definition: productDefinitionSchema.parse({}),
};

export const starterKit: CatalogueProduct = {
  code: 'PUMP-STARTER-KIT',
  name: 'Pump station starter kit',
  kind: 'bundle',
  unit: 'kit',
  definition: productDefinitionSchema.parse({
    bundleItems: [
      { product: 'PUMP-STATION', quantity: 1, configuration: { motor: '11', control: 'vfd' } },
      { product: 'COMMISSIONING', quantity: 1 },
    ],
  }),
};

export const DEMO_PRODUCTS = [customCable, pumpStation, commissioning, starterKit];
