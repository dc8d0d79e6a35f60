// A strict well-formedness check for the XML the server writes (elements, text, entity and character
// references; no DTD, comments, CDATA or attributes): what an XML 1.0 parser would refuse, as a list of
// problems (empty when well-formed). No parser package: the project has none.

const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const allowed = (cp: number) => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const decl = /^<\?xml version="1\.0" encoding="utf-8"\?>/.exec(xml);
  if (!decl) problems.push('no XML declaration');
  const body = xml.slice(decl?.[0].length ?? 0);
  if (!XML_CHAR.test(xml)) {
    const bad = [...xml].filter((c) => !allowed(c.codePointAt(0)!)).map((c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
    problems.push(`characters XML 1.0 forbids: ${[...new Set(bad)].join(', ')}`);
  }
  const stack: string[] = [];
  let roots = 0;
  const token = /<(\/?)([A-Za-z_][\w.-]*)(\/?)>|&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));|[<>&]|[^<>&]+/gy;
  let m: RegExpExecArray | null;
  while ((m = token.exec(body))) {
    const [text, close, name, empty, , dec, hex] = m;
    if (name) {
      if (stack.length === 0 && !close) roots++;
      if (close) {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
      } else if (!empty) stack.push(name);
    } else if (dec || hex) {
      if (!allowed(parseInt(dec ?? hex, dec ? 10 : 16))) problems.push(`character reference ${text} names a forbidden character`);
    } else if (text === '<' || text === '&') problems.push(`a bare ${text}`);
    else if (stack.length === 0 && text.trim() && !text.startsWith('&')) problems.push(`text outside the root: ${JSON.stringify(text.slice(0, 20))}`);
    if (token.lastIndex === body.length) break;
  }
  if (token.lastIndex !== body.length && body.length) problems.push('unreadable input');
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
