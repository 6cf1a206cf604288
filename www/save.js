// The editor's "Save to emulator": sends the trigger as typed through the
// client of its API (triggerkit/clients) to the local API emulator and shows
// the server's answer, status, error code and body, as text.

import { config, DEV_TOKEN, entry } from './tk.js';

const NO_RETRY = { maxAttempts: 1 };

/**
 * Per format: the extra input a call needs (if any) and the call.
 * @type {Record<string, {target?: {label: string, value: string}, send: (c: any, url: string, body: unknown, target: string) => Promise<unknown>}>}
 */
const SENDERS = {
  rocketchat: {
    send: (c, baseUrl, body) => new c.RocketChatClient({ baseUrl, authToken: DEV_TOKEN, userId: 'demo-admin', retry: NO_RETRY }).saveTrigger(body),
  },
  zendesk: {
    send: (c, baseUrl, body) => new c.ZendeskClient({ baseUrl, oauthToken: DEV_TOKEN, retry: NO_RETRY }).createTrigger(body),
  },
  pocketflows: {
    target: { label: 'Business id', value: 'biz-demo' },
    send: (c, baseUrl, body, target) => new c.PocketflowsClient({ baseUrl, username: 'demo', password: DEV_TOKEN, retry: NO_RETRY }).createTrigger(target, body),
  },
  composio: {
    target: { label: 'Trigger slug', value: 'SLACK_RECEIVE_MESSAGE' },
    send: (c, baseUrl, body, target) => new c.ComposioClient({ baseUrl, apiKey: DEV_TOKEN, retry: NO_RETRY }).upsertTriggerInstance(target, body),
  },
  zapier: {
    target: { label: 'Inbox name', value: 'editor-inbox' },
    send: (c, baseUrl, body, target) => new c.TriggerInboxClient({ baseUrl, token: DEV_TOKEN, retry: NO_RETRY }).upsertInbox(target, body),
  },
};

export class SaveToEmulator {
  /**
   * `ui`: the elements of the save panel; `read()`: the editor's JSON as
   * `{value}`, or `{error}` when it does not parse.
   */
  constructor(ui, read) {
    this.ui = ui;
    this.read = read;
    this.format = null;
    ui.save.addEventListener('click', () => this.save());
  }

  /** Shows the target input of a format and clears the last answer. */
  setFormat(formatId, endpoint) {
    this.format = formatId;
    this.endpoint = endpoint;
    const target = SENDERS[formatId].target;
    this.ui.targetLabel.hidden = !target;
    this.ui.target.hidden = !target;
    if (target) {
      this.ui.targetLabel.textContent = target.label;
      this.ui.target.value = target.value;
    }
    this.answer('pending', 'Not sent', '–', null);
  }

  /** The editor's verdict, shown beside the server's answer. */
  setVerdict(text) {
    this.ui.verdict.textContent = text;
  }

  answer(state, status, text, body) {
    this.ui.status.dataset.state = state;
    this.ui.status.textContent = status;
    this.ui.answer.textContent = text;
    this.ui.body.hidden = body === null;
    this.ui.body.textContent = body === null ? '' : JSON.stringify(body, null, 2);
  }

  async save() {
    const parsed = this.read();
    if (parsed.error) {
      this.answer('syntax', 'Not sent', `Not sent: ${parsed.error}`, null);
      return;
    }
    const { emulatorUrl } = await config();
    if (!emulatorUrl) {
      this.answer('failed', 'No emulator', 'No emulator is running: start the demo with scripts/demo.sh.', null);
      return;
    }
    this.answer('pending', 'Sending…', `Sending to ${emulatorUrl}…`, null);
    try {
      const clients = await entry('clients');
      const reply = await SENDERS[this.format].send(clients, emulatorUrl, parsed.value, this.ui.target.value.trim());
      this.answer('valid', 'Accepted', `Accepted: ${this.endpoint}`, reply ?? null);
    } catch (error) {
      const status = error.status ? `HTTP ${error.status}` : error.name;
      const text = error.message.startsWith(status) ? error.message : `${status} ${error.code ?? ''}: ${error.message}`;
      this.answer('invalid', status, text, error.body ?? null);
    }
  }
}
