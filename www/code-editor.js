// A plain code editor: a textarea with a line-number gutter and a backdrop
// layer behind the (transparent) textarea that draws underlines and line
// highlights for issues. The textarea stays the real input, so typing,
// selection, undo, spell-check settings and screen readers all behave natively.

import { h } from './dom.js';
import { lineStarts, positionOf } from '/pkg/cli/locate.mjs';

/**
 * @typedef {{start: number, end: number, severity: 'error' | 'warning', message: string}} Mark
 */

const SEVERITY_RANK = { error: 2, warning: 1 };

export class CodeEditor {
  /**
   * Wraps an existing `<textarea>` (which keeps its id, label and attributes).
   * @param {HTMLTextAreaElement} textarea
   * @param {{onInput?: () => void}} [options]
   */
  constructor(textarea, { onInput } = {}) {
    this.textarea = textarea;
    this.onInput = onInput ?? (() => {});
    this.lineCount = 0;

    this.gutterLines = h('div');
    this.gutter = h('div', { className: 'code-gutter', 'aria-hidden': 'true' }, this.gutterLines);
    this.highlights = h('div', { className: 'code-line-highlights' });
    this.mirror = h('pre', { className: 'code-mirror' });
    this.backdrop = h('div', { className: 'code-backdrop', 'aria-hidden': 'true' }, this.highlights, this.mirror);
    const frame = h('div', { className: 'code-frame' });
    const area = h('div', { className: 'code-area' });

    textarea.replaceWith(frame);
    area.append(this.backdrop, textarea);
    frame.append(this.gutter, area);
    textarea.classList.add('code-input');
    for (const [name, value] of [['wrap', 'off'], ['spellcheck', 'false'], ['autocomplete', 'off'],
      ['autocapitalize', 'off'], ['autocorrect', 'off']]) {
      textarea.setAttribute(name, value);
    }

    textarea.addEventListener('input', () => {
      // Marks refer to the text as it was validated; drop them until the next run.
      this.setMarks([]);
      this.onInput();
    });
    textarea.addEventListener('scroll', () => this.syncScroll());
    textarea.addEventListener('keydown', (event) => this.keydown(event));
    this.setMarks([]);
  }

  get value() {
    return this.textarea.value;
  }

  /** Replaces the whole text (not an edit: no input event). */
  set value(text) {
    this.textarea.value = text;
    this.textarea.scrollTop = 0;
    this.textarea.scrollLeft = 0;
    this.setMarks([]);
  }

  /**
   * Draws issue marks: underlines in the text, a tinted line and a gutter
   * marker (with the messages as its tooltip) on each mark's first line.
   * @param {Mark[]} marks
   */
  setMarks(marks) {
    const text = this.textarea.value;
    const starts = lineStarts(text);
    this.renderGutter(starts.length);
    this.renderMirror(text, marks);

    const byLine = new Map();
    for (const mark of marks) {
      const { line } = positionOf(text, mark.start, starts);
      const entry = byLine.get(line) ?? { severity: mark.severity, messages: [] };
      if (SEVERITY_RANK[mark.severity] > SEVERITY_RANK[entry.severity]) entry.severity = mark.severity;
      entry.messages.push(mark.message);
      byLine.set(line, entry);
    }
    for (const el of this.gutterLines.querySelectorAll('[data-severity]')) {
      el.removeAttribute('data-severity');
      el.removeAttribute('title');
    }
    const lineHeight = this.lineHeight();
    const padding = parseFloat(getComputedStyle(this.textarea).paddingTop) || 0;
    const bands = [];
    for (const [line, { severity, messages }] of byLine) {
      const number = this.gutterLines.children[line - 1];
      if (number) {
        number.dataset.severity = severity;
        number.title = messages.join('\n');
      }
      const band = h('div', { className: `code-line-highlight ${severity}` });
      band.style.top = `${padding + (line - 1) * lineHeight}px`;
      band.style.height = `${lineHeight}px`;
      bands.push(band);
    }
    this.highlights.replaceChildren(...bands);
    this.syncScroll();
  }

  /** Selects a range, focuses the editor and scrolls the range into view. */
  select(start, end) {
    const ta = this.textarea;
    ta.focus({ preventScroll: true });
    ta.setSelectionRange(start, end);
    const { line } = positionOf(ta.value, start);
    const top = (line - 1) * this.lineHeight();
    if (top < ta.scrollTop || top > ta.scrollTop + ta.clientHeight - 2 * this.lineHeight()) {
      ta.scrollTop = Math.max(0, top - ta.clientHeight / 3);
    }
    this.syncScroll();
  }

  lineHeight() {
    return parseFloat(getComputedStyle(this.textarea).lineHeight) || 20;
  }

  renderGutter(count) {
    if (count === this.lineCount) return;
    const lines = this.gutterLines;
    while (lines.children.length > count) lines.lastChild.remove();
    for (let n = lines.children.length + 1; n <= count; n++) {
      lines.append(h('div', { textContent: String(n) }));
    }
    this.lineCount = count;
  }

  // The mirror holds the same text as the textarea (in transparent ink), with
  // marked ranges wrapped so their underline lands under the real characters.
  renderMirror(text, marks) {
    const cuts = new Set([0, text.length]);
    const ranges = marks.filter((m) => m.end > m.start).map((m) => ({
      start: Math.max(0, Math.min(m.start, text.length)),
      end: Math.max(0, Math.min(m.end, text.length)),
      severity: m.severity,
    }));
    for (const r of ranges) cuts.add(r.start).add(r.end);
    const points = [...cuts].sort((a, b) => a - b);
    const parts = [];
    for (let k = 0; k + 1 < points.length; k++) {
      const [a, b] = [points[k], points[k + 1]];
      const covering = ranges.filter((r) => r.start <= a && r.end >= b);
      const chunk = text.slice(a, b);
      if (covering.length === 0) {
        parts.push(document.createTextNode(chunk));
      } else {
        const severity = covering.some((r) => r.severity === 'error') ? 'error' : 'warning';
        parts.push(h('mark', { className: severity, textContent: chunk }));
      }
    }
    // A trailing newline in a textarea opens an empty last line; the mirror
    // needs a character there to be as tall.
    parts.push(document.createTextNode('\n '));
    this.mirror.replaceChildren(...parts);
  }

  syncScroll() {
    const { scrollTop, scrollLeft } = this.textarea;
    this.backdrop.scrollTop = scrollTop;
    this.backdrop.scrollLeft = scrollLeft;
    this.gutter.scrollTop = scrollTop;
  }

  // Enter keeps the current line's indentation, one level deeper after an
  // opening bracket. Tab is left alone so keyboard users can leave the editor.
  keydown(event) {
    if (event.key !== 'Enter' || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey
      || event.isComposing) return;
    const ta = this.textarea;
    const before = ta.value.slice(0, ta.selectionStart);
    const lineStart = before.lastIndexOf('\n') + 1;
    let indent = /^[ \t]*/.exec(before.slice(lineStart))[0];
    if (/[[{]\s*$/.test(before)) indent += '  ';
    event.preventDefault();
    const insert = `\n${indent}`;
    // execCommand keeps the browser's undo stack; setRangeText is the fallback.
    if (!document.execCommand('insertText', false, insert)) {
      ta.setRangeText(insert, ta.selectionStart, ta.selectionEnd, 'end');
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
}
