import {
  KMEHR_NS,
  type Code,
  type Content,
  type HcParty,
  type Header,
  type Identifier,
  type Item,
  type KmehrMessage,
  type LocalText,
  type Moment,
  type Patient,
  type Transaction,
} from './model.js';
import { dropInvalidXmlChars, escapeAttribute, escapeText } from './xml-escape.js';

// A model may be built by code rather than parsed: drop what XML cannot carry instead of writing a broken document.
const t = (value: string): string => escapeText(dropInvalidXmlChars(value));
const a = (value: string): string => escapeAttribute(dropInvalidXmlChars(value));

// The XSD requires SV on every cd/id; the spec says emit "1.0" when the model has none.
const DEFAULT_SV = '1.0';

function code(name: string, c: Code | Identifier): string {
  let out = `<${name} S="${a(c.s)}" SV="${a(c.sv ?? DEFAULT_SV)}"`;
  if (c.sl !== undefined) out += ` SL="${a(c.sl)}"`;
  const { dn, l } = c as Code;
  if (dn !== undefined) out += ` DN="${a(dn)}"`;
  if (l !== undefined) out += ` L="${a(l)}"`;
  return `${out}>${t(c.value)}</${name}>`;
}

function codes(name: string, list: readonly (Code | Identifier)[]): string {
  let out = '';
  for (const c of list) out += code(name, c);
  return out;
}

function el(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<${name}>${t(value)}</${name}>`;
}

function texts(list: readonly LocalText[]): string {
  let out = '';
  for (const x of list) out += `<text L="${a(x.l)}">${t(x.value)}</text>`;
  return out;
}

/** hcparty: id*, cd+, then name OR firstname + familyname (address/telecom are not modelled). */
function hcparty(p: HcParty): string {
  let out = `<hcparty>${codes('id', p.ids)}${codes('cd', p.cds)}`;
  if (p.name !== undefined) out += el('name', p.name);
  else out += el('firstname', p.firstname) + el('familyname', p.familyname);
  return `${out}</hcparty>`;
}

function parties(wrapper: string, list: readonly HcParty[]): string {
  if (list.length === 0) return '';
  let out = `<${wrapper}>`;
  for (const p of list) out += hcparty(p);
  return `${out}</${wrapper}>`;
}

function header(h: Header): string {
  return (
    `<header><standard>${code('cd', h.standard)}</standard>${codes('id', h.ids)}` +
    `${el('date', h.date)}${el('time', h.time)}${parties('sender', h.senders)}${parties('recipient', h.recipients)}</header>`
  );
}

/** patient (personType): id+, firstname+, familyname, birthdate?, sex, usuallanguage?. */
function patient(p: Patient): string {
  let out = `<patient>${codes('id', p.ids)}`;
  for (const f of p.firstnames) out += el('firstname', f);
  out += el('familyname', p.familyname);
  if (p.birthdate !== undefined) out += `<birthdate>${el('date', p.birthdate)}</birthdate>`;
  if (p.sex !== undefined) out += `<sex>${code('cd', p.sex)}</sex>`;
  return `${out}${el('usuallanguage', p.usuallanguage)}</patient>`;
}

function content(c: Content): string {
  switch (c.kind) {
    case 'cd':
      return `<content>${codes('cd', c.cds)}</content>`;
    case 'text':
      return `<content>${texts(c.texts)}</content>`;
    case 'medicinalproduct':
    case 'substanceproduct':
      return `<content><${c.kind}>${codes('intendedcd', c.intendedcds)}${el('intendedname', c.intendedname)}</${c.kind}></content>`;
  }
}

function moment(name: string, m: Moment | undefined): string {
  return m === undefined ? '' : `<${name}>${el('date', m.date)}${el('time', m.time)}</${name}>`;
}

function wrapped(name: string, c: Code | undefined): string {
  return c === undefined ? '' : `<${name}>${code('cd', c)}</${name}>`;
}

function item(i: Item, xmlns: string): string {
  let out = `<item${xmlns}>${codes('id', i.ids)}${codes('cd', i.cds)}`;
  for (const c of i.contents) out += content(c);
  out += texts(i.texts) + parties('author', i.authors) + moment('beginmoment', i.beginmoment) + moment('endmoment', i.endmoment);
  out += wrapped('lifecycle', i.lifecycle);
  if (i.quantity !== undefined) {
    out += `<quantity>${el('decimal', i.quantity.decimal)}${wrapped('unit', i.quantity.unit)}</quantity>`;
  }
  out += wrapped('site', i.site) + wrapped('route', i.route) + el('batch', i.batch);
  return `${out}</item>`;
}

function bool(name: string, value: boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${value ? 'true' : 'false'}</${name}>`;
}

/** transaction: id+, cd+, date, time, author, iscomplete, isvalidated, then items, texts, lnks (a free choice). */
function transaction(x: Transaction): string {
  let out =
    `<transaction>${codes('id', x.ids)}${codes('cd', x.cds)}${el('date', x.date)}${el('time', x.time)}` +
    `${parties('author', x.authors)}${bool('iscomplete', x.iscomplete)}${bool('isvalidated', x.isvalidated)}`;
  for (const i of x.items) out += item(i, '');
  out += texts(x.texts);
  for (const l of x.links) {
    out += `<lnk TYPE="${a(l.type)}"${l.url === undefined ? '' : ` URL="${a(l.url)}"`}/>`;
  }
  return `${out}</transaction>`;
}

/**
 * Writes a KMEHR message from the model, elements in the order of the KMEHR 1.43 XSD, text and attributes
 * escaped. Items found inside `heading`s are written directly under their transaction (the model flattens them).
 * The result is XSD-valid whenever the model holds what the XSD requires.
 */
export function writeKmehr(message: KmehrMessage): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<kmehrmessage xmlns="${KMEHR_NS}">${header(message.header)}`;
  for (const f of message.folders) {
    out += `<folder>${codes('id', f.ids)}${patient(f.patient)}`;
    for (const x of f.transactions) out += transaction(x);
    out += '</folder>';
  }
  return `${out}</kmehrmessage>\n`;
}

/** Writes one `<item>` with the KMEHR namespace declared on it (to store the original item on its own). */
export function writeItem(i: Item): string {
  return item(i, ` xmlns="${KMEHR_NS}"`);
}
