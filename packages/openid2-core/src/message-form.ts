/**
 * HTML form encoding of indirect messages too long for a redirect.
 * @see OpenID 2.0 §5.2.2
 */

/** Options of the HTML form that carries an indirect message too long for a redirect (OpenID 2.0 §5.2.2). */
export interface FormMarkupOptions {
  /** Label of the submit button (the form must have one, §5.2.2). @default 'Continue' */
  submitText?: string;
  /** Extra attributes of the `<form>` element (for example `id`); `method`, `action`, `accept-charset` and `enctype` are always the library's. @default {} */
  formAttributes?: Readonly<Record<string, string>>;
  /** A CSP nonce for the auto-submit script of {@link autoSubmitHTML} pages. @default undefined (the script has no `nonce` attribute) */
  scriptNonce?: string;
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML attribute value or element content. */
export function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** `<form method="post">` with one hidden input per argument and a submit button. */
export function formMarkup(action: string, args: Readonly<Record<string, string>>, options: FormMarkupOptions): string {
  const attributes = { ...options.formAttributes, method: 'post', action, 'accept-charset': 'UTF-8', enctype: 'application/x-www-form-urlencoded' };
  const attrText = Object.entries(attributes)
    .filter(([name]) => /^[a-zA-Z][a-zA-Z0-9_:-]*$/.test(name))
    .map(([name, value]) => ` ${name}="${escapeHTML(value)}"`)
    .join('');
  const inputs = Object.entries(args)
    .map(([name, value]) => `<input type="hidden" name="${escapeHTML(name)}" value="${escapeHTML(value)}">`)
    .join('\n');
  const submit = `<input type="submit" value="${escapeHTML(options.submitText ?? 'Continue')}">`;
  return `<form${attrText}>\n${inputs}\n${submit}\n</form>`;
}

/** A page that submits the form at once where scripts run, and shows the button where they don't. */
export function autoSubmitHTML(form: string, options: Pick<FormMarkupOptions, 'scriptNonce'> = {}): string {
  const nonce = options.scriptNonce === undefined ? '' : ` nonce="${escapeHTML(options.scriptNonce)}"`;
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><title>OpenID: continue</title></head>',
    '<body>',
    '<p>Continuing the OpenID sign-in&hellip; If nothing happens, press the button.</p>',
    form,
    `<script${nonce}>document.forms[document.forms.length - 1].submit();</script>`,
    '</body></html>',
  ].join('\n');
}
