import PDFDocument from 'pdfkit';
import { formatMoney } from '../pricing/money.js';
import type { DraftLine, QuoteDraft } from './service.js';

/**
 * The quote as the customer receives it: who it is for, what they configured in their own words, one
 * total, one delivery date for everything, what their account pricing saved them, and how long the offer
 * stands. Costs, margins and fulfillers stay out of it. Standard PDF fonts only (no files to ship), so text
 * is folded to the WinAnsi set they cover.
 */
export interface QuotePdfInput {
  /** The company as the customer knows it, and the division that sells. */
  seller: { name: string; division: string };
  quote: { number: string; version: number; title: string | null; status: string; issuedOn: string; validUntil: string };
  customer: { name: string; company?: string | null; lines: string[]; email?: string | null };
  preparedBy?: string | null;
  note?: string | null;
  document: QuoteDraft;
}

const INK = '#1d2433';
const MUTED = '#5b6475';
const RULE = '#d9dde5';
const ACCENT = '#1f5fa8';
const BAND = '#f3f6fa';
const PAGE_MARGIN = 50;

/** Standard PDF fonts cover WinAnsi only: fold the characters our own texts use, drop the rest. */
export function winAnsi(text: string): string {
  return text
    .replace(/[≥]/g, '>=')
    .replace(/[≤]/g, '<=')
    .replace(/[‐-―]/g, (c) => (c === '—' ? '—' : '–'))
    .replace(/[^\x20-\x7e\xa0-\xff–—‘’“”•…€×]/g, '');
}

const longDate = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortDate = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export function renderQuotePdf(input: QuotePdfInput): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: PAGE_MARGIN, bufferPages: true, info: { Title: `Quotation ${input.quote.number}`, Author: input.seller.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const d = input.document;
  const money = (x: number) => winAnsi(formatMoney(x, d.currency, 'en-US'));
  const width = doc.page.width - PAGE_MARGIN * 2;
  const left = PAGE_MARGIN;
  const text = (s: string) => winAnsi(s);

  // Header: seller on the left, the document's identity on the right.
  doc.rect(0, 0, doc.page.width, 6).fill(ACCENT);
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(18).text(text(input.seller.name), left, 40, { width: width / 2 });
  doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(text(input.seller.division), left, doc.y + 2, { width: width / 2 });
  doc.font('Helvetica-Bold').fontSize(20).fillColor(ACCENT).text('Quotation', left + width / 2, 38, { width: width / 2, align: 'right' });
  doc.font('Helvetica').fontSize(9).fillColor(INK);
  const meta: [string, string][] = [
    ['Number', `${input.quote.number} (version ${input.quote.version})`],
    ['Date', shortDate(input.quote.issuedOn)],
    ['Valid until', shortDate(input.quote.validUntil)],
  ];
  let my = 64;
  for (const [k, v] of meta) {
    doc.fillColor(MUTED).text(k, left + width / 2, my, { width: width / 2 - 110, align: 'right' });
    doc.fillColor(INK).text(text(v), left + width - 105, my, { width: 105, align: 'right' });
    my += 13;
  }

  // Prepared for / delivery summary.
  let y = Math.max(doc.y, my) + 22;
  doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.5).strokeColor(RULE).stroke();
  y += 14;
  doc.font('Helvetica').fontSize(8).fillColor(MUTED).text('PREPARED FOR', left, y);
  doc.font('Helvetica-Bold').fontSize(11).fillColor(INK).text(text(input.customer.name), left, y + 12, { width: width / 2 - 10 });
  doc.font('Helvetica').fontSize(9).fillColor(INK);
  for (const line of [input.customer.company, ...input.customer.lines, input.customer.email].filter((x): x is string => !!x)) doc.text(text(line), { width: width / 2 - 10 });
  const leftBottom = doc.y;

  const boxX = left + width / 2 + 10;
  const boxW = width / 2 - 10;
  doc.roundedRect(boxX, y - 4, boxW, 78, 4).fill(BAND);
  doc.fillColor(MUTED).font('Helvetica').fontSize(8).text('TOTAL', boxX + 12, y + 4);
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(16).text(money(d.totals.net), boxX + 12, y + 15, { width: boxW - 24 });
  doc.fillColor(MUTED).font('Helvetica').fontSize(8).text('DELIVERED TOGETHER BY', boxX + 12, y + 40);
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(11).text(longDate(d.delivery.date), boxX + 12, y + 51, { width: boxW - 24 });
  if (d.delivery.needBy) {
    const ok = d.delivery.meetsNeedBy;
    doc.font('Helvetica').fontSize(8).fillColor(ok ? '#2e7d32' : '#b26a00')
      .text(ok ? `Meets your requested date of ${shortDate(d.delivery.needBy)}` : `Your requested date was ${shortDate(d.delivery.needBy)}`, boxX + 12, y + 64, { width: boxW - 24 });
  }
  y = Math.max(leftBottom, y + 78) + 18;

  if (input.quote.title) {
    doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text(text(input.quote.title), left, y, { width });
    y = doc.y + 8;
  }

  // Lines.
  const cols = { no: left, item: left + 22, qty: left + width - 222, unit: left + width - 172, disc: left + width - 105, amount: left + width - 74 };
  const itemWidth = cols.qty - cols.item - 10;
  const header = (at: number) => {
    doc.rect(left, at, width, 18).fill(INK);
    doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(8);
    doc.text('#', cols.no + 4, at + 5);
    doc.text('ITEM AND CONFIGURATION', cols.item, at + 5);
    doc.text('QTY', cols.qty - 10, at + 5, { width: 50, align: 'right' });
    doc.text('LIST PRICE', cols.unit, at + 5, { width: 62, align: 'right' });
    doc.text('DISC.', cols.disc, at + 5, { width: 30, align: 'right' });
    doc.text('AMOUNT', cols.amount, at + 5, { width: 70, align: 'right' });
    return at + 24;
  };
  y = header(y);
  const bottom = doc.page.height - PAGE_MARGIN - 40;
  let bundleShown: string | null = null;
  d.lines.forEach((line, i) => {
    const details = lineDetails(line);
    doc.font('Helvetica').fontSize(8);
    const detailHeight = details.reduce((h, t) => h + doc.heightOfString(text(t), { width: itemWidth }) + 1, 0);
    doc.font('Helvetica-Bold').fontSize(9.5);
    const nameHeight = doc.heightOfString(text(line.name), { width: itemWidth });
    const bundleHeader = line.bundle && line.bundle !== bundleShown ? 14 : 0;
    const rowHeight = bundleHeader + nameHeight + detailHeight + 10;
    if (y + rowHeight > bottom) {
      doc.addPage();
      y = header(PAGE_MARGIN);
    }
    if (bundleHeader) {
      doc.font('Helvetica-Bold').fontSize(8).fillColor(ACCENT).text(text(`Part of ${line.bundle}`), cols.item, y);
      y += bundleHeader;
      bundleShown = line.bundle;
    }
    if (i % 2 === 1) doc.rect(left, y - 4, width, rowHeight - bundleHeader).fill(BAND);
    doc.fillColor(MUTED).font('Helvetica').fontSize(9).text(String(line.lineNo), cols.no + 4, y);
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(9.5).text(text(line.name), cols.item, y, { width: itemWidth });
    doc.font('Helvetica').fontSize(9).fillColor(INK);
    doc.text(quantityText(line.quantity, line.unit), cols.qty - 10, y, { width: 50, align: 'right' });
    doc.text(money(line.listUnitPrice), cols.unit, y, { width: 62, align: 'right' });
    doc.text(line.discountPercent ? percentText(line.discountPercent) : '–', cols.disc, y, { width: 30, align: 'right' });
    doc.font('Helvetica-Bold').text(money(line.netAmount), cols.amount, y, { width: 70, align: 'right' });
    let dy = y + nameHeight + 1;
    doc.font('Helvetica').fontSize(8).fillColor(MUTED);
    for (const t of details) {
      doc.text(text(t), cols.item, dy, { width: itemWidth });
      dy = doc.y + 1;
    }
    y = y + rowHeight - bundleHeader;
  });

  // Totals.
  if (y + 110 > bottom) {
    doc.addPage();
    y = PAGE_MARGIN;
  }
  doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.5).strokeColor(RULE).stroke();
  y += 10;
  const totalsX = left + width - 230;
  const row = (label: string, value: string, bold = false, color = INK) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 11 : 9).fillColor(color);
    doc.text(label, totalsX, y, { width: 150 });
    doc.text(value, totalsX + 150, y, { width: 80, align: 'right' });
    y += bold ? 18 : 14;
  };
  row('List price', money(d.totals.list));
  if (d.totals.discount > 0) row(`Your pricing (${percentText(d.totals.discountPercent)} off)`, `– ${money(d.totals.discount)}`, false, '#2e7d32');
  doc.moveTo(totalsX, y).lineTo(left + width, y).lineWidth(0.5).strokeColor(RULE).stroke();
  y += 6;
  row(`Total (${d.currency})`, money(d.totals.net), true);
  doc.font('Helvetica').fontSize(7.5).fillColor(MUTED).text('Prices exclude taxes and duties.', totalsX, y, { width: 230, align: 'right' });
  y = doc.y + 18;

  // Terms and next step.
  const terms = [
    `Everything on this quotation is delivered together by ${longDate(d.delivery.date)}: parts our partners make for you are brought together at our plant and shipped as one delivery.`,
    `That date holds for an order placed today; when you order, we confirm it against our partners' capacity at that moment.`,
    `This offer stands until ${longDate(input.quote.validUntil)} and is priced on ${d.priceList.name}.`,
    `To order, accept quotation ${input.quote.number} version ${input.quote.version} and give us your purchase order reference.`,
  ];
  if (input.note) terms.unshift(input.note);
  if (y + 90 > doc.page.height - PAGE_MARGIN - 30) {
    doc.addPage();
    y = PAGE_MARGIN;
  }
  doc.font('Helvetica-Bold').fontSize(9).fillColor(INK).text('Terms', left, y);
  doc.font('Helvetica').fontSize(8.5).fillColor(INK);
  for (const t of terms) doc.text(text(`•  ${t}`), left, doc.y + 3, { width });
  if (input.preparedBy) doc.moveDown(0.8).fillColor(MUTED).text(text(`Prepared by ${input.preparedBy}`), left, doc.y, { width });

  // Footer on every page, and the draft mark while approval is pending.
  const pages = doc.bufferedPageRange();
  for (let p = pages.start; p < pages.start + pages.count; p++) {
    doc.switchToPage(p);
    if (input.quote.status === 'pending_approval' || input.quote.status === 'rejected') {
      doc.save().rotate(-30, { origin: [doc.page.width / 2, doc.page.height / 2] });
      doc.font('Helvetica-Bold').fontSize(64).fillColor('#c62828').opacity(0.12)
        .text(input.quote.status === 'rejected' ? 'NOT VALID' : 'DRAFT', 0, doc.page.height / 2 - 40, { width: doc.page.width, align: 'center', lineBreak: false });
      doc.restore().opacity(1);
    }
    // Writing below the bottom margin would make pdfkit open a new page: lift the margin for the footer.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const fy = doc.page.height - PAGE_MARGIN + 10;
    doc.moveTo(left, fy - 6).lineTo(left + width, fy - 6).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font('Helvetica').fontSize(7.5).fillColor(MUTED);
    doc.text(text(`${input.seller.name} · Quotation ${input.quote.number} v${input.quote.version}`), left, fy, { width: width / 2, lineBreak: false });
    doc.text(`Page ${p - pages.start + 1} of ${pages.count}`, left + width / 2, fy, { width: width / 2, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.end();
  return done;
}

/** The configuration in the customer's words, and the account pricing that applied. */
function lineDetails(line: DraftLine): string[] {
  const out = line.summary.length ? [line.summary.join(' · ')] : [];
  const rules = line.trail.filter((t) => t.kind === 'rule' || t.kind === 'manual');
  if (rules.length) {
    out.push(
      'Pricing: ' +
        rules.map((r) => (r.kind === 'manual' ? `account manager discount ${r.percentOff}%` : `${r.label}${'percentOff' in r && r.percentOff ? ` ${r.percentOff}%` : ''}`)).join(', '),
    );
  }
  return out;
}

const formatQty = (q: number) => (Number.isInteger(q) ? String(q) : q.toFixed(2));
/** "6", "2 days", "1 kit": a unit of "each" goes without saying. */
const quantityText = (q: number, unit: string) => (unit === 'each' ? formatQty(q) : `${formatQty(q)} ${q === 1 || unit.endsWith('s') ? unit : `${unit}s`}`);
const percentText = (p: number) => `${Number(p.toFixed(1))}%`;
