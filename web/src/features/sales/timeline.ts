import { formatDate, formatMoney } from '../../ui/format';

type Event = { kind: string; data: Record<string, unknown> };
const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** One line per order event, in words: the server stores the facts, the page says what they mean. */
export function describeEvent(e: Event, currency: string): { title: string; detail: string; colour: string } {
  const d = e.data;
  switch (e.kind) {
    case 'requested':
      return { title: 'Customer asked', detail: '', colour: 'gray' };
    case 'quoted':
      return { title: `Quoted (version ${s(d.version)})`, detail: `${typeof d.netTotal === 'number' ? formatMoney(d.netTotal, currency) : ''}, delivery ${formatDate(s(d.deliveryDate))}`, colour: 'blue' };
    case 'accepted':
      return { title: 'Accepted', detail: `Promised for ${formatDate(s(d.promisedDate))}${d.customerReference ? ` · customer reference ${s(d.customerReference)}` : ''}`, colour: 'green' };
    case 'routed':
      return { title: `Routed to ${s(d.fulfiller)}`, detail: `${d.kind === 'own' ? 'in-house' : 'subcontractor'}, ready ${formatDate(s(d.readyOn))}`, colour: 'teal' };
    case 'route-update':
      return { title: `${s(d.fulfiller)}: ${s(d.status).replace('_', ' ')}`, detail: [d.estimatedDate ? `estimates ${formatDate(s(d.estimatedDate))}` : '', s(d.note)].filter(Boolean).join(' · '), colour: 'cyan' };
    case 'estimate-moved':
      return { title: 'Delivery estimate moved', detail: `${formatDate(s(d.from))} → ${formatDate(s(d.to))} (promised ${formatDate(s(d.promised))}; because of ${s(d.because)})`, colour: 'orange' };
    case 'promise-moved':
      return { title: 'Promise moved at acceptance', detail: `quoted ${formatDate(s(d.quoted))}, promised ${formatDate(s(d.promised))}: ${s(d.reason)}`, colour: 'orange' };
    case 'needs-rerouting':
      return { title: `${s(d.fulfiller)} cannot do it: needs rerouting`, detail: s(d.note), colour: 'red' };
    case 'rerouted':
      return { title: 'Rerouted', detail: s(d.fulfiller ?? ''), colour: 'teal' };
    case 'late':
    case 'mishandled':
      return { title: e.kind === 'late' ? 'Delivered late' : 'Mishandled', detail: s(d.cause ?? d.kind ?? ''), colour: 'red' };
    default:
      return { title: e.kind, detail: '', colour: 'gray' };
  }
}
