// The sample site's chat widget: a bubble that opens a chat window with a
// message list, a guest registration form and a message box. It knows
// nothing about triggers: the page tells it what to show and listens to
// what the visitor does. Every message is plain text (textContent).

import { h } from '../dom.js';

/**
 * @typedef {{onOpen: () => void, onRegister: (guest: {name: string, email: string}) => void}} WidgetHooks
 */

export class ChatWidget {
  /**
   * Builds the widget into `root` (an empty element).
   * @param {HTMLElement} root
   * @param {WidgetHooks} hooks
   */
  constructor(root, hooks) {
    this.hooks = hooks;
    this.unread = 0;

    this.badge = h('span', { className: 'chat-badge', hidden: true });
    this.bubble = h('button', {
      type: 'button', className: 'chat-bubble', 'aria-expanded': 'false', 'aria-controls': 'chat-window',
    }, h('span', { className: 'chat-bubble-label', textContent: 'Chat with us' }), this.badge);
    this.bubble.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));

    this.log = h('ol', { className: 'chat-messages', 'aria-live': 'polite', 'aria-label': 'Messages', tabIndex: 0 });
    this.closeButton = h('button', { type: 'button', className: 'chat-close', textContent: 'Close', 'aria-label': 'Close the chat' });
    this.closeButton.addEventListener('click', () => this.close());

    this.name = h('input', { id: 'guest-name', name: 'name', autocomplete: 'name', required: true });
    this.email = h('input', { id: 'guest-email', name: 'email', type: 'email', autocomplete: 'email', required: true });
    this.form = h('form', { className: 'chat-register', 'aria-label': 'Register as a guest' },
      h('p', { className: 'chat-register-intro', textContent: 'Tell us who you are to start chatting.' }),
      h('label', { htmlFor: 'guest-name', textContent: 'Name' }), this.name,
      h('label', { htmlFor: 'guest-email', textContent: 'Email' }), this.email,
      h('button', { type: 'submit', textContent: 'Start chat' }));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const guest = { name: this.name.value.trim(), email: this.email.value.trim() };
      if (!guest.name || !this.email.checkValidity()) return;
      this.setRegistered(guest);
      this.hooks.onRegister(guest);
    });

    this.text = h('input', { id: 'chat-text', name: 'message', autocomplete: 'off' });
    this.composer = h('form', { className: 'chat-composer', hidden: true },
      h('label', { htmlFor: 'chat-text', className: 'visually-hidden', textContent: 'Your message' }), this.text,
      h('button', { type: 'submit', textContent: 'Send' }));
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.text.value.trim();
      if (!text) return;
      this.add({ from: this.guest?.name ?? 'You', text, mine: true });
      this.text.value = '';
    });

    this.window = h('section', { id: 'chat-window', className: 'chat-window', hidden: true, 'aria-labelledby': 'chat-title' },
      h('div', { className: 'chat-head' }, h('h2', { id: 'chat-title', textContent: 'Northwind support' }), this.closeButton),
      this.log, this.form, this.composer);
    this.window.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
    root.replaceChildren(this.window, this.bubble);
  }

  get isOpen() {
    return !this.window.hidden;
  }

  /** Opens the window (the visitor's click); tells the page. */
  open() {
    this.window.hidden = false;
    this.bubble.setAttribute('aria-expanded', 'true');
    this.unread = 0;
    this.renderBadge();
    (this.guest ? this.text : this.name).focus();
    this.hooks.onOpen();
  }

  close() {
    this.window.hidden = true;
    this.bubble.setAttribute('aria-expanded', 'false');
    this.bubble.focus();
  }

  setRegistered(guest) {
    this.guest = guest;
    this.form.hidden = true;
    this.composer.hidden = false;
    this.text.focus();
  }

  /**
   * Appends a message. `text` and `from` are shown as text, never as HTML.
   * @param {{from: string, text: string, mine?: boolean, triggerId?: string, note?: string}} message
   */
  add({ from, text, mine = false, triggerId, note }) {
    const item = h('li', { className: mine ? 'chat-message mine' : 'chat-message' },
      h('span', { className: 'chat-from', textContent: from }),
      h('span', { className: 'chat-text', textContent: text }));
    item.dataset.at = String(Date.now());
    if (triggerId) item.dataset.trigger = triggerId;
    if (note) item.append(h('span', { className: 'chat-note', textContent: note }));
    this.log.append(item);
    this.log.scrollTop = this.log.scrollHeight;
    if (!this.isOpen && !mine) {
      this.unread += 1;
      this.renderBadge();
    }
  }

  renderBadge() {
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = this.unread === 0 ? '' : `${this.unread} new`;
  }

  /** Forgets the conversation and the guest (a new visitor). */
  reset() {
    this.guest = undefined;
    this.log.replaceChildren();
    this.form.reset();
    this.form.hidden = false;
    this.composer.hidden = true;
    this.unread = 0;
    this.renderBadge();
  }
}
