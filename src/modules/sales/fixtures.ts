import { productDefinitionSchema, type CatalogueProduct } from './catalogue/model.js';
import type { PriceListItem, PriceRule } from './pricing/model.js';

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

const perGauge: Record<string, number> = { '6': 4.2, '8': 2.9, '10': 1.85, '12': 1.2, '14': 0.8 };
const connectorPrice: Record<string, number> = { N: 9.5, M12: 14, AND: 6.5 };

/** The demo price list items (USD): per-metre conductor by gauge, jacket and armour surcharges, connectors per end. */
export const demoPriceItems: PriceListItem[] = [
  {
    product: 'CAB-CUSTOM',
    basePrice: 12,
    floorPercentOfList: 70,
    components: [
      ...Object.entries(perGauge).map(([g, amount]) => ({ code: `cu-${g}`, label: `${g} AWG conductor per metre`, when: [{ option: 'gauge', in: [g] }], amount, per: 'length' })),
      { code: 'jkt-lszh', label: 'LSZH jacket per metre', when: [{ option: 'jacket', in: ['LSZH'] }], amount: 0.35, per: 'length' },
      { code: 'jkt-pur', label: 'PUR jacket per metre', when: [{ option: 'jacket', in: ['PUR'] }], amount: 0.6, per: 'length' },
      { code: 'arm-swa', label: 'Steel wire armour per metre', when: [{ option: 'armour', in: ['SWA'] }], amount: 1.1, per: 'length' },
      { code: 'arm-braid', label: 'Steel braid per metre', when: [{ option: 'armour', in: ['BRAID'] }], amount: 0.9, per: 'length' },
      ...Object.entries(connectorPrice).flatMap(([c, amount]) => [
        { code: `conn-a-${c}`, label: `${c} connector, end A`, when: [{ option: 'connectorA', in: [c] }], amount },
        { code: `conn-b-${c}`, label: `${c} connector, end B`, when: [{ option: 'connectorB', in: [c] }], amount },
      ]),
      { code: 'boots', label: 'Strain-relief boots', when: [{ option: 'extras', in: ['boots'] }], amount: 3 },
      { code: 'labels', label: 'Printed labels', when: [{ option: 'extras', in: ['labels'] }], amount: 1.5 },
      { code: 'testcert', label: 'Test certificate', when: [{ option: 'extras', in: ['testcert'] }], amount: 25 },
    ],
  },
  {
    product: 'PUMP-STATION',
    basePrice: 8400,
    floorPercentOfList: 75,
    components: [
      { code: 'motor-11', label: '11 kW motor', when: [{ option: 'motor', in: ['11'] }], amount: 2100 },
      { code: 'motor-22', label: '22 kW motor', when: [{ option: 'motor', in: ['22'] }], amount: 5900 },
      { code: 'standby', label: 'Standby pump', when: [{ option: 'pumps', in: ['duty-standby'] }], amount: 4800 },
      { code: 'vfd', label: 'Variable-speed drive', when: [{ option: 'control', in: ['vfd'] }], amount: 1850 },
      { code: 'scada', label: 'VFD with remote monitoring', when: [{ option: 'control', in: ['scada'] }], amount: 3400 },
      { code: 'ss316', label: 'Stainless 316 frame', when: [{ option: 'frame', in: ['ss316'] }], amount: 2600 },
      { code: 'cable', label: 'Supply cable per metre', amount: 6.5, per: 'cableLength' },
    ],
  },
  { product: 'COMMISSIONING', basePrice: 950, floorPrice: 800, components: [] },
];

/** Ordered policy: who the customer is first, then volume, then what is bought together. */
export const demoPriceRules: PriceRule[] = [
  { code: 'key-account-top1', name: 'Key account (top 1 %)', priority: 10, when: { tiers: ['top1'] }, percentOff: 12, exclusive: false },
  { code: 'key-account-top5', name: 'Key account (top 5 %)', priority: 10, when: { tiers: ['top5'] }, percentOff: 8, exclusive: false },
  { code: 'profitable-account', name: 'Highly profitable account', priority: 15, when: { minProfitability: 100_000 }, percentOff: 3, exclusive: false },
  { code: 'cable-volume-100', name: 'Cable volume 100+', priority: 20, when: { products: ['CAB-CUSTOM'], minQuantity: 100 }, percentOff: 5, exclusive: false },
  { code: 'cable-volume-500', name: 'Cable volume 500+', priority: 21, when: { products: ['CAB-CUSTOM'], minQuantity: 500 }, percentOff: 4, exclusive: false },
  { code: 'starter-kit', name: 'Starter kit bundle', priority: 30, when: { bundle: 'PUMP-STARTER-KIT' }, percentOff: 5, exclusive: false },
  { code: 'pump-and-commissioning', name: 'Pump station with commissioning', priority: 31, when: { withProducts: ['PUMP-STATION', 'COMMISSIONING'] }, percentOff: 3, exclusive: false },
];
