// The small stylesheet and page frame both example sites share.
export const STYLE = `
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1d2430; background: #f7f8fa; }
header { display: flex; flex-wrap: wrap; gap: 0 1rem; justify-content: space-between; align-items: baseline; border-bottom: 1px solid #d9dde3; margin-bottom: 1.5rem; }
nav { flex-shrink: 0; white-space: nowrap; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; } a { color: #1f5fbf; }
form.card, section.card { background: #fff; border: 1px solid #d9dde3; border-radius: 6px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
fieldset { border: 1px solid #d9dde3; border-radius: 6px; margin: .75rem 0; } legend { font-weight: 600; padding: 0 .3rem; }
label { display: block; margin: .5rem 0; } input[type=text], input[type=password] { width: 100%; padding: .45rem; box-sizing: border-box; }
button { padding: .45rem 1rem; margin-right: .5rem; cursor: pointer; }
.notice { padding: .6rem 1rem; border-radius: 6px; margin-bottom: 1rem; } .error { background: #fde8e8; } .warning { background: #fff4d6; } .ok { background: #e5f6ea; }
.required { color: #8a3b00; font-size: .9em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; } dt { font-weight: 600; }
code { word-break: break-all; }
ul.sites { list-style: none; padding: 0; } ul.sites li { display: flex; justify-content: space-between; align-items: center; gap: 1rem; border-top: 1px solid #eceff3; padding: .5rem 0; }
`;

export function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** The inside of <body>: the stylesheet, the header with the page title and the navigation, then the content. */
export function frame(title, body, { nav = '' } = {}) {
  return `<style>${STYLE}</style><header><h1>${escape(title)}</h1><nav>${nav}</nav></header>${body}`;
}

export function page(title, body, { head = '', nav = '' } = {}) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>${head}</head><body>${frame(title, body, { nav })}</body></html>`;
}
